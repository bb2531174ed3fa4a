// Package gamma draws from the Gamma(shape, 1) distribution, for the samplers of
// package modes (the sparse finite mixture's Gibbs sampler and the taut-spline
// posterior's smoothing precision).
//
// References: G. Marsaglia and W. W. Tsang, "A simple method for generating gamma
// variables", ACM TOMS 26(3), 2000.
package gamma

import (
	"math"
	"math/rand/v2"
)

// Rand draws from Gamma(shape, 1) for any positive shape (Marsaglia and Tsang 2000;
// shapes below 1 by the boost Gamma(shape+1)·U^(1/shape), the uniform drawn after).
func Rand(rng *rand.Rand, shape float64) float64 {
	if shape < 1 {
		return Rand(rng, 1+shape) * math.Pow(rng.Float64(), 1/shape)
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := rng.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := rng.Float64()
		if u < 1-0.0331*x*x*x*x || math.Log(u) < 0.5*x*x+d*(1-v+math.Log(v)) {
			return d * v
		}
	}
}

// LogRand returns the log of a Gamma(shape, 1) draw, accurate for tiny shapes (where
// the draw itself underflows).
func LogRand(rng *rand.Rand, shape float64) float64 {
	if shape < 1 {
		return math.Log(Rand(rng, shape+1)) + math.Log(rng.Float64())/shape
	}
	return math.Log(Rand(rng, shape))
}
