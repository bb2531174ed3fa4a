package imageset

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cifarRecord is one record: the label bytes, then the CHW planes of a pattern that
// depends on seed.
func cifarRecord(labels []byte, seed int) []byte {
	r := append([]byte(nil), labels...)
	for c := 0; c < 3; c++ {
		for y := 0; y < 32; y++ {
			for x := 0; x < 32; x++ {
				r = append(r, byte(seed*31+c*97+y*7+x*3))
			}
		}
	}
	return r
}

// checkCIFARImage checks image i of s against the CHW pattern of seed.
func checkCIFARImage(t *testing.T, s *Set, i, seed int) {
	t.Helper()
	img := s.Image(i)
	for y := 0; y < 32; y++ {
		for x := 0; x < 32; x++ {
			for c := 0; c < 3; c++ {
				want := float32(byte(seed*31+c*97+y*7+x*3)) / 255
				if got := img[(y*32+x)*3+c]; got != want {
					t.Fatalf("image %d (y %d, x %d, c %d) = %v, want %v", i, y, x, c, got, want)
				}
			}
		}
	}
}

func TestCIFAR10Files(t *testing.T) {
	dir := t.TempDir()
	var test []byte
	for i := 0; i < 4; i++ {
		test = append(test, cifarRecord([]byte{byte(i * 3 % 10)}, 100+i)...)
	}
	os.WriteFile(filepath.Join(dir, "test_batch.bin"), test, 0o644)
	for b := 1; b <= 5; b++ {
		var f []byte
		for i := 0; i < 2; i++ {
			f = append(f, cifarRecord([]byte{byte(b + i)}, 10*b+i)...)
		}
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("data_batch_%d.bin", b)), f, 0o644)
	}
	s, err := LoadCIFAR10(dir, "test")
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != 4 || s.H != 32 || s.W != 32 || s.C != 3 || s.Classes[3] != "cat" {
		t.Fatalf("%d images %d×%d×%d classes %v", s.Len(), s.H, s.W, s.C, s.Classes)
	}
	for i := 0; i < 4; i++ {
		checkCIFARImage(t, s, i, 100+i)
		if s.Labels[i] != i*3%10 {
			t.Fatalf("label %d = %d", i, s.Labels[i])
		}
	}
	// The training split concatenates the five batches; a meta file renames the classes.
	names := "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n\n"
	os.WriteFile(filepath.Join(dir, "batches.meta.txt"), []byte(names), 0o644)
	s, err = LoadCIFAR10(dir, "train")
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != 10 || strings.Join(s.Classes, "") != "abcdefghij" {
		t.Fatalf("%d images, classes %v", s.Len(), s.Classes)
	}
	for b := 1; b <= 5; b++ {
		for i := 0; i < 2; i++ {
			checkCIFARImage(t, s, 2*(b-1)+i, 10*b+i)
			if s.Labels[2*(b-1)+i] != b+i {
				t.Fatalf("batch %d image %d label %d", b, i, s.Labels[2*(b-1)+i])
			}
		}
	}
	os.WriteFile(filepath.Join(dir, "batches.meta.txt"), []byte("a b c"), 0o644)
	if _, err := LoadCIFAR10(dir, "train"); err == nil {
		t.Fatal("3 class names accepted")
	} else {
		wantFormatError(t, err, filepath.Join(dir, "batches.meta.txt"), -1, "classes")
	}
}

func TestCIFAR100(t *testing.T) {
	dir := t.TempDir()
	var f []byte
	for i := 0; i < 3; i++ {
		f = append(f, cifarRecord([]byte{byte(19 - i), byte(99 - 10*i)}, i)...)
	}
	os.WriteFile(filepath.Join(dir, "test.bin"), f, 0o644)
	fine, err := LoadCIFAR100(dir, "test", true)
	if err != nil {
		t.Fatal(err)
	}
	coarse, err := LoadCIFAR100(dir, "test", false)
	if err != nil {
		t.Fatal(err)
	}
	if len(fine.Classes) != 100 || len(coarse.Classes) != 20 || fine.Classes[99] != "worm" || coarse.Classes[19] != "vehicles_2" {
		t.Fatalf("classes %d, %d", len(fine.Classes), len(coarse.Classes))
	}
	for i := 0; i < 3; i++ {
		checkCIFARImage(t, fine, i, i)
		checkCIFARImage(t, coarse, i, i)
		if fine.Labels[i] != 99-10*i || coarse.Labels[i] != 19-i {
			t.Fatalf("image %d: fine %d coarse %d", i, fine.Labels[i], coarse.Labels[i])
		}
	}
}

func TestCIFARErrors(t *testing.T) {
	rec := cifarRecord([]byte{3}, 0)
	two := append(append([]byte(nil), rec...), rec...)
	cases := []struct {
		name  string
		b     []byte
		kind  CIFARKind
		off   int64
		field string
		msg   string
	}{
		{"truncated", two[:len(two)-100], CIFAR10, 3073 + 2973, "record", "image 1: truncated: 2973 of 3073"},
		{"empty", nil, CIFAR10, 0, "record", "no images"},
		{"label", append(append([]byte(nil), rec...), cifarRecord([]byte{10}, 1)...), CIFAR10, 3073, "label", "label 10 not in [0, 10)"},
		{"fine label", cifarRecord([]byte{1, 100}, 0), CIFAR100Fine, 1, "label", "label 100 not in [0, 100)"},
		{"coarse label", cifarRecord([]byte{20, 1}, 0), CIFAR100Fine, 0, "label", "coarse label 20"},
		{"CIFAR-10 file as CIFAR-100", two, CIFAR100Coarse, 3074 + 3072, "record", "truncated: 3072 of 3074"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := DecodeCIFAR(bytes.NewReader(c.b), "f.bin", c.kind)
			wantFormatError(t, err, "f.bin", c.off, c.field)
			if !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("error %q lacks %q", err, c.msg)
			}
		})
	}
	if _, err := LoadCIFAR10(t.TempDir(), "test"); err == nil || !strings.Contains(err.Error(), "test_batch.bin") {
		t.Fatalf("missing file: %v", err)
	}
}
