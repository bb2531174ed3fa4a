package imageset

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
)

// Published per-channel normalisations, the mean and standard deviation of every pixel
// of the training split with pixels scaled to [0, 1] (torchvision's ToTensor). Pass
// them to Set.Normalize, or compute a set's own with Set.Stats.
var (
	// Fashion-MNIST: 0.2860 / 0.3530 (the train set computes to 0.28604 / 0.35302).
	FashionMNISTMean = []float64{0.2860}
	FashionMNISTStd  = []float64{0.3530}

	// MNIST: 0.1307 / 0.3081, as in PyTorch's examples/mnist.
	MNISTMean = []float64{0.1307}
	MNISTStd  = []float64{0.3081}

	// CIFAR-10, RGB, as in PyTorch's CIFAR-10 tutorial (the pixel standard deviation).
	// The widely copied std (0.2023, 0.1994, 0.2010) of kuangliu/pytorch-cifar is not
	// the pixel standard deviation; pass it explicitly to reproduce such a run.
	CIFAR10Mean = []float64{0.4914, 0.4822, 0.4465}
	CIFAR10Std  = []float64{0.2470, 0.2435, 0.2616}

	// CIFAR-100, RGB.
	CIFAR100Mean = []float64{0.5071, 0.4865, 0.4409}
	CIFAR100Std  = []float64{0.2673, 0.2564, 0.2762}
)

// Set is N images of H×W pixels with C channels and their class labels, in memory.
//
// Pixels holds N·H·W·C float32 values in NHWC order (channels-last, the layout of
// package nn): the value of channel c at row y, column x of image i is
// Pixels[((i*H+y)*W+x)*C+c]. The readers scale 8-bit pixels to [0, 1] (v/255, as
// torchvision's ToTensor); Normalize maps them in place to (v−mean)/std per channel
// and records the mean and std it applied.
type Set struct {
	Pixels  []float32
	Labels  []int    // Labels[i] in [0, len(Classes))
	Classes []string // class names; label k is Classes[k]
	H, W, C int

	// Mean and Std are the per-channel normalisation applied so far (the composition
	// of every Normalize call, in terms of the [0, 1] pixels), nil for a raw set.
	Mean, Std []float64
}

// Len is the number of images.
func (s *Set) Len() int { return len(s.Labels) }

// ImageSize is the number of values of one image, H·W·C.
func (s *Set) ImageSize() int { return s.H * s.W * s.C }

// Image returns image i's H·W·C values (HWC order), sharing memory with the set.
func (s *Set) Image(i int) []float32 {
	n := s.ImageSize()
	return s.Pixels[i*n : (i+1)*n : (i+1)*n]
}

// Validate checks that the fields agree: the number of pixels, the labels' range and
// the normalisation's length.
func (s *Set) Validate() error {
	if s.H <= 0 || s.W <= 0 || s.C <= 0 {
		return fmt.Errorf("imageset: image size %d×%d×%d is not positive", s.H, s.W, s.C)
	}
	if len(s.Pixels) != s.Len()*s.ImageSize() {
		return fmt.Errorf("imageset: %d pixel values for %d images of %d×%d×%d", len(s.Pixels), s.Len(), s.H, s.W, s.C)
	}
	for i, y := range s.Labels {
		if y < 0 || y >= len(s.Classes) {
			return fmt.Errorf("imageset: image %d: label %d not in [0, %d)", i, y, len(s.Classes))
		}
	}
	if (s.Mean == nil) != (s.Std == nil) || (s.Mean != nil && (len(s.Mean) != s.C || len(s.Std) != s.C)) {
		return fmt.Errorf("imageset: normalisation has %d means and %d stds for %d channels", len(s.Mean), len(s.Std), s.C)
	}
	return nil
}

// ClassCounts returns the number of images of each class.
func (s *Set) ClassCounts() []int {
	n := make([]int, len(s.Classes))
	for _, y := range s.Labels {
		n[y]++
	}
	return n
}

// Subset returns a new set holding copies of the images idx, in that order (an index
// may repeat). It panics if an index is out of range.
func (s *Set) Subset(idx []int) *Set {
	n := s.ImageSize()
	out := &Set{
		Pixels: make([]float32, len(idx)*n), Labels: make([]int, len(idx)),
		Classes: slices.Clone(s.Classes), H: s.H, W: s.W, C: s.C,
		Mean: slices.Clone(s.Mean), Std: slices.Clone(s.Std),
	}
	for j, i := range idx {
		if i < 0 || i >= s.Len() {
			panic(fmt.Sprintf("imageset: Subset index %d out of range [0, %d)", i, s.Len()))
		}
		copy(out.Pixels[j*n:(j+1)*n], s.Pixels[i*n:(i+1)*n])
		out.Labels[j] = s.Labels[i]
	}
	return out
}

