package ctf

import (
	"fmt"
	"math"
)

// TotalOn is the total ON time of the paper's pulse trains in erg's experiments, µs.
const TotalOn = 100.0

// DefaultGap is the gap between pulses of the fragment and width experiments, µs.
const DefaultGap = 100.0

// Point is one pulse train of a sweep: N pulses of width PW µs with gaps of Gap µs
// (N·PW = the sweep's total ON time), its cumulative V_T shift, the conserved shift
// of one continuous pulse of the same ON time and their ratio.
type Point struct {
	N         int     `json:"n"`
	PW        float64 `json:"pw_us"`
	Gap       float64 `json:"gap_us"`
	Shift     float64 `json:"shift_v"`
	Conserved float64 `json:"conserved_v"`
	Ratio     float64 `json:"ratio"`
	PerMicro  float64 `json:"shift_per_us"` // Shift / (N·PW)
}

func (p Params) point(n int, pw, gap float64) Point {
	s := p.TrainShift(n, pw, gap)
	c := p.Conserved(float64(n) * pw)
	return Point{N: n, PW: pw, Gap: gap, Shift: s, Conserved: c, Ratio: s / c, PerMicro: s / (float64(n) * pw)}
}

// Experiments lists the sweep names: fragment (N at fixed ON time), width (pulse
// width at fixed ON time) and gap (gap at pw = 1 µs, N = 100).
var Experiments = []string{"fragment", "width", "gap"}

// Sweep runs one experiment at total ON time TotalOn: "fragment" over N ∈ {1, 2, 5,
// 10, 20, 50, 100, 200} with gaps of gap µs, "width" over pw from 0.25 to 100 µs with
// gaps of gap µs, "gap" over gaps from 0.1 to 1000 µs with 100 pulses of 1 µs (gap is
// then ignored).
func (p Params) Sweep(exp string, gap float64) ([]Point, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if !(gap >= 0) {
		return nil, fmt.Errorf("ctf: gap %v: must be non-negative", gap)
	}
	var out []Point
	switch exp {
	case "fragment":
		for _, n := range []int{1, 2, 5, 10, 20, 50, 100, 200} {
			out = append(out, p.point(n, TotalOn/float64(n), gap))
		}
	case "width":
		for _, pw := range []float64{0.25, 0.5, 0.8, 1, 1.25, 2, 2.5, 4, 5, 10, 20, 25, 50, 100} {
			out = append(out, p.point(int(math.Round(TotalOn/pw)), pw, gap))
		}
	case "gap":
		for _, g := range []float64{0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000} {
			out = append(out, p.point(100, 1, g))
		}
	default:
		return nil, fmt.Errorf("ctf: experiment %q: want fragment, width or gap", exp)
	}
	return out, nil
}

// Knee returns the pulse width (µs) at which the V_T shift per µs of ON time, in
// trains of total ON time TotalOn with gaps of gap µs, falls to half its value for
// one long pulse (pw = TotalOn): the crossing of Ratio = 1/2, found by bisection in
// log pw between 0.01 µs and TotalOn. It returns NaN when there is no crossing
// (κ = 0: the ratio is 1 everywhere).
func (p Params) Knee(gap float64) float64 {
	f := func(pw float64) float64 {
		n := TotalOn / pw
		// a fractional number of pulses: the last one is shorter
		k := int(math.Floor(n))
		var c Cell
		t := 0.0
		for range k {
			c.Pulse(p, t, pw, 1)
			t += pw + gap
		}
		if r := TotalOn - float64(k)*pw; r > 1e-12 {
			c.Pulse(p, t, r, 1)
		}
		return c.VT/p.Conserved(TotalOn) - 0.5
	}
	lo, hi := math.Log(0.01), math.Log(TotalOn)
	if f(math.Exp(lo)) > 0 || f(math.Exp(hi)) < 0 {
		return math.NaN()
	}
	for range 60 {
		m := 0.5 * (lo + hi)
		if f(math.Exp(m)) < 0 {
			lo = m
		} else {
			hi = m
		}
	}
	return math.Exp(0.5 * (lo + hi))
}

// Check is the outcome of the three paper experiments, each as two ratios to the
// conserved shift, the knee of the width sweep and the recovery by short gaps.
type Check struct {
	Kappa float64 `json:"kappa"`
	// fragment: 100 × 1 µs vs 10 × 10 µs (gaps DefaultGap)
	Fragment100x1, Fragment10x10 float64
	// width: 0.5 µs vs 5 µs pulses, 100 µs total (gaps DefaultGap)
	Width05, Width5 float64
	// gap: 100 × 1 µs pulses with 1 µs vs 100 µs gaps
	Gap1, Gap100 float64
	// Knee of the width sweep (µs), NaN when the ratio never reaches 1/2
	Knee float64
	// Recovered is Gap1, the share of the conserved shift that 1 µs gaps keep at
	// pw = 1 µs; RecoveredLoss = (Gap1 − Gap100)/(1 − Gap100), the share of the loss at
	// 100 µs gaps that cutting the gap to 1 µs recovers.
	Recovered, RecoveredLoss float64
	// The paper's three signs: fewer, longer pulses shift more; short pulses shift
	// less; shorter gaps shift more.
	SignFragment, SignWidth, SignGap bool
}

// RunCheck runs the three experiments.
func (p Params) RunCheck() (Check, error) {
	if err := p.Validate(); err != nil {
		return Check{}, err
	}
	c := Check{Kappa: p.Kappa}
	c.Fragment100x1 = p.Ratio(100, 1, DefaultGap)
	c.Fragment10x10 = p.Ratio(10, 10, DefaultGap)
	c.Width05 = p.Ratio(200, 0.5, DefaultGap)
	c.Width5 = p.Ratio(20, 5, DefaultGap)
	c.Gap1 = p.Ratio(100, 1, 1)
	c.Gap100 = p.Ratio(100, 1, 100)
	c.Knee = p.Knee(DefaultGap)
	c.Recovered = c.Gap1
	if c.Gap100 < 1 {
		c.RecoveredLoss = (c.Gap1 - c.Gap100) / (1 - c.Gap100)
	} else {
		c.RecoveredLoss = math.NaN()
	}
	const margin = 1e-9 // rounding, not a sign (κ = 0 gives ratios 1 within it)
	c.SignFragment = c.Fragment10x10-c.Fragment100x1 > margin
	c.SignWidth = c.Width5-c.Width05 > margin
	c.SignGap = c.Gap1-c.Gap100 > margin
	return c, nil
}
