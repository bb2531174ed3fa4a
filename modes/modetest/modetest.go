package modetest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/ergml/erg/modes"
	"github.com/ergml/erg/modes/dip"
	"github.com/ergml/erg/modes/kde"
)

// Config configures the bootstrap tests. The zero value means B = 500 replicates, seed 0,
// all cores, a 1024-point binned grid for counting modes (multimode's default for the
// critical-bandwidth tests, which use R's density()), Silverman's variance-corrected smoothed bootstrap, and
// α = 0.05 for the Hall–York calibration and for Estimate.
type Config struct {
	B       int
	Seed    uint64
	Workers int
	Grid    kde.Grid
	// NoRescale draws Silverman bootstrap samples as x_J + h_k ε without the variance
	// correction (multimode's implementation).
	NoRescale bool
	Alpha     float64
	// DipTable makes Estimate(MethodDip) use the table p-value instead of simulation.
	DipTable bool
	// NoHallYork skips the Hall–York calibrated p-value of Silverman(x, 1, ·) (one kernel
	// estimate per resample instead of two).
	NoHallYork bool
}

func (c Config) b() int {
	if c.B <= 0 {
		return 500
	}
	return c.B
}

func (c Config) grid() kde.Grid {
	g := c.Grid
	if g.N <= 0 {
		g.N = 1024
	}
	if g.Method == kde.Auto {
		g.Method = kde.Binned // as R's density(), which multimode uses; fast for resampling
	}
	return g
}

func (c Config) alpha() float64 {
	if c.Alpha <= 0 {
		return 0.05
	}
	return c.Alpha
}

// Result is one test of H0: k modes.
type Result struct {
	Method    string  `json:"method"`
	K         int     `json:"k"`
	Statistic float64 `json:"statistic"`
	Name      string  `json:"statistic_name"`
	PValue    float64 `json:"p_value"`
	// PValueHY is the Hall–York calibrated p-value of the Silverman test (k = 1 only;
	// NaN otherwise, encoded as null). It is calibrated for the level Alpha.
	PValueHY modes.Num `json:"p_value_hy,omitempty"`
	B        int       `json:"B"`
	// H is the critical bandwidth h_k used for resampling (Silverman and ACR).
	H float64 `json:"bw,omitempty"`
}

// HallYorkLambda is the factor λ(α) of Hall and York (2001) by which the critical
// bandwidth is inflated to calibrate Silverman's test of unimodality at level α (their
// fitted rational function, as in multimode).
func HallYorkLambda(alpha float64) float64 {
	a := alpha
	return (0.94029*a*a*a - 1.59914*a*a + 0.17695*a + 0.48971) / (a*a*a - 1.77793*a*a + 0.36162*a + 0.42423)
}

// Silverman tests H0: at most k modes with Silverman's critical bandwidth test. For k = 1
// the Hall–York calibrated p-value is also returned.
func Silverman(x []float64, k int, cfg Config) Result {
	if k < 1 {
		panic("modetest: k < 1")
	}
	g := cfg.grid()
	h := kde.CriticalBandwidth(x, k, kde.CritConfig{Grid: g})
	B := cfg.b()
	n := len(x)
	m, v := meanVar(x)
	scale := 1.0
	if !cfg.NoRescale {
		scale = 1 / math.Sqrt(1+h*h/v)
	}
	lam := HallYorkLambda(cfg.alpha())
	more := make([]bool, B)
	moreHY := make([]bool, B)
	modes.Replicates(B, cfg.Seed, cfg.Workers, func(i int, rng *rand.Rand) {
		y := make([]float64, n)
		for j := range y {
			y[j] = m + (x[rng.IntN(n)]-m+h*rng.NormFloat64())*scale
		}
		more[i] = kde.NModes(y, h, g) > k
		if k == 1 && !cfg.NoHallYork {
			moreHY[i] = kde.NModes(y, lam*h, g) > k
		}
	})
	r := Result{Method: "silverman", K: k, Statistic: h, Name: "critical bandwidth", B: B, H: h,
		PValue: frac(more), PValueHY: modes.Num(math.NaN())}
	if k == 1 && !cfg.NoHallYork {
		r.PValueHY = modes.Num(frac(moreHY))
	}
	return r
}

// Dip tests unimodality with Hartigan's dip; k must be 1. With cfg.DipTable the p-value
// is interpolated in the null table, otherwise simulated from B uniform samples.
func Dip(x []float64, cfg Config) Result {
	dc := dip.TestConfig{Seed: cfg.Seed, Workers: cfg.Workers}
	if !cfg.DipTable {
		dc.B = cfg.b()
	}
	t := dip.Test(x, dc)
	return Result{Method: "dip", K: 1, Statistic: t.Dip, Name: "dip", PValue: t.PValue, B: dc.B, PValueHY: modes.Num(math.NaN())}
}

