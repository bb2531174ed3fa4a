package imageset

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// FashionMNISTDir is where Debian's dataset-fashion-mnist package installs the
// Fashion-MNIST IDX files.
const FashionMNISTDir = "/usr/share/datasets/fashion-mnist"

// FashionMNISTClasses are the names of the ten Fashion-MNIST classes, label 0 first.
var FashionMNISTClasses = []string{
	"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
	"Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
}

// MNISTClasses are the names of the ten MNIST classes, the digits.
var MNISTClasses = numericClasses(10)

// IDX is the content of one IDX file of unsigned bytes: its dimensions and its values
// in row-major order.
type IDX struct {
	Dims []int
	Data []byte
}

// maxIDXValues bounds the product of an IDX file's dimensions (16 GiB of bytes), so
// that a corrupt header fails cleanly instead of overflowing.
const maxIDXValues = 1 << 34

// DecodeIDX reads one IDX file of unsigned bytes (type code 0x08), gzip-compressed or
// not (recognised by its first two bytes). The header is the magic number, two zero
// bytes, the type code and the number of dimensions, then one big-endian uint32 per
// dimension; the values follow. Offsets in errors are in the decompressed stream;
// name names the input in errors. Trailing bytes after the values are an error.
func DecodeIDX(r io.Reader, name string) (*IDX, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	src := io.Reader(br)
	if b, err := br.Peek(2); err == nil && b[0] == 0x1f && b[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, formatErr(name, 0, "gzip", "", err)
		}
		defer zr.Close()
		src = zr
	}
	cr := &countReader{r: src}
	var head [4]byte
	if err := readFull(cr, head[:], name, "magic"); err != nil {
		return nil, err
	}
	if head[0] != 0 || head[1] != 0 {
		return nil, formatErr(name, 0, "magic", fmt.Sprintf("%#08x does not start with two zero bytes: not an IDX file", binary.BigEndian.Uint32(head[:])), nil)
	}
	if head[2] != 0x08 {
		return nil, formatErr(name, 2, "magic", fmt.Sprintf("type code %#02x (%s) not supported; want 0x08 (unsigned byte)", head[2], idxType(head[2])), nil)
	}
	nd := int(head[3])
	if nd == 0 {
		return nil, formatErr(name, 3, "magic", "zero dimensions", nil)
	}
	dims := make([]int, nd)
	total := int64(1)
	for i := range dims {
		var b [4]byte
		off := cr.n
		if err := readFull(cr, b[:], name, fmt.Sprintf("dims[%d]", i)); err != nil {
			return nil, err
		}
		dims[i] = int(binary.BigEndian.Uint32(b[:]))
		if d := int64(dims[i]); d > 0 && total > maxIDXValues/d {
			return nil, formatErr(name, off, fmt.Sprintf("dims[%d]", i), fmt.Sprintf("dimensions %v hold more than %d values", dims[:i+1], int64(maxIDXValues)), nil)
		}
		total *= int64(dims[i])
	}
	start := cr.n
	// Read what is there (at most the header's count), without trusting the header
	// for the allocation, then compare.
	var buf bytes.Buffer
	if total <= 1<<26 {
		buf.Grow(int(total))
	}
	got, err := buf.ReadFrom(io.LimitReader(cr, total))
	if err != nil {
		return nil, formatErr(name, start+got, "data", "", err)
	}
	if got < total {
		return nil, formatErr(name, start+got, "data", fmt.Sprintf("truncated: %d of the %d values of dims %v", got, total, dims), nil)
	}
	var one [1]byte
	if n, err := cr.Read(one[:]); n > 0 {
		return nil, formatErr(name, cr.n-1, "data", fmt.Sprintf("trailing bytes after the %d values of dims %v", total, dims), nil)
	} else if err != nil && err != io.EOF {
		return nil, formatErr(name, cr.n, "data", "", err)
	}
	return &IDX{Dims: dims, Data: buf.Bytes()}, nil
}

// ReadIDXFile reads the IDX file at path (see DecodeIDX).
func ReadIDXFile(path string) (*IDX, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("imageset: %w", err)
	}
	defer f.Close()
	return DecodeIDX(f, path)
}

// ReadIDX reads a set from an IDX images file (magic 0x00000803, dims [N, H, W]) and
// an IDX labels file (magic 0x00000801, dims [N]), each gzip-compressed or not, as
// MNIST and Fashion-MNIST distribute them. Pixels are scaled to [0, 1], C is 1.
// classes names the labels; nil means "0", "1", ... up to the largest label.
func ReadIDX(images, labels string, classes []string) (*Set, error) {
	im, err := ReadIDXFile(images)
	if err != nil {
		return nil, err
	}
	lb, err := ReadIDXFile(labels)
	if err != nil {
		return nil, err
	}
	return idxSet(im, lb, images, labels, classes)
}

