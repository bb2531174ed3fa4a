package imageset

import (
	"bytes"
	"testing"
)

// checkSet asserts what every reader promises for input it accepts.
func checkSet(t *testing.T, s *Set, err error) {
	t.Helper()
	if err != nil {
		asFormatError(t, err)
		return
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if s.Len() == 0 {
		t.Fatal("accepted an empty set")
	}
	for _, v := range s.Pixels {
		if !(v >= 0 && v <= 1) {
			t.Fatalf("pixel %v outside [0, 1]", v)
		}
	}
}

func FuzzIDX(f *testing.F) {
	img := idxBytes([]int{2, 2, 3}, ramp(12, 5))
	lab := idxBytes([]int{2}, []byte{3, 7})
	f.Add(img, lab)
	f.Add(gzipBytes(img), gzipBytes(lab))
	f.Add(img[:9], lab)
	f.Add(idxBytes([]int{1, 1, 1}, []byte{255}), idxBytes([]int{1}, []byte{9}))
	f.Add(idxBytes([]int{0, 28, 28}, nil), idxBytes([]int{0}, nil))
	f.Add([]byte{0, 0, 8, 3, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255}, lab)
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0}, lab)
	f.Fuzz(func(t *testing.T, img, lab []byte) {
		if m, err := DecodeIDX(bytes.NewReader(img), "img"); err != nil {
			asFormatError(t, err)
		} else {
			n := 1
			for _, d := range m.Dims {
				n *= d
			}
			if len(m.Data) != n {
				t.Fatalf("%d values for dims %v", len(m.Data), m.Dims)
			}
		}
		s, err := DecodeIDXSet(bytes.NewReader(img), bytes.NewReader(lab), "img", "lab", nil)
		checkSet(t, s, err)
		s, err = DecodeIDXSet(bytes.NewReader(img), bytes.NewReader(lab), "img", "lab", FashionMNISTClasses)
		checkSet(t, s, err)
	})
}

// FuzzCIFAR decodes the file made of `records` whole records, whose bytes repeat
// head (so that short inputs reach the pixel and label paths), followed by tail (a
// partial record or garbage).
func FuzzCIFAR(f *testing.F) {
	f.Add([]byte{7, 1, 2, 3}, []byte{}, uint8(1), uint8(CIFAR10))
	f.Add([]byte{7}, cifarRecord([]byte{7}, 1)[:100], uint8(2), uint8(CIFAR10))
	f.Add([]byte{19, 99, 4}, []byte{}, uint8(3), uint8(CIFAR100Fine))
	f.Add([]byte{19, 99}, []byte{1}, uint8(1), uint8(CIFAR100Coarse))
	f.Add([]byte{10}, []byte{}, uint8(1), uint8(CIFAR10))
	f.Add([]byte{}, []byte{}, uint8(0), uint8(CIFAR100Fine))
	f.Fuzz(func(t *testing.T, head, tail []byte, records, kind uint8) {
		k := CIFARKind(kind % 3)
		n := int(records%4) * (3072 + k.labelBytes())
		b := make([]byte, 0, n+len(tail))
		for i := 0; i < n && len(head) > 0; i++ {
			b = append(b, head[i%len(head)])
		}
		b = append(b, tail...)
		s, err := DecodeCIFAR(bytes.NewReader(b), "f.bin", k)
		checkSet(t, s, err)
		if err == nil && (s.H != 32 || s.W != 32 || s.C != 3 || len(b) != s.Len()*(3072+k.labelBytes())) {
			t.Fatalf("%d bytes gave %d images of %d×%d×%d", len(b), s.Len(), s.H, s.W, s.C)
		}
	})
}
