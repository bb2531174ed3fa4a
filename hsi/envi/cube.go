package envi

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/ergml/erg/internal/atomicfile"
)

// Cube is an ENVI image in memory: its header and its values in pixel-major (bip)
// order, whatever the file's interleave: value (line l, sample s, band b) is
// Data[(l*Samples+s)*Bands+b].
type Cube struct {
	Header
	Data []float64
	// Int and Uint hold the exact values of int64 (type 14) and uint64 (type 15)
	// cubes, in Data's order; Data then holds their nearest float64. Nil otherwise.
	Int  []int64
	Uint []uint64
	// Mask marks pixels (l*Samples+s) with at least one masked value (NaN, the data
	// ignore value, or FillValue for float data); MaskedValues and MaskedPixels count
	// them. Masked values are left in Data as read.
	Mask                       []bool
	MaskedValues, MaskedPixels int
}

// New returns a zero cube of the given shape, type float32, interleave bsq, little
// endian.
func New(samples, lines, bands int) *Cube {
	return &Cube{Header: Header{Samples: samples, Lines: lines, Bands: bands, DataType: Float32, Interleave: BSQ},
		Data: make([]float64, samples*lines*bands)}
}

// At returns the value at line l, sample s, band b.
func (c *Cube) At(l, s, b int) float64 { return c.Data[(l*c.Samples+s)*c.Bands+b] }

// Set sets the value at line l, sample s, band b.
func (c *Cube) Set(l, s, b int, v float64) { c.Data[(l*c.Samples+s)*c.Bands+b] = v }

// Pixel returns the spectrum of pixel (l, s), sharing Data's storage.
func (c *Cube) Pixel(l, s int) []float64 {
	i := (l*c.Samples + s) * c.Bands
	return c.Data[i : i+c.Bands : i+c.Bands]
}

// DataFile returns the data file that goes with header file hdr: the first that
// exists of hdr without ".hdr", then with .img, .dat, .raw, .bsq, .bil, .bip (either
// case). It returns an error naming the names it tried when none exists.
func DataFile(hdr string) (string, error) {
	base := hdr
	if ext := filepath.Ext(hdr); strings.EqualFold(ext, ".hdr") {
		base = strings.TrimSuffix(hdr, ext)
	}
	var tried []string
	cands := []string{base}
	for _, ext := range []string{".img", ".dat", ".raw", ".bsq", ".bil", ".bip"} {
		cands = append(cands, base+ext, base+strings.ToUpper(ext))
	}
	for _, p := range cands {
		if p == hdr {
			continue
		}
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p, nil
		}
		tried = append(tried, filepath.Base(p))
	}
	return "", fmt.Errorf("envi: %s: no data file beside it (tried %s)", hdr, strings.Join(tried, ", "))
}

// Read reads the ENVI image whose header is hdr; the data file is found with DataFile.
func Read(hdr string) (*Cube, error) {
	data, err := DataFile(hdr)
	if err != nil {
		return nil, err
	}
	return ReadFiles(hdr, data)
}

// ReadHeader reads an ENVI header file.
func ReadHeader(hdr string) (*Header, error) {
	f, err := os.Open(hdr)
	if err != nil {
		return nil, fmt.Errorf("envi: %w", err)
	}
	defer f.Close()
	return ParseHeader(f, hdr)
}

