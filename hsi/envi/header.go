package envi

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Interleave is the order of a cube's values in its data file.
type Interleave string

// The three ENVI interleaves.
const (
	BSQ Interleave = "bsq" // band sequential: band, line, sample
	BIL Interleave = "bil" // band interleaved by line: line, band, sample
	BIP Interleave = "bip" // band interleaved by pixel: line, sample, band
)

// DataType is ENVI's "data type" code.
type DataType int

// ENVI data types. Complex64 and Complex128 are recognised only to be refused.
const (
	Uint8      DataType = 1
	Int16      DataType = 2
	Int32      DataType = 3
	Float32    DataType = 4
	Float64    DataType = 5
	Complex64  DataType = 6
	Complex128 DataType = 9
	Uint16     DataType = 12
	Uint32     DataType = 13
	Int64      DataType = 14
	Uint64     DataType = 15
)

// DataTypes lists the data types this package reads and writes.
var DataTypes = []DataType{Uint8, Int16, Int32, Float32, Float64, Uint16, Uint32, Int64, Uint64}

// Size returns the bytes per value of t, or 0 for an unknown or complex type.
func (t DataType) Size() int {
	switch t {
	case Uint8:
		return 1
	case Int16, Uint16:
		return 2
	case Int32, Uint32, Float32:
		return 4
	case Float64, Int64, Uint64:
		return 8
	}
	return 0
}

// String returns the Go name of the type ("uint8", "float32", ...).
func (t DataType) String() string {
	switch t {
	case Uint8:
		return "uint8"
	case Int16:
		return "int16"
	case Int32:
		return "int32"
	case Float32:
		return "float32"
	case Float64:
		return "float64"
	case Complex64:
		return "complex64"
	case Complex128:
		return "complex128"
	case Uint16:
		return "uint16"
	case Uint32:
		return "uint32"
	case Int64:
		return "int64"
	case Uint64:
		return "uint64"
	}
	return fmt.Sprintf("DataType(%d)", int(t))
}

// FillValue is the no-data value of AVIRIS and ENVI float products; float cubes
// mask it unless the header names another "data ignore value".
const FillValue = -1.23e34

// Header is an ENVI header. The zero values of the optional fields mean "absent".
type Header struct {
	Samples, Lines, Bands int
	HeaderOffset          int64
	DataType              DataType
	Interleave            Interleave
	ByteOrder             int // 0 little endian, 1 big endian

	Description     string
	Wavelength      []float64 // band centres (len Bands or 0)
	FWHM            []float64 // band widths (len Bands or 0)
	WavelengthUnits string
	BandNames       []string
	IgnoreValue     *float64 // "data ignore value"

	// Extra holds the other keys (lower case) with their raw values, braces kept.
	Extra map[string]string
}

// mandatory lists the keys a header must have.
var mandatory = []string{"samples", "lines", "bands", "data type", "interleave", "byte order"}

// HeaderError is a bad header: the file, the line (1-based, 0 when the problem is
// the header as a whole) and the key.
type HeaderError struct {
	File   string
	Line   int
	Key    string
	Reason string
}

func (e *HeaderError) Error() string {
	loc := e.File
	if loc == "" {
		loc = "header"
	}
	if e.Line > 0 {
		loc += ":" + strconv.Itoa(e.Line)
	}
	if e.Key != "" {
		return fmt.Sprintf("envi: %s: %q: %s", loc, e.Key, e.Reason)
	}
	return fmt.Sprintf("envi: %s: %s", loc, e.Reason)
}

