package imageset

import (
	"os"
	"path/filepath"
	"testing"
)

// benchFashion is the normalised Fashion-MNIST train set, or a random set of the same
// shape when it is not installed (the cost of a batch does not depend on the pixels).
func benchFashion(b *testing.B) *Set {
	b.Helper()
	var s *Set
	if _, err := os.Stat(filepath.Join(FashionMNISTDir, "train-images-idx3-ubyte.gz")); err == nil {
		train, _ := fashionMNIST(b)
		s = train.Subset(seq(train.Len())) // a copy: Normalize below must not change the shared set
	} else {
		b.Logf("Fashion-MNIST not installed: a synthetic 60000×28×28×1 set")
		s = toySet(60000, 28, 28, 1, 10)
	}
	s.Normalize(FashionMNISTMean, FashionMNISTStd)
	return s
}

// BenchmarkFashionMNISTBatch64 is one training batch of 64 Fashion-MNIST images with
// random crop (pad 4) and horizontal flip, as tensors.
func BenchmarkFashionMNISTBatch64(b *testing.B) {
	s := benchFashion(b)
	for _, c := range []struct {
		name string
		aug  Augment
	}{{"augment", Augment{Pad: 4, FlipH: true}}, {"plain", Augment{}}} {
		b.Run(c.name, func(b *testing.B) {
			l, err := NewLoader(s, LoaderConfig{BatchSize: 64, Seed: 1, Augment: c.aug})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			step := 0
			for b.Loop() {
				if _, err := l.Batch(step); err != nil {
					b.Fatal(err)
				}
				step++ // crosses epochs: includes the per-epoch permutation, amortised
			}
		})
	}
	b.Run("fill-augment", func(b *testing.B) {
		l, _ := NewLoader(s, LoaderConfig{BatchSize: 64, Seed: 1, Augment: Augment{Pad: 4, FlipH: true}})
		x := make([]float32, 64*28*28)
		y := make([]int32, 64)
		b.ReportAllocs()
		step := 0
		for b.Loop() {
			l.Fill(step, x, y)
			step++
		}
	})
}

// BenchmarkCIFARBatch128 is one batch of 128 synthetic 32×32×3 images with the
// CIFAR recipe (pad 4, crop 32, flip).
func BenchmarkCIFARBatch128(b *testing.B) {
	s := toySet(50000, 32, 32, 3, 10)
	l, _ := NewLoader(s, LoaderConfig{BatchSize: 128, Seed: 1, Augment: Augment{Pad: 4, FlipH: true}})
	b.ReportAllocs()
	step := 0
	for b.Loop() {
		if _, err := l.Batch(step); err != nil {
			b.Fatal(err)
		}
		step++
	}
}

// BenchmarkLoadFashionMNIST reads the 60000-image train set from the .gz files.
func BenchmarkLoadFashionMNIST(b *testing.B) {
	if _, err := os.Stat(filepath.Join(FashionMNISTDir, "train-images-idx3-ubyte.gz")); err != nil {
		b.Skip("Fashion-MNIST not installed")
	}
	for b.Loop() {
		if _, err := LoadFashionMNIST("", "train"); err != nil {
			b.Fatal(err)
		}
	}
}