// ReadFiles reads the image of header file hdr from data file data.
func ReadFiles(hdr, data string) (*Cube, error) {
	h, err := ReadHeader(hdr)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(data)
	if err != nil {
		return nil, fmt.Errorf("envi: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("envi: %w", err)
	}
	if want := h.DataSize(); st.Size() != want {
		return nil, fmt.Errorf("envi: %s: size %d bytes, but header %s wants %d (header offset %d + %d samples · %d lines · %d bands · %d bytes of %s)",
			data, st.Size(), hdr, want, h.HeaderOffset, h.Samples, h.Lines, h.Bands, h.DataType.Size(), h.DataType)
	}
	buf := make([]byte, st.Size())
	if _, err := io.ReadFull(f, buf); err != nil {
		return nil, fmt.Errorf("envi: %s: %w", data, err)
	}
	c, err := Decode(h, buf[h.HeaderOffset:])
	if err != nil {
		return nil, fmt.Errorf("envi: %s: %w", data, err)
	}
	return c, nil
}

// index returns the position in Data (pixel-major) of the k-th value of a file of
// interleave il.
func index(h *Header) func(k int) int {
	S, L, B := h.Samples, h.Lines, h.Bands
	switch h.Interleave {
	case BSQ:
		return func(k int) int { b := k / (S * L); r := k % (S * L); return r*B + b }
	case BIL:
		return func(k int) int {
			l := k / (B * S)
			r := k % (B * S)
			b, s := r/S, r%S
			return (l*S+s)*B + b
		}
	}
	return func(k int) int { return k }
}

// Decode decodes the raw values buf (without header offset) described by h.
func Decode(h *Header, buf []byte) (*Cube, error) {
	n := h.Samples * h.Lines * h.Bands
	size := h.DataType.Size()
	if size == 0 {
		return nil, &HeaderError{Key: "data type", Reason: fmt.Sprintf("unsupported data type %d", int(h.DataType))}
	}
	if len(buf) != n*size {
		return nil, fmt.Errorf("%d bytes of values, want %d", len(buf), n*size)
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if h.ByteOrder == 1 {
		bo = binary.BigEndian
	}
	c := &Cube{Header: *h, Data: make([]float64, n)}
	c.Header.Extra = cloneMap(h.Extra)
	switch h.DataType {
	case Int64:
		c.Int = make([]int64, n)
	case Uint64:
		c.Uint = make([]uint64, n)
	}
	at := index(h)
	for k := 0; k < n; k++ {
		p := buf[k*size : (k+1)*size]
		i := at(k)
		var v float64
		switch h.DataType {
		case Uint8:
			v = float64(p[0])
		case Int16:
			v = float64(int16(bo.Uint16(p)))
		case Uint16:
			v = float64(bo.Uint16(p))
		case Int32:
			v = float64(int32(bo.Uint32(p)))
		case Uint32:
			v = float64(bo.Uint32(p))
		case Float32:
			v = float64(math.Float32frombits(bo.Uint32(p)))
		case Float64:
			v = math.Float64frombits(bo.Uint64(p))
		case Int64:
			x := int64(bo.Uint64(p))
			c.Int[i], v = x, float64(x)
		case Uint64:
			x := bo.Uint64(p)
			c.Uint[i], v = x, float64(x)
		}
		c.Data[i] = v
	}
	c.computeMask()
	return c, nil
}

func cloneMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func (c *Cube) computeMask() {
	c.Mask = make([]bool, c.Samples*c.Lines)
	c.MaskedValues, c.MaskedPixels = 0, 0
	for p := range c.Mask {
		for _, v := range c.Data[p*c.Bands : (p+1)*c.Bands] {
			if c.Header.ignored(v) {
				c.MaskedValues++
				c.Mask[p] = true
			}
		}
		if c.Mask[p] {
			c.MaskedPixels++
		}
	}
}

// Encode returns the raw values of c in its header's data type, interleave and byte
// order (without header offset). Values of integer types must be integers in range;
// float32 values are rounded to nearest.
func (c *Cube) Encode() ([]byte, error) {
	h := &c.Header
	if err := h.Validate(); err != nil {
		return nil, err
	}
	n := h.Samples * h.Lines * h.Bands
	if len(c.Data) != n {
		return nil, fmt.Errorf("envi: cube has %d values, header %d·%d·%d = %d", len(c.Data), h.Samples, h.Lines, h.Bands, n)
	}
	if (c.Int != nil && len(c.Int) != n) || (c.Uint != nil && len(c.Uint) != n) {
		return nil, fmt.Errorf("envi: exact int64/uint64 values: length differs from %d", n)
	}
	size := h.DataType.Size()
	var bo binary.ByteOrder = binary.LittleEndian
	if h.ByteOrder == 1 {
		bo = binary.BigEndian
	}
	buf := make([]byte, n*size)
	at := index(h)
	for k := 0; k < n; k++ {
		i := at(k)
		v := c.Data[i]
		p := buf[k*size : (k+1)*size]
		inRange := func(lo, hi float64) error {
			if v != math.Trunc(v) || v < lo || v > hi {
				l, s, b := i/c.Bands/c.Samples, i/c.Bands%c.Samples, i%c.Bands
				return fmt.Errorf("envi: value %v at line %d, sample %d, band %d does not fit %s", v, l, s, b, h.DataType)
			}
			return nil
		}
		var err error
		switch h.DataType {
		case Uint8:
			if err = inRange(0, math.MaxUint8); err == nil {
				p[0] = uint8(v)
			}
		case Int16:
			if err = inRange(math.MinInt16, math.MaxInt16); err == nil {
				bo.PutUint16(p, uint16(int16(v)))
			}
		case Uint16:
			if err = inRange(0, math.MaxUint16); err == nil {
				bo.PutUint16(p, uint16(v))
			}
		case Int32:
			if err = inRange(math.MinInt32, math.MaxInt32); err == nil {
				bo.PutUint32(p, uint32(int32(v)))
			}
		case Uint32:
			if err = inRange(0, math.MaxUint32); err == nil {
				bo.PutUint32(p, uint32(v))
			}
		case Float32:
			bo.PutUint32(p, math.Float32bits(float32(v)))
		case Float64:
			bo.PutUint64(p, math.Float64bits(v))
		case Int64:
			if c.Int != nil {
				bo.PutUint64(p, uint64(c.Int[i]))
			} else if err = inRange(-(1 << 63), (1<<63)-1024); err == nil {
				bo.PutUint64(p, uint64(int64(v)))
			}
		case Uint64:
			if c.Uint != nil {
				bo.PutUint64(p, c.Uint[i])
			} else if err = inRange(0, (1<<64)-2048); err == nil {
				bo.PutUint64(p, uint64(v))
			}
		}
		if err != nil {
			return nil, err
		}
	}
	return buf, nil
}

// Write writes c as header file hdr and data file hdr without ".hdr" plus ".img",
// each atomically (data first). It returns the data file's name.
func Write(hdr string, c *Cube) (string, error) {
	if !strings.EqualFold(filepath.Ext(hdr), ".hdr") {
		return "", fmt.Errorf("envi: header file %q: want a name ending in .hdr", hdr)
	}
	data := strings.TrimSuffix(hdr, filepath.Ext(hdr)) + ".img"
	text, err := c.Header.MarshalText()
	if err != nil {
		return "", err
	}
	raw, err := c.Encode()
	if err != nil {
		return "", err
	}
	if c.HeaderOffset > 0 {
		raw = append(make([]byte, c.HeaderOffset), raw...)
	}
	if err := atomicfile.Write(data, raw); err != nil {
		return "", fmt.Errorf("envi: %w", err)
	}
	if err := atomicfile.Write(hdr, text); err != nil {
		return "", fmt.Errorf("envi: %w", err)
	}
	return data, nil
}
