package imageset

import (
	"math"
	"slices"
	"testing"
)

// toySet is n images of h×w×c with pixel values that identify the image and
// labels i mod k.
func toySet(n, h, w, c, k int) *Set {
	s := &Set{Pixels: make([]float32, n*h*w*c), Labels: make([]int, n), Classes: numericClasses(k), H: h, W: w, C: c}
	for i := range s.Labels {
		s.Labels[i] = i % k
		img := s.Image(i)
		for j := range img {
			img[j] = float32(i) + float32(j)/float32(len(img))
		}
	}
	return s
}

func TestSplit(t *testing.T) {
	s := toySet(103, 2, 2, 1, 4) // classes of 26, 26, 26, 25
	a, b := s.Split(0.2, 7, true)
	if err := a.Validate(); err != nil {
		t.Fatal(err)
	}
	ca, cb := a.ClassCounts(), b.ClassCounts()
	for k, want := range []int{5, 5, 5, 5} { // round(0.2·26) = 5, round(0.2·25) = 5
		if ca[k] != want || ca[k]+cb[k] != s.ClassCounts()[k] {
			t.Fatalf("class %d: %d + %d", k, ca[k], cb[k])
		}
	}
	// Disjoint, covering, in original order: image i holds values starting at i.
	var ids []int
	for _, part := range []*Set{a, b} {
		prev := -1
		for i := 0; i < part.Len(); i++ {
			id := int(part.Image(i)[0])
			if id <= prev || part.Labels[i] != id%4 {
				t.Fatalf("image %d is %d after %d, label %d", i, id, prev, part.Labels[i])
			}
			prev = id
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	for i, id := range ids {
		if id != i {
			t.Fatalf("ids %v", ids)
		}
	}
	// Seeded.
	a2, _ := s.Split(0.2, 7, true)
	a3, _ := s.Split(0.2, 8, true)
	if !slices.Equal(a.Pixels, a2.Pixels) || slices.Equal(a.Pixels, a3.Pixels) {
		t.Fatal("Split does not depend on the seed alone")
	}
	u, v := s.Split(0.5, 1, false)
	if u.Len() != 52 || v.Len() != 51 { // round(51.5) = 52
		t.Fatalf("unstratified: %d + %d", u.Len(), v.Len())
	}
}

func TestSubsetStatsNormalize(t *testing.T) {
	s := &Set{Pixels: []float32{0, 1, 0.5, 0.5, 1, 0}, Labels: []int{0, 1, 0}, Classes: []string{"x", "y"}, H: 1, W: 1, C: 2}
	sub := s.Subset([]int{2, 0, 2})
	if !slices.Equal(sub.Pixels, []float32{1, 0, 0, 1, 1, 0}) || !slices.Equal(sub.Labels, []int{0, 0, 0}) {
		t.Fatalf("subset %v %v", sub.Pixels, sub.Labels)
	}
	mean, std := s.Stats()
	if math.Abs(mean[0]-0.5) > 1e-12 || math.Abs(mean[1]-0.5) > 1e-12 || math.Abs(std[0]-math.Sqrt(1.0/6)) > 1e-7 {
		t.Fatalf("stats %v %v", mean, std)
	}
	s.Normalize([]float64{0.5, 0.25}, []float64{0.5, 2})
	want := []float32{-1, 0.375, 0, 0.125, 1, -0.125}
	for i := range want {
		if math.Abs(float64(s.Pixels[i]-want[i])) > 1e-6 {
			t.Fatalf("normalised %v, want %v", s.Pixels, want)
		}
	}
	if s.Black(0) != -1 || s.Black(1) != -0.125 {
		t.Fatalf("black %v %v", s.Black(0), s.Black(1))
	}
	// A second Normalize composes: recorded in terms of the raw pixels.
	s.Normalize([]float64{1, 0}, []float64{2, 1})
	if math.Abs(s.Mean[0]-1) > 1e-12 || s.Std[0] != 1 || s.Mean[1] != 0.25 || s.Std[1] != 2 {
		t.Fatalf("composed mean %v std %v", s.Mean, s.Std)
	}
	if got := s.Pixels[0]; math.Abs(float64(got)-(0-s.Mean[0])/s.Std[0]) > 1e-6 {
		t.Fatalf("pixel 0 = %v after two normalisations", got)
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	s.Labels[1] = 2
	if s.Validate() == nil {
		t.Fatal("label 2 of 2 classes valid")
	}
	mustPanic(t, "Normalize length", func() { s.Normalize([]float64{0}, []float64{1}) })
	mustPanic(t, "Normalize std 0", func() { s.Normalize([]float64{0, 0}, []float64{1, 0}) })
	mustPanic(t, "Split frac", func() { s.Split(1.5, 0, false) })
	mustPanic(t, "Subset range", func() { s.Subset([]int{3}) })
}

func mustPanic(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Errorf("%s: no panic", what)
		}
	}()
	f()
}
