package ebm

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ergml/erg/ebm/sample"
)

var sampleQuick = sample.Config{Burn: 20, Steps: 20}

// TestGridLogZ integrates the standard 2-D Gaussian energy ½|x|² on [-8, 8]²: log Z =
// log 2π; the midpoint rule's error on 256² cells is below 1e-8.
func TestGridLogZ(t *testing.T) {
	g := Grid{Lo: [2]float64{-8, -8}, Hi: [2]float64{8, 8}, N: 256}
	pts := g.Points()
	u := make([]float64, len(pts)/2)
	for i := range u {
		u[i] = 0.5 * (pts[2*i]*pts[2*i] + pts[2*i+1]*pts[2*i+1])
	}
	if got, want := g.LogZ(u), math.Log(2*math.Pi); math.Abs(got-want) > 1e-8 {
		t.Errorf("log Z = %.10f; want log 2π = %.10f", got, want)
	}
	if s := g.Scaled(1.5); s.N != 384 || s.Lo[0] != -12 || s.CellArea() != g.CellArea() {
		t.Errorf("Scaled(1.5) = %+v", s)
	}
}

// TestMMD2MatchesClosedForm compares the unbiased MMD² between samples of
// N(0, s²I) and N(δ, s²I) in 2-D with the population value for the Gaussian kernel,
// 2c(1 − exp(−|δ|²/(2(h²+2s²)))), c = (h²/(h²+2s²))^{d/2}; tolerance 5 standard
// errors of the estimate (estimated from 8 repetitions).
func TestMMD2MatchesClosedForm(t *testing.T) {
	const n, d, s, h = 800, 2, 1.0, 1.5
	delta := []float64{0.6, 0.3}
	c := math.Pow(h*h/(h*h+2*s*s), d/2.0)
	dd := delta[0]*delta[0] + delta[1]*delta[1]
	want := 2 * c * (1 - math.Exp(-dd/(2*(h*h+2*s*s))))
	var vals []float64
	for rep := range 8 {
		r := rand.New(rand.NewPCG(uint64(rep), 7))
		x := make([]float64, n*d)
		y := make([]float64, n*d)
		for i := range x {
			x[i] = s * r.NormFloat64()
			y[i] = s*r.NormFloat64() + delta[i%d]
		}
		vals = append(vals, MMD2(x, y, d, h))
	}
	var m, v float64
	for _, a := range vals {
		m += a / 8
	}
	for _, a := range vals {
		v += (a - m) * (a - m) / 7
	}
	if se := math.Sqrt(v / 8); math.Abs(m-want) > 5*se {
		t.Errorf("MMD² %.5f ± %.5f; closed form %.5f", m, se, want)
	}
	if md := MedianDistance([]float64{0, 0, 3, 4, 6, 8}, 2); md != 5 {
		t.Errorf("median distance %v; want 5", md)
	}
}
