package cnn

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestPatchReflects(t *testing.T) {
	// 3 lines × 4 samples, 2 bands: pixel p holds (p, -p).
	x := make([]float64, 24)
	for p := range 12 {
		x[2*p], x[2*p+1] = float64(p), -float64(p)
	}
	c := NewCube(3, 4, 2, x)
	dst := make([]float32, 9*2)
	c.Patch(0, 3, dst) // corner (0, 0): lines −1,0,1 → 1,0,1; samples −1,0,1 → 1,0,1
	want := []int{5, 4, 5, 1, 0, 1, 5, 4, 5}
	for i, p := range want {
		if dst[2*i] != float32(p) || dst[2*i+1] != -float32(p) {
			t.Fatalf("patch of pixel 0: position %d holds %v, %v; want pixel %d", i, dst[2*i], dst[2*i+1], p)
		}
	}
	c.Patch(11, 5, make([]float32, 25*2)) // radius 2 on 3 lines: −… reflect twice, no panic
	if got := reflect(-2, 3); got != 2 {
		t.Errorf("reflect(-2, 3) = %d, want 2", got)
	}
	if got := reflect(4, 3); got != 0 {
		t.Errorf("reflect(4, 3) = %d, want 0", got)
	}
}

// The parameter counts are those of DeepHyperX's HuEtAl and HamidaEtAl (PyTorch's
// sum of numel) on 200 bands and 16 classes, derived here layer by layer.
func TestParamCounts(t *testing.T) {
	k1, k2 := HuKernel(200)
	if k1 != 23 || k2 != 5 {
		t.Fatalf("HuKernel(200) = %d, %d; want 23, 5", k1, k2)
	}
	feat := (200 - k1 + 1) / k2 * 20 // 35 pooled positions × 20 filters
	hu := (20*k1 + 20) + (feat*100 + 100) + (100*16 + 16)
	// Hamida, bands: 200 → conv1 198 → pool1 99 → conv2 99 → pool2 50 → conv3 50 → conv4 26.
	hamida := (20*27 + 20) + (20*20*3 + 20) + (35*20*27 + 35) + (35*35*3 + 35) + (35*35*3 + 35) + (35*35*2 + 35) + (26*35*16 + 16)
	for name, want := range map[string]int{"cnn1d": hu, "cnn3d": hamida} {
		spec, err := Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ParamCount(nil, spec, 200, 16)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s: %d parameters, want %d", name, got, want)
		}
	}
}

// stripes is a 16×16 image of three vertical stripes (classes 1..3) whose 8-band
// spectra differ by class, in noise of about the same size.
func stripes(seed uint64) (*Cube, []int) {
	const n, bands = 16, 8
	r := rand.New(rand.NewPCG(seed, 7))
	x := make([]float64, n*n*bands)
	lab := make([]int, n*n)
	for p := range lab {
		c := min((p%n)*3/n, 2)
		lab[p] = c + 1
		for j := range bands {
			// class c raises bands c, c+3 and lowers band 7-c.
			m := 0.0
			switch j {
			case c, c + 3:
				m = 1
			case 7 - c:
				m = -1
			}
			x[p*bands+j] = m + 0.8*r.NormFloat64()
		}
	}
	return NewCube(n, n, bands, x), lab
}

// Both networks, trained on 4 labelled pixels per class, classify the other pixels
// far above chance (1/3).
func TestFitTinyBeatsChance(t *testing.T) {
	c, lab := stripes(1)
	r := rand.New(rand.NewPCG(2, 2))
	var train, labels, test []int
	got := map[int]int{}
	for _, p := range r.Perm(len(lab)) {
		if got[lab[p]] < 4 {
			got[lab[p]]++
			train, labels = append(train, p), append(labels, lab[p])
		} else {
			test = append(test, p)
		}
	}
	// cnn1d sees one noisy spectrum (its Bayes accuracy here is about 0.85); cnn3d a
	// 5×5 patch of the stripe.
	for name, floor := range map[string]float64{"cnn1d": 0.6, "cnn3d": 0.85} {
		res, err := Fit(context.Background(), c, train, labels, 3, Config{Model: name, Epochs: 60, Batch: 12, Seed: 1, Quiet: true, NoMeter: true}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Prob) != 3*c.Pixels() {
			t.Fatalf("%s: %d probabilities, want %d", name, len(res.Prob), 3*c.Pixels())
		}
		correct := 0
		for _, p := range test {
			best := 0
			var sum float64
			for k := range 3 {
				sum += res.Prob[p*3+k]
				if res.Prob[p*3+k] > res.Prob[p*3+best] {
					best = k
				}
			}
			if math.Abs(sum-1) > 1e-5 {
				t.Fatalf("%s: pixel %d: probabilities sum to %v", name, p, sum)
			}
			if best+1 == lab[p] {
				correct++
			}
		}
		acc := float64(correct) / float64(len(test))
		t.Logf("%s: accuracy %.3f on %d pixels after %d steps (loss %.3g)", name, acc, len(test), res.Steps, res.Loss)
		if acc < floor {
			t.Errorf("%s: accuracy %.3f, want ≥ %.2f (chance 0.33)", name, acc, floor)
		}
	}
}

func TestFitBadInput(t *testing.T) {
	c, lab := stripes(1)
	for _, tc := range []struct {
		cfg    Config
		labels []int
		want   string
	}{
		{Config{Model: "lenet"}, []int{lab[0]}, `unknown network "lenet"`},
		{Config{Model: "cnn1d", Epochs: -1}, []int{lab[0]}, "epochs -1"},
		{Config{Model: "cnn1d"}, []int{4}, "label 4 of training pixel 0 not in 1..3"},
		{Config{Model: "cnn1d"}, nil, "1 training pixels and 0 labels"},
	} {
		_, err := Fit(context.Background(), c, []int{0}, tc.labels, 3, tc.cfg, nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want %q", tc.cfg, err, tc.want)
		}
	}
}
