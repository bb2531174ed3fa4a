package marronwand

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"

	"github.com/ergml/erg/modes"
)

// Density is a normal mixture Σ w_j N(mu_j, sd_j²).
type Density struct {
	Number int
	Name   string
	W      []float64
	Mu     []float64
	SD     []float64
}

// All returns the 15 densities in the order of Marron and Wand's Table 1.
func All() []Density {
	var ds []Density
	add := func(name string, w, mu, sd []float64) {
		ds = append(ds, Density{Number: len(ds) + 1, Name: name, W: w, Mu: mu, SD: sd})
	}
	add("Gaussian", []float64{1}, []float64{0}, []float64{1})
	add("Skewed unimodal", []float64{1. / 5, 1. / 5, 3. / 5}, []float64{0, 1. / 2, 13. / 12}, []float64{1, 2. / 3, 5. / 9})
	{
		var w, mu, sd []float64
		for l := 0; l <= 7; l++ {
			w = append(w, 1./8)
			mu = append(mu, 3*(math.Pow(2./3, float64(l))-1))
			sd = append(sd, math.Pow(2./3, float64(l)))
		}
		add("Strongly skewed", w, mu, sd)
	}
	add("Kurtotic unimodal", []float64{2. / 3, 1. / 3}, []float64{0, 0}, []float64{1, 1. / 10})
	add("Outlier", []float64{1. / 10, 9. / 10}, []float64{0, 0}, []float64{1, 1. / 10})
	add("Bimodal", []float64{1. / 2, 1. / 2}, []float64{-1, 1}, []float64{2. / 3, 2. / 3})
	add("Separated bimodal", []float64{1. / 2, 1. / 2}, []float64{-3. / 2, 3. / 2}, []float64{1. / 2, 1. / 2})
	add("Skewed bimodal", []float64{3. / 4, 1. / 4}, []float64{0, 3. / 2}, []float64{1, 1. / 3})
	add("Trimodal", []float64{9. / 20, 9. / 20, 1. / 10}, []float64{-6. / 5, 6. / 5, 0}, []float64{3. / 5, 3. / 5, 1. / 4})
	{
		w, mu, sd := []float64{1. / 2}, []float64{0}, []float64{1}
		for l := 0; l <= 4; l++ {
			w, mu, sd = append(w, 1./10), append(mu, float64(l)/2-1), append(sd, 1./10)
		}
		add("Claw", w, mu, sd)
	}
	{
		w, mu, sd := []float64{49. / 100, 49. / 100}, []float64{-1, 1}, []float64{2. / 3, 2. / 3}
		for l := 0; l <= 6; l++ {
			w, mu, sd = append(w, 1./350), append(mu, float64(l-3)/2), append(sd, 1./100)
		}
		add("Double claw", w, mu, sd)
	}
	{
		w, mu, sd := []float64{1. / 2}, []float64{0}, []float64{1}
		for l := -2; l <= 2; l++ {
			w = append(w, math.Pow(2, float64(1-l))/31)
			mu = append(mu, float64(l)+1./2)
			sd = append(sd, math.Pow(2, float64(-l))/10)
		}
		add("Asymmetric claw", w, mu, sd)
	}
	{
		var w, mu, sd []float64
		for l := 0; l <= 1; l++ {
			w, mu, sd = append(w, 46./100), append(mu, float64(2*l-1)), append(sd, 2./3)
		}
		for l := 1; l <= 3; l++ {
			w, mu, sd = append(w, 1./300), append(mu, -float64(l)/2), append(sd, 1./100)
		}
		for l := 1; l <= 3; l++ {
			w, mu, sd = append(w, 7./300), append(mu, float64(l)/2), append(sd, 7./100)
		}
		add("Asymmetric double claw", w, mu, sd)
	}
	{
		var w, mu, sd []float64
		for l := 0; l <= 5; l++ {
			w = append(w, math.Pow(2, float64(5-l))/63)
			mu = append(mu, (65-96*math.Pow(0.5, float64(l)))/21)
			sd = append(sd, (32./63)/math.Pow(2, float64(l)))
		}
		add("Smooth comb", w, mu, sd)
	}
	{
		var w, mu, sd []float64
		for l := 0; l <= 2; l++ {
			w, mu, sd = append(w, 2./7), append(mu, float64(12*l-15)/7), append(sd, 2./7)
		}
		for l := 8; l <= 10; l++ {
			w, mu, sd = append(w, 1./21), append(mu, float64(2*l)/7), append(sd, 1./21)
		}
		add("Discrete comb", w, mu, sd)
	}
	return ds
}

// Get returns density number i (1..15).
func Get(i int) (Density, error) {
	if i < 1 || i > 15 {
		return Density{}, fmt.Errorf("marronwand: density %d out of range 1..15", i)
	}
	return All()[i-1], nil
}

// PDF evaluates the density at x.
func (d Density) PDF(x float64) float64 {
	s := 0.0
	for j, w := range d.W {
		u := (x - d.Mu[j]) / d.SD[j]
		if u*u > 80 { // below 4e-18 of the peak; skipping avoids slow subnormal arithmetic
			continue
		}
		s += w * math.Exp(-0.5*u*u) / (d.SD[j] * math.Sqrt(2*math.Pi))
	}
	return s
}

// Sample draws n points.
func (d Density) Sample(n int, rng *rand.Rand) []float64 {
	cum := make([]float64, len(d.W))
	s := 0.0
	for j, w := range d.W {
		s += w
		cum[j] = s
	}
	x := make([]float64, n)
	for i := range x {
		u := rng.Float64() * s
		j := 0
		for j < len(cum)-1 && u > cum[j] {
			j++
		}
		x[i] = d.Mu[j] + d.SD[j]*rng.NormFloat64()
	}
	return x
}

var (
	modesOnce sync.Once
	trueModes [15]int
)

// Modes returns the number of modes of the density, counted on a grid of spacing 1e-4
// over [-4, 4] (much finer than the narrowest component, sd 0.01).
func (d Density) Modes() int {
	modesOnce.Do(func() {
		for i, dd := range All() {
			trueModes[i] = dd.countModes()
		}
	})
	if d.Number >= 1 && d.Number <= 15 {
		return trueModes[d.Number-1]
	}
	return d.countModes()
}

func (d Density) countModes() int {
	const n = 80001
	y := make([]float64, n)
	for i := range y {
		y[i] = d.PDF(-4 + 8*float64(i)/float64(n-1))
	}
	return modes.CountModes(y)
}