// ACR tests H0: k modes with the excess-mass statistic, calibrated by a smoothed bootstrap
// from the kernel estimate at the critical bandwidth h_k. Samples with ties are jittered
// by less than half the smallest gap first (as multimode does), with a stream derived
// from cfg.Seed.
func ACR(x []float64, k int, cfg Config) Result {
	if k < 1 {
		panic("modetest: k < 1")
	}
	xs := append([]float64(nil), x...)
	sort.Float64s(xs)
	jitterTies(xs, rand.New(rand.NewPCG(cfg.Seed, 0)))
	stat := excessMassSorted(xs, k)
	g := cfg.grid()
	h := kde.CriticalBandwidth(xs, k, kde.CritConfig{Grid: g})
	B := cfg.b()
	n := len(xs)
	ge := make([]bool, B)
	modes.Replicates(B, cfg.Seed, cfg.Workers, func(i int, rng *rand.Rand) {
		y := make([]float64, n)
		for j := range y {
			y[j] = xs[rng.IntN(n)] + h*rng.NormFloat64()
		}
		sort.Float64s(y)
		ge[i] = excessMassSorted(y, k) > stat
	})
	return Result{Method: "acr", K: k, Statistic: stat, Name: "excess mass", PValue: frac(ge), B: B, H: h, PValueHY: modes.Num(math.NaN())}
}

// jitterTies adds uniform noise in (-g/2, g/2), g the smallest positive gap, to every
// point of a sorted sample that has ties, and re-sorts.
func jitterTies(xs []float64, rng *rand.Rand) {
	ties := false
	g := math.Inf(1)
	for i := 1; i < len(xs); i++ {
		d := xs[i] - xs[i-1]
		if d == 0 {
			ties = true
		} else if d < g {
			g = d
		}
	}
	if !ties || math.IsInf(g, 1) {
		return
	}
	for i := range xs {
		xs[i] += (rng.Float64() - 0.5) * g
	}
	sort.Float64s(xs)
}

// Method names a test.
type Method string

// The tests.
const (
	MethodSilverman Method = "silverman"
	MethodHallYork  Method = "hy" // Silverman with Hall–York calibration for k = 1
	MethodDip       Method = "dip"
	MethodACR       Method = "acr"
)

// Test runs method for H0: k modes.
func Test(method Method, x []float64, k int, cfg Config) (Result, error) {
	switch method {
	case MethodSilverman:
		return Silverman(x, k, cfg), nil
	case MethodHallYork:
		cfg.NoHallYork = false
		r := Silverman(x, k, cfg)
		if k == 1 {
			r.Method, r.PValue = "hy", float64(r.PValueHY)
		}
		return r, nil
	case MethodDip:
		if k != 1 {
			return Result{}, fmt.Errorf("modetest: the dip test only tests unimodality (k = 1), got k = %d", k)
		}
		return Dip(x, cfg), nil
	case MethodACR:
		return ACR(x, k, cfg), nil
	}
	return Result{}, fmt.Errorf("modetest: unknown method %q (silverman, hy, dip, acr)", method)
}

// Estimate is a number of modes found by sequential testing.
type Estimate struct {
	Method string   `json:"method"`
	Modes  int      `json:"modes"`
	Alpha  float64  `json:"alpha"`
	Tests  []Result `json:"tests"`
}

// EstimateModes tests k = 1, 2, ..., kmax at level α and returns the first k not
// rejected (kmax if all are). For the dip test the answer is 1 or 2. For the Hall–York
// method the calibration applies to k = 1 and later steps use Silverman's test.
func EstimateModes(method Method, x []float64, kmax int, cfg Config) (Estimate, error) {
	if kmax < 1 {
		kmax = 10
	}
	a := cfg.alpha()
	e := Estimate{Method: string(method), Alpha: a}
	if method == MethodDip {
		kmax = 2
	}
	for k := 1; k <= kmax; k++ {
		if method == MethodDip && k == 2 {
			e.Modes = 2
			return e, nil
		}
		r, err := Test(method, x, k, cfg)
		if err != nil {
			return e, err
		}
		e.Tests = append(e.Tests, r)
		if r.PValue >= a {
			e.Modes = k
			return e, nil
		}
	}
	e.Modes = kmax
	return e, nil
}

func frac(b []bool) float64 {
	c := 0
	for _, v := range b {
		if v {
			c++
		}
	}
	return float64(c) / float64(len(b))
}

func meanVar(x []float64) (m, v float64) {
	for _, t := range x {
		m += t
	}
	m /= float64(len(x))
	for _, t := range x {
		v += (t - m) * (t - m)
	}
	return m, v / float64(len(x)-1)
}