// Split divides the set at random into two new sets: a with round(frac·N) images and
// b with the rest; when stratify is true it does so per class (a gets round(frac·n_k)
// images of class k, so a's size may differ from round(frac·N) by up to half the
// number of classes). Both keep the images in their original order. The draw depends
// only on seed. It panics unless 0 ≤ frac ≤ 1.
func (s *Set) Split(frac float64, seed uint64, stratify bool) (a, b *Set) {
	if !(frac >= 0 && frac <= 1) {
		panic(fmt.Sprintf("imageset: Split fraction %v not in [0, 1]", frac))
	}
	rng := rand.New(rand.NewPCG(seed, 0x5d1e5e7))
	var ia, ib []int
	take := func(pool []int) {
		rng.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
		k := int(math.Round(frac * float64(len(pool))))
		ia, ib = append(ia, pool[:k]...), append(ib, pool[k:]...)
	}
	if stratify {
		byClass := make([][]int, len(s.Classes))
		for i, y := range s.Labels {
			byClass[y] = append(byClass[y], i)
		}
		for _, pool := range byClass {
			take(pool)
		}
	} else {
		pool := make([]int, s.Len())
		for i := range pool {
			pool[i] = i
		}
		take(pool)
	}
	slices.Sort(ia)
	slices.Sort(ib)
	return s.Subset(ia), s.Subset(ib)
}

// Stats returns the per-channel mean and (population, ddof 0) standard deviation of
// every pixel of the set, accumulated in float64, as used for the published
// normalisations.
func (s *Set) Stats() (mean, std []float64) {
	c := s.C
	mean, std = make([]float64, c), make([]float64, c)
	n := float64(len(s.Pixels) / max(c, 1))
	if n == 0 {
		return mean, std
	}
	sum := make([]float64, c)
	for i := 0; i < len(s.Pixels); i += c {
		for k, v := range s.Pixels[i : i+c] {
			sum[k] += float64(v)
		}
	}
	for k := range mean {
		mean[k] = sum[k] / n
		sum[k] = 0
	}
	for i := 0; i < len(s.Pixels); i += c {
		for k, v := range s.Pixels[i : i+c] {
			d := float64(v) - mean[k]
			sum[k] += d * d
		}
	}
	for k := range std {
		std[k] = math.Sqrt(sum[k] / n)
	}
	return mean, std
}

// Normalize maps every pixel value v of channel k, in place, to (v−mean[k])/std[k]
// (torchvision's Normalize) and records the normalisation in Mean and Std, composed
// with any applied before. It panics unless mean and std have C positive-std entries.
func (s *Set) Normalize(mean, std []float64) {
	if len(mean) != s.C || len(std) != s.C {
		panic(fmt.Sprintf("imageset: Normalize with %d means and %d stds for %d channels", len(mean), len(std), s.C))
	}
	scale, shift := make([]float32, s.C), make([]float32, s.C)
	for k := range mean {
		if !(std[k] > 0) || math.IsInf(std[k], 0) || math.IsNaN(mean[k]) || math.IsInf(mean[k], 0) {
			panic(fmt.Sprintf("imageset: Normalize channel %d: mean %v, std %v", k, mean[k], std[k]))
		}
		scale[k], shift[k] = float32(1/std[k]), float32(-mean[k]/std[k])
	}
	c := s.C
	for i := 0; i < len(s.Pixels); i += c {
		p := s.Pixels[i : i+c]
		for k := range p {
			p[k] = p[k]*scale[k] + shift[k]
		}
	}
	if s.Mean == nil {
		s.Mean, s.Std = slices.Clone(mean), slices.Clone(std)
		return
	}
	// (((v−m1)/s1)−m2)/s2 = (v−(m1+m2·s1))/(s1·s2)
	for k := range mean {
		s.Mean[k] += mean[k] * s.Std[k]
		s.Std[k] *= std[k]
	}
}

// Black is the value a pixel of value 0 has in the set on channel k: 0 for a raw set,
// −Mean[k]/Std[k] after Normalize. Augment pads with it, so that padding is black
// whether augmentation comes before or after normalisation, as in torchvision.
func (s *Set) Black(k int) float32 {
	if s.Mean == nil {
		return 0
	}
	return float32(-s.Mean[k] / s.Std[k])
}

// numericClasses returns the names "0", "1", ..., k−1.
func numericClasses(k int) []string {
	c := make([]string, k)
	for i := range c {
		c[i] = strconv.Itoa(i)
	}
	return c
}

// concat joins sets of equal image size and classes (those of the first).
func concat(sets []*Set) *Set {
	if len(sets) == 1 {
		return sets[0]
	}
	out := &Set{Classes: sets[0].Classes, H: sets[0].H, W: sets[0].W, C: sets[0].C}
	np, nl := 0, 0
	for _, s := range sets {
		np += len(s.Pixels)
		nl += len(s.Labels)
	}
	out.Pixels = make([]float32, 0, np)
	out.Labels = make([]int, 0, nl)
	for _, s := range sets {
		out.Pixels = append(out.Pixels, s.Pixels...)
		out.Labels = append(out.Labels, s.Labels...)
	}
	return out
}

// byteScale maps an 8-bit value v to v/255 exactly as float32(v)/255.
var byteScale = func() (t [256]float32) {
	for v := range t {
		t[v] = float32(v) / 255
	}
	return
}()
