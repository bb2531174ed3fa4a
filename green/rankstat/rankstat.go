package rankstat

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Ranks returns the ranks 1..n of x, ties getting the mean of the ranks they span
// (scipy.stats.rankdata's "average"), and the sizes of the tie groups (groups of
// one included).
func Ranks(x []float64) (ranks []float64, ties []int) {
	n := len(x)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return x[idx[a]] < x[idx[b]] })
	ranks = make([]float64, n)
	for i := 0; i < n; {
		j := i + 1
		for j < n && x[idx[j]] == x[idx[i]] {
			j++
		}
		r := float64(i+j+1) / 2 // mean of ranks i+1..j
		for k := i; k < j; k++ {
			ranks[idx[k]] = r
		}
		ties = append(ties, j-i)
		i = j
	}
	return ranks, ties
}

// tieSum is Σ(t³ − t) over tie groups.
func tieSum(ties []int) float64 {
	var s float64
	for _, t := range ties {
		f := float64(t)
		s += f*f*f - f
	}
	return s
}

// Test is the result of a test: its statistic and two-sided p-value.
type Test struct {
	Statistic float64 `json:"statistic"`
	P         float64 `json:"p"`
}

// KruskalWallis is the Kruskal–Wallis H test that the groups come from one
// distribution: H with the tie correction, and its p-value from the χ² distribution
// with len(groups)−1 degrees of freedom (scipy.stats.kruskal). It panics with fewer
// than two groups or an empty group; H is NaN when every value is equal.
func KruskalWallis(groups ...[]float64) Test {
	if len(groups) < 2 {
		panic("rankstat: KruskalWallis needs at least two groups")
	}
	var all []float64
	for _, g := range groups {
		if len(g) == 0 {
			panic("rankstat: KruskalWallis: empty group")
		}
		all = append(all, g...)
	}
	r, ties := Ranks(all)
	n := float64(len(all))
	var h float64
	off := 0
	for _, g := range groups {
		var s float64
		for i := range g {
			s += r[off+i]
		}
		off += len(g)
		h += s * s / float64(len(g))
	}
	h = 12/(n*(n+1))*h - 3*(n+1)
	c := 1 - tieSum(ties)/(n*n*n-n)
	h /= c
	p := distuv.ChiSquared{K: float64(len(groups) - 1)}.Survival(h)
	return Test{Statistic: h, P: p}
}

// Spearman is Spearman's ρ of x and y (Pearson's correlation of their average ranks)
// and its two-sided p-value from Student's t with n−2 degrees of freedom, t =
// ρ·√((n−2)/(1−ρ²)) (scipy.stats.spearmanr). It panics when the lengths differ or
// n < 3.
func Spearman(x, y []float64) Test {
	if len(x) != len(y) {
		panic("rankstat: Spearman: lengths differ")
	}
	n := len(x)
	if n < 3 {
		panic("rankstat: Spearman needs at least 3 pairs")
	}
	rx, _ := Ranks(x)
	ry, _ := Ranks(y)
	rho := stat.Correlation(rx, ry, nil)
	df := float64(n - 2)
	var p float64
	switch {
	case math.IsNaN(rho):
		p = math.NaN()
	case math.Abs(rho) >= 1:
		p = 0
	default:
		t := rho * math.Sqrt(df/((1-rho)*(1+rho)))
		p = 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Survival(math.Abs(t))
	}
	return Test{Statistic: rho, P: p}
}

// MannWhitney is the two-sided Mann–Whitney U test of x against y: the statistic
// U₁ of x (the number of pairs with x > y, ties counting one half) and the p-value
// of the normal approximation with the tie correction and a continuity correction
// (scipy.stats.mannwhitneyu(x, y, method="asymptotic")). It panics when x or y is
// empty.
func MannWhitney(x, y []float64) Test {
	n1, n2 := len(x), len(y)
	if n1 == 0 || n2 == 0 {
		panic("rankstat: MannWhitney: empty sample")
	}
	all := append(append([]float64(nil), x...), y...)
	r, ties := Ranks(all)
	var r1 float64
	for i := 0; i < n1; i++ {
		r1 += r[i]
	}
	f1, f2 := float64(n1), float64(n2)
	u1 := r1 - f1*(f1+1)/2
	u2 := f1*f2 - u1
	n := f1 + f2
	mu := f1 * f2 / 2
	s := math.Sqrt(f1 * f2 / 12 * ((n + 1) - tieSum(ties)/(n*(n-1))))
	z := (math.Max(u1, u2) - mu - 0.5) / s
	p := 2 * distuv.UnitNormal.Survival(z)
	if s == 0 {
		p = 1
	}
	return Test{Statistic: u1, P: math.Min(1, math.Max(0, p))}
}

// VarghaDelaney is the A₁₂ effect size of x over y: the probability that a value
// of x is larger than one of y, ties counting one half (U₁ / (n₁·n₂)). 0.5 is no
// effect; Vargha and Delaney call |A − 0.5| ≥ 0.06, 0.14 and 0.21 small, medium and
// large.
func VarghaDelaney(x, y []float64) float64 {
	var s float64
	for _, a := range x {
		for _, b := range y {
			switch {
			case a > b:
				s++
			case a == b:
				s += 0.5
			}
		}
	}
	return s / float64(len(x)*len(y))
}

// CliffsDelta is Cliff's δ of x over y: P(x > y) − P(x < y) = 2·A₁₂ − 1, in [−1, 1].
func CliffsDelta(x, y []float64) float64 { return 2*VarghaDelaney(x, y) - 1 }

// Magnitude names the size of a Vargha–Delaney A₁₂: "negligible", "small",
// "medium" or "large" (Vargha and Delaney's thresholds 0.06, 0.14, 0.21 on |A−0.5|).
func Magnitude(a float64) string {
	d := math.Abs(a - 0.5)
	switch {
	case d >= 0.21:
		return "large"
	case d >= 0.14:
		return "medium"
	case d >= 0.06:
		return "small"
	}
	return "negligible"
}
