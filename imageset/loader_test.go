package imageset

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/gomlx/gomlx/core/tensors"
)

// naiveAugment is torchvision's RandomCrop(padding=pad) then RandomHorizontalFlip
// written out: build the padded image, cut the window, mirror.
func naiveAugment(src []float32, h, w, c, pad int, flipH bool, fill []float32, rng *rand.Rand) []float32 {
	ph, pw := h+2*pad, w+2*pad
	padded := make([]float32, ph*pw*c)
	for y := 0; y < ph; y++ {
		for x := 0; x < pw; x++ {
			for k := 0; k < c; k++ {
				v := fill[k]
				if sy, sx := y-pad, x-pad; sy >= 0 && sy < h && sx >= 0 && sx < w {
					v = src[(sy*w+sx)*c+k]
				}
				padded[(y*pw+x)*c+k] = v
			}
		}
	}
	var oy, ox int
	if pad > 0 {
		oy, ox = rng.IntN(2*pad+1), rng.IntN(2*pad+1) // window corner in the padded image
	}
	flip := flipH && rng.IntN(2) == 1
	out := make([]float32, h*w*c)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			cx := x
			if flip {
				cx = w - 1 - x
			}
			copy(out[(y*w+x)*c:(y*w+x+1)*c], padded[((y+oy)*pw+cx+ox)*c:((y+oy)*pw+cx+ox+1)*c])
		}
	}
	return out
}

func TestAugmentMatchesPadCrop(t *testing.T) {
	for _, c := range []struct{ h, w, ch, pad int }{{5, 7, 1, 2}, {6, 4, 3, 4}, {3, 3, 2, 9}} {
		src := toySet(1, c.h, c.w, c.ch, 1).Image(0)
		fill := make([]float32, c.ch)
		for k := range fill {
			fill[k] = -1 - float32(k)
		}
		for _, flip := range []bool{false, true} {
			a := Augment{Pad: c.pad, FlipH: flip}
			r1, r2 := rand.New(rand.NewPCG(1, 2)), rand.New(rand.NewPCG(1, 2))
			dst := make([]float32, len(src))
			for trial := 0; trial < 200; trial++ {
				a.Apply(dst, src, c.h, c.w, c.ch, fill, r1)
				if want := naiveAugment(src, c.h, c.w, c.ch, c.pad, flip, fill, r2); !slices.Equal(dst, want) {
					t.Fatalf("%+v flip %v trial %d:\n got %v\nwant %v", c, flip, trial, dst, want)
				}
			}
		}
	}
	// No augmentation is a copy.
	src := toySet(1, 3, 3, 1, 1).Image(0)
	dst := make([]float32, 9)
	Augment{}.Apply(dst, src, 3, 3, 1, []float32{0}, nil)
	if !slices.Equal(dst, src) {
		t.Fatal("zero Augment changed the image")
	}
}

func batchValues(t *testing.T, l interface {
	Batch(int) ([]*tensors.Tensor, error)
}, step int) ([]float32, []int32) {
	t.Helper()
	b, err := l.Batch(step)
	if err != nil {
		t.Fatal(err)
	}
	return tensors.MustCopyFlatData[float32](b[0]), tensors.MustCopyFlatData[int32](b[1])
}

func TestLoaderEpochs(t *testing.T) {
	s := toySet(10, 2, 3, 1, 3)
	for _, keep := range []bool{false, true} {
		l, err := NewLoader(s, LoaderConfig{BatchSize: 3, Seed: 5, KeepLast: keep})
		if err != nil {
			t.Fatal(err)
		}
		steps, total := 3, 9
		if keep {
			steps, total = 4, 10
		}
		if l.StepsPerEpoch() != steps {
			t.Fatalf("keep %v: %d steps per epoch", keep, l.StepsPerEpoch())
		}
		var perms [][]int
		for e := 0; e < 3; e++ {
			var seen []int
			for k := 0; k < steps; k++ {
				step := e*steps + k
				idx := l.Indices(step)
				if len(idx) != l.Size(step) || (k < 3 && len(idx) != 3) || (k == 3 && len(idx) != 1) {
					t.Fatalf("step %d: %d images, Size %d", step, len(idx), l.Size(step))
				}
				b, err := l.Batch(step)
				if err != nil {
					t.Fatal(err)
				}
				if dims := b[0].Shape().Dimensions; !slices.Equal(dims, []int{len(idx), 2, 3, 1}) {
					t.Fatalf("image dims %v", dims)
				}
				x := tensors.MustCopyFlatData[float32](b[0])
				y := tensors.MustCopyFlatData[int32](b[1])
				for j, i := range idx {
					if !slices.Equal(x[j*6:(j+1)*6], s.Image(i)) || int(y[j]) != s.Labels[i] {
						t.Fatalf("step %d image %d is not set image %d", step, j, i)
					}
				}
				seen = append(seen, idx...)
			}
			perms = append(perms, slices.Clone(seen))
			slices.Sort(seen)
			if len(slices.Compact(seen)) != total {
				t.Fatalf("keep %v epoch %d visits %v", keep, e, seen)
			}
		}
		if slices.Equal(perms[0], perms[1]) {
			t.Fatal("the same order in epochs 0 and 1")
		}
	}
	// One-hot labels.
	l, _ := NewLoader(s, LoaderConfig{BatchSize: 4, Seed: 1, OneHot: true})
	b, _ := l.Batch(0)
	if dims := b[1].Shape().Dimensions; !slices.Equal(dims, []int{4, 3}) {
		t.Fatalf("one-hot dims %v", dims)
	}
	oh := tensors.MustCopyFlatData[float32](b[1])
	for j, i := range l.Indices(0) {
		for k := 0; k < 3; k++ {
			if want := float32(0); (k == s.Labels[i]) != (oh[j*3+k] == 1) || (k != s.Labels[i] && oh[j*3+k] != want) {
				t.Fatalf("one-hot row %d = %v, label %d", j, oh[j*3:j*3+3], s.Labels[i])
			}
		}
	}
	// Errors.
	if _, err := NewLoader(s, LoaderConfig{}); err == nil {
		t.Fatal("batch size 0 accepted")
	}
	if _, err := l.Batch(-1); err == nil {
		t.Fatal("step -1 accepted")
	}
	if l, _ := NewLoader(s, LoaderConfig{BatchSize: 100}); l.BatchSize() != 10 || l.StepsPerEpoch() != 1 {
		t.Fatal("batch size not clamped")
	}
}

