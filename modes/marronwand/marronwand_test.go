package marronwand

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Each density integrates to one; the mode counts match Marron and Wand's Figure 1: the
// claw has its 5 fingers (the middle one on the Gaussian's mode); the double claw 7 (two
// fingers sit on the big modes at ±1); the asymmetric claw 5 (the Gaussian's own mode is
// absorbed by the widest finger at -1.5); the asymmetric double claw 6 (3 + 3 fingers, the
// ones at ±1 on the big modes); the combs 6 teeth.
func TestDensities(t *testing.T) {
	want := []int{1, 1, 1, 1, 1, 2, 2, 2, 3, 5, 7, 5, 6, 6, 6}
	for i, d := range All() {
		// trapezoid rule with step 1e-3 (a tenth of the narrowest sd): spectrally accurate
		s := 0.0
		h := 1e-3
		for i := -10000; i <= 10000; i++ {
			s += d.PDF(float64(i)*h) * h
		}
		if math.Abs(s-1) > 1e-6 {
			t.Errorf("%d %s: integral %g", d.Number, d.Name, s)
		}
		if got := d.Modes(); got != want[i] {
			t.Errorf("%d %s: %d modes, want %d", d.Number, d.Name, got, want[i])
		}
	}
}

func TestSampleMoments(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, d := range All() {
		mean := 0.0
		for j, w := range d.W {
			mean += w * d.Mu[j]
		}
		x := d.Sample(200000, rng)
		m := 0.0
		for _, v := range x {
			m += v
		}
		m /= float64(len(x))
		if math.Abs(m-mean) > 0.01 {
			t.Errorf("%d: sample mean %g, mixture mean %g", d.Number, m, mean)
		}
	}
}
