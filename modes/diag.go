package modes

import (
	"math"
	"sort"
)

// RHat returns the split-chain potential scale reduction factor R̂ of a scalar over
// several chains of equal length (Gelman et al., Bayesian Data Analysis, 3rd ed., §11.4):
// each chain is split in half and R̂ = sqrt(((n-1)/n·W + B/n)/W). Values near 1 (below
// 1.01–1.05) indicate convergence. It returns 1 for constant draws and NaN when the
// chains are too short.
func RHat(chains [][]float64) float64 {
	var halves [][]float64
	for _, c := range chains {
		h := len(c) / 2
		if h < 2 {
			return math.NaN()
		}
		halves = append(halves, c[:h], c[len(c)-h:])
	}
	n := float64(len(halves[0]))
	m := float64(len(halves))
	means := make([]float64, len(halves))
	W := 0.0
	all := 0.0
	for i, c := range halves {
		mu, v := meanVar(c)
		means[i] = mu
		W += v
		all += mu
	}
	W /= m
	all /= m
	B := 0.0
	for _, mu := range means {
		B += (mu - all) * (mu - all)
	}
	B *= n / (m - 1)
	if W == 0 {
		if B == 0 {
			return 1
		}
		return math.Inf(1)
	}
	return math.Sqrt(((n-1)/n*W + B/n) / W)
}

// ESS returns the effective sample size of a scalar over chains of equal length, from
// the autocorrelations combined across chains and truncated by Geyer's initial
// monotone sequence (as Stan; Vehtari et al. 2021, without rank normalisation).
func ESS(chains [][]float64) float64 {
	m := len(chains)
	if m == 0 {
		return math.NaN()
	}
	n := len(chains[0])
	if n < 4 {
		return math.NaN()
	}
	means := make([]float64, m)
	vars := make([]float64, m)
	for i, c := range chains {
		means[i], vars[i] = meanVar(c)
	}
	W := 0.0
	all := 0.0
	for i := range chains {
		W += vars[i]
		all += means[i]
	}
	W /= float64(m)
	all /= float64(m)
	B := 0.0
	for _, mu := range means {
		B += (mu - all) * (mu - all)
	}
	if m > 1 {
		B *= float64(n) / float64(m-1)
	}
	varPlus := float64(n-1)/float64(n)*W + B/float64(n)
	if varPlus == 0 {
		return float64(n * m)
	}
	// autocovariance of each chain at lag t, averaged
	rho := func(t int) float64 {
		acov := 0.0
		for i, c := range chains {
			s := 0.0
			for j := 0; j+t < n; j++ {
				s += (c[j] - means[i]) * (c[j+t] - means[i])
			}
			acov += s / float64(n)
		}
		acov /= float64(m)
		return 1 - (W-acov)/varPlus
	}
	sum := 0.0
	prevPair := math.Inf(1)
	for t := 0; t+1 < n; t += 2 {
		pair := rho(t) + rho(t+1)
		if pair < 0 {
			break
		}
		if pair > prevPair {
			pair = prevPair // initial monotone sequence
		}
		prevPair = pair
		sum += pair
	}
	tau := -1 + 2*sum
	if tau < 1/math.Log10(float64(n*m)) {
		tau = 1 / math.Log10(float64(n*m))
	}
	return float64(n*m) / tau
}

func meanVar(x []float64) (float64, float64) {
	m := 0.0
	for _, v := range x {
		m += v
	}
	m /= float64(len(x))
	s := 0.0
	for _, v := range x {
		s += (v - m) * (v - m)
	}
	if len(x) < 2 {
		return m, 0
	}
	return m, s / float64(len(x)-1)
}

// WeightedQuantile returns the p-quantile of values with non-negative weights (the
// smallest value whose cumulative weight reaches p of the total).
func WeightedQuantile(values, weights []float64, p float64) float64 {
	idx := make([]int, len(values))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return values[idx[a]] < values[idx[b]] })
	tot := 0.0
	for _, w := range weights {
		tot += w
	}
	c := 0.0
	for _, i := range idx {
		c += weights[i]
		if c >= p*tot {
			return values[i]
		}
	}
	return values[idx[len(idx)-1]]
}