func TestLoaderAugmentDeterminism(t *testing.T) {
	s := toySet(64, 8, 8, 3, 10)
	s.Normalize([]float64{0.5, 0.5, 0.5}, []float64{0.25, 0.25, 0.25})
	cfg := LoaderConfig{BatchSize: 64, Seed: 42, Augment: Augment{Pad: 4, FlipH: true}}
	l1, _ := NewLoader(s, cfg)
	l2, _ := NewLoader(s, cfg)
	for _, step := range []int{0, 1, 7} {
		x1, y1 := batchValues(t, l1, step)
		x2, y2 := batchValues(t, l2, step)
		if !slices.Equal(x1, x2) || !slices.Equal(y1, y2) {
			t.Fatalf("step %d differs between two loaders with one seed", step)
		}
		x3, _ := batchValues(t, l1, step)
		if !slices.Equal(x1, x3) {
			t.Fatalf("step %d differs when asked twice", step)
		}
	}
	// Every step is a whole epoch here; the same image gets other crops at other steps.
	augmented := func(step int) map[int][]float32 {
		x, _ := batchValues(t, l1, step)
		m := map[int][]float32{}
		n := s.ImageSize()
		for j, i := range l1.Indices(step) {
			m[i] = x[j*n : (j+1)*n]
		}
		return m
	}
	a0, a1 := augmented(0), augmented(1)
	same := 0
	for i := range a0 {
		if slices.Equal(a0[i], a1[i]) {
			same++
		}
	}
	if same > 4 { // P(same crop and flip) = 1/162 per image
		t.Fatalf("%d of 64 images augmented alike at steps 0 and 1", same)
	}
	// Another seed, other batches.
	cfg.Seed = 43
	l3, _ := NewLoader(s, cfg)
	x0, _ := batchValues(t, l1, 0)
	x3, _ := batchValues(t, l3, 0)
	if slices.Equal(x0, x3) {
		t.Fatal("seeds 42 and 43 give the same batch")
	}
	// Padding is black in raw pixel terms: −mean/std = −2 here.
	black := 0
	for _, v := range x0 {
		if v == -2 {
			black++
		}
	}
	if black < 1000 { // about 48% of the 64·8·8·3 values are padding on average
		t.Fatalf("%d padding values of −2 in a batch padded by 4", black)
	}
}

func TestLoaderResume(t *testing.T) {
	s := toySet(50, 4, 4, 1, 5)
	cfg := LoaderConfig{BatchSize: 8, Seed: 9, Augment: Augment{Pad: 1, FlipH: true}}
	ref, _ := NewLoader(s, cfg)
	const steps, k = 20, 13 // 6 steps per epoch: crosses epochs 0 to 3
	var want [steps][]float32
	var wantY [steps][]int32
	for step := 0; step < steps; step++ {
		want[step], wantY[step] = batchValues(t, ref, step)
	}
	// A fresh loader (a resumed process) starting at step k, then going back.
	res, _ := NewLoader(s, cfg)
	for _, step := range append(seq(steps)[k:], seq(k)...) {
		x, y := batchValues(t, res, step)
		if !slices.Equal(x, want[step]) || !slices.Equal(y, wantY[step]) {
			t.Fatalf("step %d after resuming at %d differs", step, k)
		}
	}
	// Fill gives the same values into the caller's buffers.
	x := make([]float32, 8*16)
	y := make([]int32, 8)
	if n := res.Fill(5, x, y); n != 8 || !slices.Equal(x, want[5]) || !slices.Equal(y, wantY[5]) {
		t.Fatal("Fill differs from Batch")
	}
}

func TestInOrder(t *testing.T) {
	s := toySet(11, 2, 2, 1, 3)
	it, err := NewInOrder(s, 4, false)
	if err != nil {
		t.Fatal(err)
	}
	if it.Steps() != 3 {
		t.Fatalf("%d steps", it.Steps())
	}
	var x []float32
	var y []int32
	for k, b := range it.All() {
		lo, hi := it.Range(k)
		if b[0].Shape().Dimensions[0] != hi-lo || (k == 2 && hi-lo != 3) {
			t.Fatalf("batch %d: %v", k, b[0].Shape())
		}
		x = append(x, tensors.MustCopyFlatData[float32](b[0])...)
		y = append(y, tensors.MustCopyFlatData[int32](b[1])...)
	}
	if !slices.Equal(x, s.Pixels) || len(y) != 11 || y[10] != int32(s.Labels[10]) {
		t.Fatal("InOrder batches do not make up the set")
	}
	if _, err := it.Batch(3); err == nil {
		t.Fatal("batch 3 of 3 accepted")
	}
	oh, _ := NewInOrder(s, 100, true)
	b, _ := oh.Batch(0)
	if dims := b[1].Shape().Dimensions; !slices.Equal(dims, []int{11, 3}) {
		t.Fatalf("one-hot dims %v", dims)
	}
}