// DecodeIDXSet is ReadIDX on readers; the names name them in errors.
func DecodeIDXSet(images, labels io.Reader, imagesName, labelsName string, classes []string) (*Set, error) {
	im, err := DecodeIDX(images, imagesName)
	if err != nil {
		return nil, err
	}
	lb, err := DecodeIDX(labels, labelsName)
	if err != nil {
		return nil, err
	}
	return idxSet(im, lb, imagesName, labelsName, classes)
}

func idxSet(im, lb *IDX, imagesName, labelsName string, classes []string) (*Set, error) {
	if len(im.Dims) != 3 {
		return nil, formatErr(imagesName, 3, "magic", fmt.Sprintf("%d dimensions, want 3 (images: magic 0x00000803)", len(im.Dims)), nil)
	}
	if len(lb.Dims) != 1 {
		return nil, formatErr(labelsName, 3, "magic", fmt.Sprintf("%d dimensions, want 1 (labels: magic 0x00000801)", len(lb.Dims)), nil)
	}
	n, h, w := im.Dims[0], im.Dims[1], im.Dims[2]
	if n == 0 || h == 0 || w == 0 {
		return nil, formatErr(imagesName, 4, "dims", fmt.Sprintf("empty: %d images of %d×%d", n, h, w), nil)
	}
	if lb.Dims[0] != n {
		return nil, formatErr(labelsName, 4, "dims", fmt.Sprintf("%d labels for %d images in %s", lb.Dims[0], n, filepath.Base(imagesName)), nil)
	}
	k := len(classes)
	if classes == nil {
		for _, y := range lb.Data {
			k = max(k, int(y)+1)
		}
		classes = numericClasses(k)
	}
	s := &Set{Pixels: make([]float32, len(im.Data)), Labels: make([]int, n), Classes: classes, H: h, W: w, C: 1}
	const labelStart = 8
	for i, y := range lb.Data {
		if int(y) >= k {
			return nil, formatErr(labelsName, int64(labelStart+i), "label", fmt.Sprintf("image %d: label %d not in [0, %d)", i, y, k), nil)
		}
		s.Labels[i] = int(y)
	}
	for i, v := range im.Data {
		s.Pixels[i] = byteScale[v]
	}
	return s, nil
}

// LoadFashionMNIST reads the Fashion-MNIST split "train" (60000 images) or "test"
// (10000) from dir ("" for FashionMNISTDir), from the files
// {train,t10k}-{images-idx3,labels-idx1}-ubyte, gzip-compressed (.gz) or not.
func LoadFashionMNIST(dir, split string) (*Set, error) {
	if dir == "" {
		dir = FashionMNISTDir
	}
	return loadIDXDir(dir, split, FashionMNISTClasses)
}

// LoadMNIST reads the MNIST split "train" or "test" from dir, with the file names of
// LoadFashionMNIST.
func LoadMNIST(dir, split string) (*Set, error) { return loadIDXDir(dir, split, MNISTClasses) }

func loadIDXDir(dir, split string, classes []string) (*Set, error) {
	prefix, err := splitPrefix(split, "train", "t10k")
	if err != nil {
		return nil, err
	}
	im, err := findFile(dir, prefix+"-images-idx3-ubyte", prefix+"-images-idx3-ubyte.gz", prefix+"-images.idx3-ubyte")
	if err != nil {
		return nil, err
	}
	lb, err := findFile(dir, prefix+"-labels-idx1-ubyte", prefix+"-labels-idx1-ubyte.gz", prefix+"-labels.idx1-ubyte")
	if err != nil {
		return nil, err
	}
	return ReadIDX(im, lb, classes)
}

func splitPrefix(split, train, test string) (string, error) {
	switch split {
	case "train":
		return train, nil
	case "test":
		return test, nil
	}
	return "", fmt.Errorf("imageset: split %q: want \"train\" or \"test\"", split)
}

// findFile returns the first of names that exists in dir.
func findFile(dir string, names ...string) (string, error) {
	for _, n := range names {
		p := filepath.Join(dir, n)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		} else if !errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("imageset: %w", err)
		}
	}
	return "", fmt.Errorf("imageset: %s: none of %v: %w", dir, names, os.ErrNotExist)
}

func idxType(t byte) string {
	switch t {
	case 0x08:
		return "unsigned byte"
	case 0x09:
		return "signed byte"
	case 0x0B:
		return "int16"
	case 0x0C:
		return "int32"
	case 0x0D:
		return "float32"
	case 0x0E:
		return "float64"
	}
	return "unknown"
}

// countReader counts the bytes read through it.
type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// readFull fills b, reporting a short read as truncation at the offset it stopped.
func readFull(cr *countReader, b []byte, name, field string) error {
	off := cr.n
	n, err := io.ReadFull(cr, b)
	if err == nil {
		return nil
	}
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return formatErr(name, off+int64(n), field, fmt.Sprintf("truncated: %d of %d bytes", n, len(b)), nil)
	}
	return formatErr(name, off+int64(n), field, "", err)
}
