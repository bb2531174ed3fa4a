package bts

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"
)

func normalMix(seed uint64, n int, sep float64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 3))
	x := make([]float64, n)
	for i := range x {
		x[i] = rng.NormFloat64()
		if i%2 == 1 {
			x[i] += sep
		}
	}
	return x
}

// The taut string stays in the tube around the empirical distribution function, is
// piecewise linear through its vertices, and with a wide tube on uniform data is a
// single straight segment (one flat mode).
func TestTautStringTube(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	x := make([]float64, 300)
	for i := range x {
		x[i] = rng.Float64()
	}
	for _, eps := range []float64{0.01, 0.03, 0.1, 0.5} {
		ts := TautString(x, eps)
		xs := append([]float64(nil), x...)
		sort.Float64s(xs)
		n := float64(len(xs))
		at := func(v float64) float64 {
			k := sort.SearchFloat64s(ts.Knots, v)
			if k == 0 {
				return ts.Values[0]
			}
			if k >= len(ts.Knots) {
				return ts.Values[len(ts.Values)-1]
			}
			f := (v - ts.Knots[k-1]) / (ts.Knots[k] - ts.Knots[k-1])
			return ts.Values[k-1] + f*(ts.Values[k]-ts.Values[k-1])
		}
		for i, v := range xs[1 : len(xs)-1] {
			i++
			s := at(v)
			if s < float64(i+1)/n-eps-1e-12 || s > float64(i)/n+eps+1e-12 {
				t.Fatalf("eps=%g: string %g at x_(%d) outside [%g, %g]", eps, s, i+1, float64(i+1)/n-eps, float64(i)/n+eps)
			}
		}
		for _, d := range ts.Density {
			if d < -1e-12 {
				t.Errorf("eps=%g: negative density %g", eps, d)
			}
		}
	}
	if ts := TautString(x, 0.2); len(ts.Knots) != 2 || ts.NModes() != 1 {
		t.Errorf("wide tube: %d knots, %d modes; want a straight line", len(ts.Knots), ts.NModes())
	}
	// two well separated clusters: a narrow tube shows both
	if ts := TautString(normalMix(2, 400, 8), 0.05); ts.NModes() != 2 {
		t.Errorf("separated clusters: taut string has %d modes, want 2", ts.NModes())
	}
}

// The clamped cubic basis is a partition of unity and matches the textbook Cox–de Boor
// recursion evaluated independently.
func TestBasis(t *testing.T) {
	knots := []float64{0.1, 0.15, 0.4, 0.7, 0.71, 0.9}
	b := newBasis(knots)
	var cox func(i, k int, x float64) float64
	cox = func(i, k int, x float64) float64 {
		tt := b.t
		if k == 1 {
			if (tt[i] <= x && x < tt[i+1]) || (x == 1 && tt[i] < 1 && tt[i+1] == 1) {
				return 1
			}
			return 0
		}
		v := 0.0
		if d := tt[i+k-1] - tt[i]; d > 0 {
			v += (x - tt[i]) / d * cox(i, k-1, x)
		}
		if d := tt[i+k] - tt[i+1]; d > 0 {
			v += (tt[i+k] - x) / d * cox(i+1, k-1, x)
		}
		return v
	}
	for x := 0.0; x < 1; x += 0.0137 {
		f, v := b.eval(x)
		s := 0.0
		for i := 0; i < 4; i++ {
			s += v[i]
			if w := cox(f+i, 4, x); math.Abs(v[i]-w) > 1e-13 {
				t.Errorf("B_%d(%g) = %g, Cox–de Boor %g", f+i, x, v[i], w)
			}
		}
		if math.Abs(s-1) > 1e-13 {
			t.Errorf("partition of unity at %g: %g", x, s)
		}
	}
}

var quick = Config{Chains: 2, Burn: 150, Draws: 200, Seed: 5}

func TestFitUnimodalAndBimodal(t *testing.T) {
	uni, err := Fit(normalMix(3, 250, 0), quick)
	if err != nil {
		t.Fatal(err)
	}
	bi, err := Fit(normalMix(4, 250, 6), quick)
	if err != nil {
		t.Fatal(err)
	}
	if uni.Modes != 1 || uni.Posterior[0] < 0.5 {
		t.Errorf("normal sample: %d modes, P(1) = %.3f", uni.Modes, uni.Posterior[0])
	}
	if bi.Modes != 2 || bi.Posterior[1] < 0.5 {
		t.Errorf("separated mixture: %d modes, P(2) = %.3f", bi.Modes, bi.Posterior[1])
	}
	for _, r := range []*Result{uni, bi} {
		s := 0.0
		for _, p := range r.Posterior {
			s += p
		}
		if math.Abs(s-1) > 1e-12 {
			t.Errorf("posterior sums to %g", s)
		}
		if r.RHat["log_posterior"] > 1.1 {
			t.Errorf("R̂ = %g", r.RHat["log_posterior"])
		}
		// the median density integrates to about one over the support
		integ := 0.0
		for j := range r.X {
			integ += r.Median[j] * (r.B - r.A) / float64(len(r.X))
		}
		if math.Abs(integ-1) > 0.05 {
			t.Errorf("posterior median integrates to %g", integ)
		}
	}
	// modes of the separated mixture near 0 and 6
	var near0, near6 float64
	tot := 0.0
	for i, l := range bi.ModeLocations {
		tot += bi.ModeWeights[i]
		if math.Abs(l) < 1 {
			near0 += bi.ModeWeights[i]
		}
		if math.Abs(l-6) < 1 {
			near6 += bi.ModeWeights[i]
		}
	}
	if near0 < 0.3*tot || near6 < 0.3*tot {
		t.Errorf("mode locations: weight %.2f near 0 and %.2f near 6 of %.2f", near0, near6, tot)
	}
}

// With a prior on the number of modes, the posterior is the base posterior reweighted
// by prior/base prior, so posterior odds / prior odds (the Bayes factor) do not change.
func TestPriorReweightingAndBayesFactors(t *testing.T) {
	x := normalMix(6, 200, 3)
	a, err := Fit(x, quick)
	if err != nil {
		t.Fatal(err)
	}
	cfg := quick
	cfg.PriorRatio = 0.3
	b, err := Fit(x, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(a.K); i++ {
		if a.BasePosterior[i] == 0 || a.BasePosterior[i+1] == 0 {
			continue
		}
		bfA := (a.Posterior[i] / a.Posterior[i+1]) / (a.Prior[i] / a.Prior[i+1])
		bfB := (b.Posterior[i] / b.Posterior[i+1]) / (b.Prior[i] / b.Prior[i+1])
		if math.Abs(bfA/a.BayesFactors[i]-1) > 1e-9 || math.Abs(bfB/b.BayesFactors[i]-1) > 1e-9 {
			t.Errorf("k=%d: BF %g, from odds %g (base prior) and %g (geometric prior)", i+1, a.BayesFactors[i], bfA, bfB)
		}
	}
	if math.Abs(b.Prior[1]/b.Prior[0]-0.3) > 1e-12 {
		t.Errorf("geometric prior ratio %g", b.Prior[1]/b.Prior[0])
	}
}

func TestFitDeterministicAcrossWorkers(t *testing.T) {
	x := normalMix(7, 120, 2)
	c1, c2 := quick, quick
	c1.Workers, c2.Workers = 1, 2
	a, _ := Fit(x, c1)
	b, _ := Fit(x, c2)
	for i := range a.Posterior {
		if a.Posterior[i] != b.Posterior[i] {
			t.Fatalf("posterior differs with workers: %v vs %v", a.Posterior, b.Posterior)
		}
	}
}
