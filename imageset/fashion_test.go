package imageset

import (
	"compress/gzip"
	"encoding/binary"
	"io"
	"math"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

var fashion struct {
	once        sync.Once
	train, test *Set
	err         error
}

// fashionMNIST loads the Debian package's Fashion-MNIST once per test binary, or skips.
func fashionMNIST(t testing.TB) (train, test *Set) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(FashionMNISTDir, "train-images-idx3-ubyte.gz")); err != nil {
		t.Skipf("Fashion-MNIST not installed (%v): run scripts/install-peers.sh (apt-get install dataset-fashion-mnist)", err)
	}
	fashion.once.Do(func() {
		fashion.train, fashion.err = LoadFashionMNIST("", "train")
		if fashion.err == nil {
			fashion.test, fashion.err = LoadFashionMNIST("", "test")
		}
	})
	if fashion.err != nil {
		t.Fatal(fashion.err)
	}
	return fashion.train, fashion.test
}

// gunzip reads a whole gzip file, independently of the package's reader.
func gunzip(t *testing.T, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestFashionMNIST(t *testing.T) {
	train, test := fashionMNIST(t)
	for _, c := range []struct {
		name   string
		s      *Set
		n, per int
	}{{"train", train, 60000, 6000}, {"t10k", test, 10000, 1000}} {
		if c.s.Len() != c.n || c.s.H != 28 || c.s.W != 28 || c.s.C != 1 || len(c.s.Pixels) != c.n*784 {
			t.Fatalf("%s: %d images of %d×%d×%d", c.name, c.s.Len(), c.s.H, c.s.W, c.s.C)
		}
		for k, n := range c.s.ClassCounts() {
			if n != c.per {
				t.Errorf("%s: class %d (%s): %d images, want %d", c.name, k, c.s.Classes[k], n, c.per)
			}
		}
		// Headers and first image from the decompressed files, read here with raw offsets.
		img := gunzip(t, filepath.Join(FashionMNISTDir, c.name+"-images-idx3-ubyte.gz"))
		lab := gunzip(t, filepath.Join(FashionMNISTDir, c.name+"-labels-idx1-ubyte.gz"))
		be := binary.BigEndian
		if be.Uint32(img) != 0x803 || int(be.Uint32(img[4:])) != c.n || be.Uint32(img[8:]) != 28 || be.Uint32(img[12:]) != 28 || len(img) != 16+c.n*784 {
			t.Fatalf("%s images header % x, %d bytes", c.name, img[:16], len(img))
		}
		if be.Uint32(lab) != 0x801 || int(be.Uint32(lab[4:])) != c.n || len(lab) != 8+c.n {
			t.Fatalf("%s labels header % x, %d bytes", c.name, lab[:8], len(lab))
		}
		for _, i := range []int{0, 1, c.n - 1} {
			raw := img[16+i*784 : 16+(i+1)*784]
			sum, got := 0, 0
			for j, v := range raw {
				sum += int(v)
				if c.s.Image(i)[j] != float32(v)/255 {
					t.Fatalf("%s image %d pixel %d: %v, raw byte %d", c.name, i, j, c.s.Image(i)[j], v)
				}
				got += int(math.Round(float64(c.s.Image(i)[j]) * 255))
			}
			if got != sum || c.s.Labels[i] != int(lab[8+i]) {
				t.Fatalf("%s image %d: pixel sum %v label %d; raw %d label %d", c.name, i, got, c.s.Labels[i], sum, lab[8+i])
			}
			if i == 0 {
				t.Logf("%s image 0: label %d (%s), pixel sum %d (raw bytes)", c.name, lab[8], c.s.Classes[lab[8]], sum)
			}
		}
	}
	// Train image 0 is an ankle boot whose 784 bytes sum to 76247 (the raw bytes above;
	// a fixed property of the data, checked against the independent read above).
	if got := int(math.Round(sum32(train.Image(0)) * 255)); train.Labels[0] != 9 || train.Classes[9] != "Ankle boot" || got != 76247 {
		t.Errorf("train image 0: label %d, pixel sum %d; want 9 (Ankle boot), 76247", train.Labels[0], got)
	}
}

func TestFashionMNISTStats(t *testing.T) {
	train, _ := fashionMNIST(t)
	mean, std := train.Stats()
	t.Logf("train mean %.5f std %.5f; published %.4f %.4f", mean[0], std[0], FashionMNISTMean[0], FashionMNISTStd[0])
	if math.Abs(mean[0]-FashionMNISTMean[0]) > 5e-4 || math.Abs(std[0]-FashionMNISTStd[0]) > 5e-4 {
		t.Fatalf("mean %.5f std %.5f; published %.4f %.4f", mean[0], std[0], FashionMNISTMean[0], FashionMNISTStd[0])
	}
	// Normalising a copy with its own statistics gives mean 0, std 1.
	sub := train.Subset(seq(5000))
	m, s := sub.Stats()
	sub.Normalize(m, s)
	m2, s2 := sub.Stats()
	if math.Abs(m2[0]) > 1e-5 || math.Abs(s2[0]-1) > 1e-5 {
		t.Fatalf("after Normalize: mean %v std %v", m2[0], s2[0])
	}
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

func sum32(v []float32) float64 {
	s := 0.0
	for _, x := range v {
		s += float64(x)
	}
	return s
}