// ParseHeader reads an ENVI header; name is used in error messages.
func ParseHeader(r io.Reader, name string) (*Header, error) {
	raw, lines, err := parseKeys(r, name)
	if err != nil {
		return nil, err
	}
	for _, k := range mandatory {
		if _, ok := raw[k]; !ok {
			return nil, &HeaderError{File: name, Key: k, Reason: "mandatory key missing"}
		}
	}
	h := &Header{Extra: map[string]string{}}
	bad := func(k, format string, a ...any) error {
		return &HeaderError{File: name, Line: lines[k], Key: k, Reason: fmt.Sprintf(format, a...)}
	}
	atoi := func(k string, min int64) (int64, error) {
		v, err := strconv.ParseInt(strings.TrimSpace(raw[k]), 10, 64)
		if err != nil || v < min {
			return 0, bad(k, "want an integer ≥ %d, have %q", min, raw[k])
		}
		return v, nil
	}
	for _, k := range []string{"samples", "lines", "bands"} {
		v, err := atoi(k, 1)
		if err != nil {
			return nil, err
		}
		if v > 1<<31 {
			return nil, bad(k, "%d is too large", v)
		}
		switch k {
		case "samples":
			h.Samples = int(v)
		case "lines":
			h.Lines = int(v)
		case "bands":
			h.Bands = int(v)
		}
	}
	if total := int64(h.Samples) * int64(h.Lines) * int64(h.Bands); total > 1<<40 {
		return nil, &HeaderError{File: name, Key: "bands", Reason: fmt.Sprintf("samples·lines·bands = %d values is too large", total)}
	}
	dt, err := atoi("data type", 0)
	if err != nil {
		return nil, err
	}
	h.DataType = DataType(dt)
	switch {
	case h.DataType == Complex64 || h.DataType == Complex128:
		return nil, bad("data type", "complex data (type %d) is not supported", dt)
	case h.DataType.Size() == 0:
		return nil, bad("data type", "unknown data type %d (want one of 1, 2, 3, 4, 5, 12, 13, 14, 15)", dt)
	}
	switch il := Interleave(strings.ToLower(strings.TrimSpace(raw["interleave"]))); il {
	case BSQ, BIL, BIP:
		h.Interleave = il
	default:
		return nil, bad("interleave", "unknown interleave %q (want bsq, bil or bip)", raw["interleave"])
	}
	if _, ok := raw["header offset"]; ok {
		if h.HeaderOffset, err = atoi("header offset", 0); err != nil {
			return nil, err
		}
	}
	if _, ok := raw["byte order"]; ok {
		v, err := atoi("byte order", 0)
		if err != nil || v > 1 {
			return nil, bad("byte order", "want 0 or 1, have %q", raw["byte order"])
		}
		h.ByteOrder = int(v)
	}
	if v, ok := raw["description"]; ok {
		h.Description = strings.TrimSpace(unbrace(v))
	}
	if v, ok := raw["wavelength units"]; ok {
		h.WavelengthUnits = strings.TrimSpace(v)
	}
	for _, k := range []string{"wavelength", "fwhm"} {
		v, ok := raw[k]
		if !ok {
			continue
		}
		xs, err := floatList(v)
		if err != nil {
			return nil, bad(k, "%v", err)
		}
		if len(xs) != h.Bands {
			return nil, bad(k, "%d values for %d bands", len(xs), h.Bands)
		}
		if k == "wavelength" {
			h.Wavelength = xs
		} else {
			h.FWHM = xs
		}
	}
	if v, ok := raw["band names"]; ok {
		h.BandNames = list(v)
		if len(h.BandNames) != h.Bands {
			return nil, bad("band names", "%d names for %d bands", len(h.BandNames), h.Bands)
		}
	}
	if v, ok := raw["data ignore value"]; ok {
		x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil {
			return nil, bad("data ignore value", "want a number, have %q", v)
		}
		h.IgnoreValue = &x
	}
	known := map[string]bool{"samples": true, "lines": true, "bands": true, "data type": true, "interleave": true,
		"header offset": true, "byte order": true, "description": true, "wavelength units": true, "wavelength": true,
		"fwhm": true, "band names": true, "data ignore value": true}
	for k, v := range raw {
		if !known[k] {
			h.Extra[k] = v
		}
	}
	return h, nil
}

// parseKeys splits a header into key → raw value (braces kept for lists), with the
// line each key starts on.
func parseKeys(r io.Reader, name string) (map[string]string, map[string]int, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 64<<20)
	raw, lines := map[string]string{}, map[string]int{}
	n := 0
	if !sc.Scan() {
		if err := sc.Err(); err != nil {
			return nil, nil, fmt.Errorf("envi: %s: %w", name, err)
		}
		return nil, nil, &HeaderError{File: name, Line: 1, Reason: "empty file, want a first line \"ENVI\""}
	}
	n++
	first := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\ufeff"))
	if !strings.HasPrefix(first, "ENVI") {
		return nil, nil, &HeaderError{File: name, Line: 1, Reason: fmt.Sprintf("first line is %.40q, want \"ENVI\"", first)}
	}
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == ';' {
			continue
		}
		eq := strings.IndexByte(line, '=')
		if eq < 0 {
			continue // ENVI and SPy ignore lines without a key
		}
		key := strings.ToLower(strings.Join(strings.Fields(line[:eq]), " "))
		val := strings.TrimSpace(line[eq+1:])
		start := n
		if strings.HasPrefix(val, "{") {
			var b strings.Builder
			b.WriteString(val)
			for !strings.HasSuffix(strings.TrimSpace(b.String()), "}") {
				if !sc.Scan() {
					if err := sc.Err(); err != nil {
						return nil, nil, fmt.Errorf("envi: %s: %w", name, err)
					}
					return nil, nil, &HeaderError{File: name, Line: start, Key: key, Reason: "unterminated { list"}
				}
				n++
				b.WriteByte('\n')
				b.WriteString(strings.TrimSpace(sc.Text()))
			}
			val = b.String()
		}
		if key == "" {
			return nil, nil, &HeaderError{File: name, Line: n, Reason: "empty key before '='"}
		}
		raw[key], lines[key] = val, start
	}
	if err := sc.Err(); err != nil {
		return nil, nil, fmt.Errorf("envi: %s: %w", name, err)
	}
	return raw, lines, nil
}

func unbrace(v string) string {
	v = strings.TrimSpace(v)
	if strings.HasPrefix(v, "{") && strings.HasSuffix(v, "}") {
		v = v[1 : len(v)-1]
	}
	return v
}

