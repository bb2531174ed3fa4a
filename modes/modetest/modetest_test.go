package modetest

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/ergml/erg/modes/dip"
)

func sample(seed uint64, n int, sep float64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 7))
	x := make([]float64, n)
	for i := range x {
		x[i] = rng.NormFloat64()
		if i%2 == 1 {
			x[i] += sep
		}
	}
	return x
}

// Δ_2 = 2·dip is an identity (Müller and Sawitzki 1991; multimode's excessmass(x, 1)
// returns 2*dip(x)). The dip comes from the independent AS 217 port checked against R.
func TestExcessMassIsTwiceDip(t *testing.T) {
	const tol = 1e-12
	for seed := uint64(0); seed < 30; seed++ {
		n := 5 + int(seed)*13
		x := sample(seed, n, float64(seed%4))
		em := ExcessMass(x, 1)
		d := dip.Statistic(x).Dip
		if math.Abs(em-2*d) > tol {
			t.Errorf("n=%d: Δ2 = %.17g, 2·dip = %.17g", n, em, 2*d)
		}
	}
}

// bruteExcessMass enumerates every set of at most m disjoint intervals of the sorted
// points, takes the lines mass - λ·len, and maximises E_{k+1} - E_k over all pairwise
// intersections of lines (where the piecewise-linear difference can peak) and λ = 0, ∞.
func bruteExcessMass(xs []float64, k int) float64 {
	n := len(xs)
	type ln struct{ m, l float64 }
	var sets func(start, left int, mass, length float64, out *[]ln)
	sets = func(start, left int, mass, length float64, out *[]ln) {
		*out = append(*out, ln{mass, length})
		if left == 0 {
			return
		}
		for i := start; i < n; i++ {
			for j := i; j < n; j++ {
				sets(j+1, left-1, mass+float64(j-i+1)/float64(n), length+xs[j]-xs[i], out)
			}
		}
	}
	var a, b []ln
	sets(0, k, 0, 0, &a)
	sets(0, k+1, 0, 0, &b)
	E := func(ls []ln, lam float64) float64 {
		v := math.Inf(-1)
		for _, l := range ls {
			v = math.Max(v, l.m-lam*l.l)
		}
		return v
	}
	all := append(append([]ln{}, a...), b...)
	cands := []float64{0, 1e9}
	for i := range all {
		for j := i + 1; j < len(all); j++ {
			if all[i].l != all[j].l {
				if lam := (all[i].m - all[j].m) / (all[i].l - all[j].l); lam > 0 {
					cands = append(cands, lam)
				}
			}
		}
	}
	d := math.Inf(-1)
	for _, lam := range cands {
		d = math.Max(d, E(b, lam)-E(a, lam))
	}
	return d
}

func TestExcessMassBruteForce(t *testing.T) {
	const tol = 1e-12
	rng := rand.New(rand.NewPCG(5, 5))
	for r := 0; r < 24; r++ {
		n := 4 + r%3
		x := make([]float64, n)
		for i := range x {
			x[i] = rng.NormFloat64() * 3
		}
		sort.Float64s(x)
		for k := 1; k <= 2; k++ {
			got, want := ExcessMass(x, k), bruteExcessMass(x, k)
			if math.Abs(got-want) > tol {
				t.Errorf("n=%d k=%d: Δ = %.17g, brute force %.17g (x=%v)", n, k, got, want, x)
			}
		}
	}
}

func TestSilvermanDeterministicAcrossWorkers(t *testing.T) {
	x := sample(1, 150, 2.5)
	a := Silverman(x, 1, Config{B: 60, Seed: 9, Workers: 1})
	b := Silverman(x, 1, Config{B: 60, Seed: 9, Workers: 2})
	if a.PValue != b.PValue || a.PValueHY != b.PValueHY || a.Statistic != b.Statistic {
		t.Errorf("1 worker %+v, 2 workers %+v", a, b)
	}
}

// Well separated bimodal data (means 0 and 5, unit variances, n = 200): every test must
// reject unimodality; Silverman and ACR must not reject two modes. A standard normal
// sample must not be rejected at 1%.
func TestPowerAndLevel(t *testing.T) {
	bi := sample(2, 200, 5)
	uni := sample(3, 200, 0)
	cfg := Config{B: 100, Seed: 1}
	for _, m := range []Method{MethodSilverman, MethodHallYork, MethodDip, MethodACR} {
		r, err := Test(m, bi, 1, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if r.PValue > 0.01 {
			t.Errorf("%s: bimodal sample, H0 k=1: p = %g, want <= 0.01", m, r.PValue)
		}
		r, _ = Test(m, uni, 1, cfg)
		if r.PValue < 0.01 {
			t.Errorf("%s: normal sample, H0 k=1: p = %g, want >= 0.01", m, r.PValue)
		}
	}
	for _, m := range []Method{MethodSilverman, MethodACR} {
		r, _ := Test(m, bi, 2, cfg)
		if r.PValue < 0.01 {
			t.Errorf("%s: bimodal sample, H0 k=2: p = %g, want >= 0.01", m, r.PValue)
		}
		e, err := EstimateModes(m, bi, 5, cfg)
		if err != nil || e.Modes != 2 {
			t.Errorf("%s: estimated %d modes (%v), want 2", m, e.Modes, err)
		}
	}
}

// Silverman's test is conservative, so the calibration inflates h_1 (λ > 1), more so at
// smaller levels; the value at 0.05 is the one multimode uses (1.1294).
func TestHallYorkLambda(t *testing.T) {
	prev := math.Inf(1)
	for _, a := range []float64{0.01, 0.02, 0.05, 0.1, 0.2} {
		l := HallYorkLambda(a)
		if !(l > 1 && l < prev) {
			t.Errorf("λ(%g) = %g (previous %g)", a, l, prev)
		}
		prev = l
	}
	if l := HallYorkLambda(0.05); math.Abs(l-1.12942) > 1e-4 {
		t.Errorf("λ(0.05) = %g, want 1.12942", l)
	}
}
