package gamma

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestMoments: the sample mean and variance of Gamma(k, 1) are k and k (exact
// moments), within 5 standard errors, for shapes below and above 1.
func TestMoments(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const n = 200000
	for _, k := range []float64{0.1, 0.5, 1, 2.5, 30} {
		var s, s2 float64
		for range n {
			x := Rand(rng, k)
			s += x
			s2 += x * x
		}
		mean := s / n
		vr := s2/n - mean*mean
		if se := math.Sqrt(k / n); math.Abs(mean-k) > 5*se {
			t.Errorf("shape %g: mean %g, want %g ± %g", k, mean, k, 5*se)
		}
		// Var of the sample variance ≈ (μ4 − σ⁴)/n with μ4 = 3k² + 6k for Gamma(k, 1).
		if se := math.Sqrt((3*k*k + 6*k - k*k) / n); math.Abs(vr-k) > 5*se {
			t.Errorf("shape %g: variance %g, want %g ± %g", k, vr, k, 5*se)
		}
	}
}

// TestLogRandTinyShape: E[log X] = ψ(k) for X ~ Gamma(k, 1); at k = 1e-3, ψ(k) ≈ −1/k − γ
// = −1000.58, where exp underflows nothing but Rand's draws are mostly 0.
func TestLogRandTinyShape(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const k, n = 1e-3, 100000
	var s, s2 float64
	for range n {
		l := LogRand(rng, k)
		s += l
		s2 += l * l
	}
	mean := s / n
	want := -1/k - 0.5772156649 + 1.6449340668*k // ψ(k) series
	sd := math.Sqrt(s2/n - mean*mean)
	if math.Abs(mean-want) > 5*sd/math.Sqrt(n) {
		t.Errorf("mean log draw %g, want ψ(%g) = %g", mean, k, want)
	}
}