// list splits a {a, b, c} value into its trimmed items.
func list(v string) []string {
	v = unbrace(v)
	if strings.TrimSpace(v) == "" {
		return nil
	}
	parts := strings.Split(v, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

func floatList(v string) ([]float64, error) {
	items := list(v)
	xs := make([]float64, len(items))
	for i, s := range items {
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, fmt.Errorf("item %d: %q is not a number", i+1, s)
		}
		xs[i] = x
	}
	return xs, nil
}

// Validate checks a header that is about to be written.
func (h *Header) Validate() error {
	bad := func(k, format string, a ...any) error {
		return &HeaderError{Key: k, Reason: fmt.Sprintf(format, a...)}
	}
	switch {
	case h.Samples < 1:
		return bad("samples", "%d, want ≥ 1", h.Samples)
	case h.Lines < 1:
		return bad("lines", "%d, want ≥ 1", h.Lines)
	case h.Bands < 1:
		return bad("bands", "%d, want ≥ 1", h.Bands)
	case h.DataType == Complex64 || h.DataType == Complex128:
		return bad("data type", "complex data (type %d) is not supported", int(h.DataType))
	case h.DataType.Size() == 0:
		return bad("data type", "unknown data type %d", int(h.DataType))
	case h.Interleave != BSQ && h.Interleave != BIL && h.Interleave != BIP:
		return bad("interleave", "unknown interleave %q", string(h.Interleave))
	case h.ByteOrder != 0 && h.ByteOrder != 1:
		return bad("byte order", "%d, want 0 or 1", h.ByteOrder)
	case h.HeaderOffset < 0:
		return bad("header offset", "%d, want ≥ 0", h.HeaderOffset)
	case len(h.Wavelength) != 0 && len(h.Wavelength) != h.Bands:
		return bad("wavelength", "%d values for %d bands", len(h.Wavelength), h.Bands)
	case len(h.FWHM) != 0 && len(h.FWHM) != h.Bands:
		return bad("fwhm", "%d values for %d bands", len(h.FWHM), h.Bands)
	case len(h.BandNames) != 0 && len(h.BandNames) != h.Bands:
		return bad("band names", "%d names for %d bands", len(h.BandNames), h.Bands)
	}
	for _, s := range h.BandNames {
		if strings.ContainsAny(s, ",{}\n") {
			return bad("band names", "name %q contains one of , { } or a newline", s)
		}
	}
	return nil
}

// DataSize returns the expected size of the data file in bytes.
func (h *Header) DataSize() int64 {
	return h.HeaderOffset + int64(h.Samples)*int64(h.Lines)*int64(h.Bands)*int64(h.DataType.Size())
}

// MarshalText returns the header as ENVI text.
func (h *Header) MarshalText() ([]byte, error) {
	if err := h.Validate(); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString("ENVI\n")
	if h.Description != "" {
		fmt.Fprintf(&b, "description = {%s}\n", strings.ReplaceAll(h.Description, "}", ")"))
	}
	fmt.Fprintf(&b, "samples = %d\nlines = %d\nbands = %d\nheader offset = %d\nfile type = ENVI Standard\n", h.Samples, h.Lines, h.Bands, h.HeaderOffset)
	fmt.Fprintf(&b, "data type = %d\ninterleave = %s\nbyte order = %d\n", int(h.DataType), h.Interleave, h.ByteOrder)
	if h.IgnoreValue != nil {
		fmt.Fprintf(&b, "data ignore value = %s\n", strconv.FormatFloat(*h.IgnoreValue, 'g', -1, 64))
	}
	if h.WavelengthUnits != "" {
		fmt.Fprintf(&b, "wavelength units = %s\n", h.WavelengthUnits)
	}
	writeList := func(k string, items []string) {
		if len(items) == 0 {
			return
		}
		fmt.Fprintf(&b, "%s = {\n %s}\n", k, strings.Join(items, ",\n "))
	}
	fl := func(xs []float64) []string {
		s := make([]string, len(xs))
		for i, x := range xs {
			s[i] = strconv.FormatFloat(x, 'g', -1, 64)
		}
		return s
	}
	writeList("band names", h.BandNames)
	writeList("wavelength", fl(h.Wavelength))
	writeList("fwhm", fl(h.FWHM))
	keys := make([]string, 0, len(h.Extra))
	for k := range h.Extra {
		if k != "file type" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := h.Extra[k]
		if strings.Contains(v, "\n") && !strings.HasPrefix(strings.TrimSpace(v), "{") {
			v = "{" + v + "}"
		}
		fmt.Fprintf(&b, "%s = %s\n", k, v)
	}
	return b.Bytes(), nil
}

// ignored reports whether v is masked under h: NaN, the header's data ignore value,
// or (float types without one) FillValue.
func (h *Header) ignored(v float64) bool {
	if math.IsNaN(v) {
		return true
	}
	if h.IgnoreValue != nil {
		return v == *h.IgnoreValue
	}
	if h.DataType == Float32 {
		return float32(v) == float32(FillValue)
	}
	return h.DataType == Float64 && v == FillValue
}
