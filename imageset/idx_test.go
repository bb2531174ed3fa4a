package imageset

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDecodeIDXRoundTrip(t *testing.T) {
	px := ramp(3*2*4, 7)
	raw := idxBytes([]int{3, 2, 4}, px)
	for _, in := range [][]byte{raw, gzipBytes(raw)} {
		m, err := DecodeIDX(bytes.NewReader(in), "x")
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Dims) != 3 || m.Dims[0] != 3 || m.Dims[1] != 2 || m.Dims[2] != 4 || !bytes.Equal(m.Data, px) {
			t.Fatalf("got dims %v data %v", m.Dims, m.Data)
		}
	}
}

func TestReadIDXFiles(t *testing.T) {
	dir := t.TempDir()
	px := ramp(5*3*2, 11)
	lb := []byte{0, 2, 1, 2, 0}
	os.WriteFile(filepath.Join(dir, "train-images-idx3-ubyte.gz"), gzipBytes(idxBytes([]int{5, 3, 2}, px)), 0o644)
	os.WriteFile(filepath.Join(dir, "train-labels-idx1-ubyte"), idxBytes([]int{5}, lb), 0o644)
	s, err := LoadMNIST(dir, "train")
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != 5 || s.H != 3 || s.W != 2 || s.C != 1 || len(s.Classes) != 10 {
		t.Fatalf("set %d images %d×%d×%d, %d classes", s.Len(), s.H, s.W, s.C, len(s.Classes))
	}
	for i, v := range px {
		if s.Pixels[i] != float32(v)/255 {
			t.Fatalf("pixel %d = %v, want %v", i, s.Pixels[i], float32(v)/255)
		}
	}
	for i, y := range lb {
		if s.Labels[i] != int(y) {
			t.Fatalf("label %d = %d, want %d", i, s.Labels[i], y)
		}
	}
	if _, err := LoadMNIST(dir, "test"); err == nil || !strings.Contains(err.Error(), "t10k-images") {
		t.Fatalf("missing test split: %v", err)
	}
	// nil classes: names up to the largest label.
	s, err = ReadIDX(filepath.Join(dir, "train-images-idx3-ubyte.gz"), filepath.Join(dir, "train-labels-idx1-ubyte"), nil)
	if err != nil || len(s.Classes) != 3 || s.Classes[2] != "2" {
		t.Fatalf("classes %v, %v", s.Classes, err)
	}
}

func TestIDXErrors(t *testing.T) {
	img := idxBytes([]int{2, 2, 2}, ramp(8, 1))
	lab := idxBytes([]int{2}, []byte{1, 0})
	cases := []struct {
		name      string
		img, lab  []byte
		file      string
		off       int64
		field     string
		msgSubstr string
	}{
		{"truncated data", img[:len(img)-3], lab, "img", 16 + 5, "data", "truncated: 5 of the 8"},
		{"truncated data gz", gzipBytes(img[:len(img)-3]), lab, "img", 16 + 5, "data", "truncated"},
		{"truncated header", img[:10], lab, "img", 10, "dims[1]", "truncated: 2 of 4"},
		{"empty", nil, lab, "img", 0, "magic", "truncated"},
		{"wrong magic", append([]byte{0x50, 0x4b, 3, 4}, img[4:]...), lab, "img", 0, "magic", "not an IDX file"},
		{"float type", append([]byte{0, 0, 0x0D, 3}, img[4:]...), lab, "img", 2, "magic", "float32"},
		{"labels as images", lab, lab, "img", 3, "magic", "want 3"},
		{"count", img, idxBytes([]int{3}, []byte{1, 0, 1}), "lab", 4, "dims", "3 labels for 2 images"},
		{"trailing", append(img, 9, 9), lab, "img", 16 + 8, "data", "trailing"},
		{"label range", img, idxBytes([]int{2}, []byte{1, 10}), "lab", 9, "label", "label 10 not in [0, 10)"},
		{"huge dims", idxBytes([]int{1 << 30, 1 << 30, 1 << 30}, nil), lab, "img", 8, "dims[1]", "more than"},
		{"bad gzip", []byte{0x1f, 0x8b, 1, 2, 3}, lab, "img", 0, "gzip", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := DecodeIDXSet(bytes.NewReader(c.img), bytes.NewReader(c.lab), "img", "lab", MNISTClasses)
			wantFormatError(t, err, c.file, c.off, c.field)
			if !strings.Contains(err.Error(), c.msgSubstr) {
				t.Fatalf("error %q lacks %q", err, c.msgSubstr)
			}
		})
	}
}
