package cd

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/stat/distuv"
)

// RankData returns the ranks of x (1 = smallest), ties given their average rank, as
// scipy.stats.rankdata(method="average").
func RankData(x []float64) []float64 {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return x[idx[a]] < x[idx[b]] })
	r := make([]float64, len(x))
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && x[idx[j+1]] == x[idx[i]] {
			j++
		}
		avg := float64(i+j)/2 + 1
		for k := i; k <= j; k++ {
			r[idx[k]] = avg
		}
		i = j + 1
	}
	return r
}

// tieTerm returns Σ t(t²−1) over the groups of equal values in x.
func tieTerm(x []float64) float64 {
	s := append([]float64(nil), x...)
	sort.Float64s(s)
	var sum float64
	for i := 0; i < len(s); {
		j := i
		for j+1 < len(s) && s[j+1] == s[i] {
			j++
		}
		if t := float64(j - i + 1); t > 1 {
			sum += t * (t*t - 1)
		}
		i = j + 1
	}
	return sum
}

// AverageRanks returns the mean over datasets (rows of acc) of each model's (column's)
// rank, 1 being the highest accuracy and ties sharing their average rank.
func AverageRanks(acc [][]float64) []float64 {
	if len(acc) == 0 {
		return nil
	}
	k := len(acc[0])
	avg := make([]float64, k)
	for _, row := range acc {
		neg := make([]float64, k)
		for j, v := range row {
			neg[j] = -v
		}
		for j, r := range RankData(neg) {
			avg[j] += r
		}
	}
	for j := range avg {
		avg[j] /= float64(len(acc))
	}
	return avg
}

// FriedmanResult holds the Friedman test of k models on n datasets.
type FriedmanResult struct {
	ChiSquare float64 `json:"chi_square"` // tie-corrected statistic, as scipy.stats.friedmanchisquare
	P         float64 `json:"p"`          // χ²(k−1) upper tail
	F         float64 `json:"f"`          // Iman–Davenport statistic
	PF        float64 `json:"p_f"`        // F(k−1, (k−1)(n−1)) upper tail
}

// Friedman tests whether the k models (columns of acc) perform alike over the n
// datasets (rows), with scipy's tie correction; it also gives the Iman–Davenport F
// form recommended by Demšar (2006). It needs k ≥ 3 and n ≥ 2.
func Friedman(acc [][]float64) (FriedmanResult, error) {
	n := len(acc)
	if n < 2 {
		return FriedmanResult{}, fmt.Errorf("cd: Friedman needs at least 2 datasets, got %d", n)
	}
	k := len(acc[0])
	if k < 3 {
		return FriedmanResult{}, fmt.Errorf("cd: Friedman needs at least 3 models, got %d", k)
	}
	sums := make([]float64, k)
	var ties float64
	for i, row := range acc {
		if len(row) != k {
			return FriedmanResult{}, fmt.Errorf("cd: dataset %d has %d values, want %d", i, len(row), k)
		}
		r := RankData(row)
		for j, v := range r {
			sums[j] += v
		}
		ties += tieTerm(r)
	}
	fk, fn := float64(k), float64(n)
	c := 1 - ties/(fk*(fk*fk-1)*fn)
	var ss float64
	for _, s := range sums {
		ss += s * s
	}
	res := FriedmanResult{}
	res.ChiSquare = (12/(fk*fn*(fk+1))*ss - 3*fn*(fk+1)) / c
	res.P = distuv.ChiSquared{K: fk - 1}.Survival(res.ChiSquare)
	if d := fn*(fk-1) - res.ChiSquare; d > 0 {
		res.F = (fn - 1) * res.ChiSquare / d
		res.PF = distuv.F{D1: fk - 1, D2: (fk - 1) * (fn - 1)}.Survival(res.F)
	} else {
		res.F, res.PF = math.Inf(1), 0
	}
	return res, nil
}

// ZeroMethod says how the Wilcoxon test treats zero differences, as scipy's
// zero_method.
type ZeroMethod int

const (
	// Pratt ranks zeros with the other differences but counts them in neither rank
	// sum (Pratt 1959); the choice of hfawaz/cd-diagram.
	Pratt ZeroMethod = iota
	// Wilcox drops zero differences.
	Wilcox
	// ZSplit splits the zeros' ranks evenly between the two sums.
	ZSplit
)

// Wilcoxon is the two-sided Wilcoxon signed-rank test of x − y, reproducing
// scipy.stats.wilcoxon (scipy 1.10, method "auto"): the statistic is the smaller of
// the positive and negative rank sums; the p-value is exact (from the null
// distribution of the positive rank sum, truncated to an integer as scipy does when
// ranks are tied) when n ≤ 50 and there is no zero difference, else from the normal
// approximation with tie and (for Pratt) zero corrections, without continuity
// correction.
func Wilcoxon(x, y []float64, zm ZeroMethod) (stat, p float64, err error) {
	if len(x) != len(y) {
		return 0, 0, fmt.Errorf("cd: Wilcoxon: %d and %d values", len(x), len(y))
	}
	d := make([]float64, len(x))
	nZero := 0
	for i := range x {
		d[i] = x[i] - y[i]
		if d[i] == 0 {
			nZero++
		}
	}
	if len(d) == 0 {
		return math.NaN(), math.NaN(), nil
	}
	exact := len(d) <= 50 && nZero == 0
	if !exact {
		if (zm == Wilcox || zm == Pratt) && nZero == len(d) {
			return 0, 0, errors.New("cd: Wilcoxon: every difference is zero")
		}
		if zm == Wilcox {
			nz := d[:0:0]
			for _, v := range d {
				if v != 0 {
					nz = append(nz, v)
				}
			}
			d = nz
		}
	}
	count := len(d)
	abs := make([]float64, count)
	for i, v := range d {
		abs[i] = math.Abs(v)
	}
	r := RankData(abs)
	var rPlus, rMinus, rZero float64
	for i, v := range d {
		switch {
		case v > 0:
			rPlus += r[i]
		case v < 0:
			rMinus += r[i]
		default:
			rZero += r[i]
		}
	}
	if zm == ZSplit {
		rPlus += rZero / 2
		rMinus += rZero / 2
	}
	t := math.Min(rPlus, rMinus)
	if exact {
		pmf := wilcoxonPMF(count)
		rp := int(rPlus)
		if rp == (len(pmf)-1)/2 {
			return t, 1, nil
		}
		var less, greater float64
		for i, v := range pmf {
			if i <= rp {
				less += v
			}
			if i >= rp {
				greater += v
			}
		}
		return t, math.Min(2*math.Min(less, greater), 1), nil
	}
	fc := float64(count)
	mn := fc * (fc + 1) * 0.25
	se := fc * (fc + 1) * (2*fc + 1)
	var nonzero []float64
	if zm == Pratt {
		for i, v := range d {
			if v != 0 {
				nonzero = append(nonzero, r[i])
			}
		}
		fz := float64(nZero)
		mn -= fz * (fz + 1) * 0.25
		se -= fz * (fz + 1) * (2*fz + 1)
	} else {
		nonzero = r
	}
	se -= 0.5 * tieTerm(nonzero)
	se = math.Sqrt(se / 24)
	z := (t - mn) / se
	return t, math.Erfc(math.Abs(z) / math.Sqrt2), nil
}

// wilcoxonPMF returns the null distribution of the positive rank sum of n ranks:
// P(R+ = s) for s = 0..n(n+1)/2.
func wilcoxonPMF(n int) []float64 {
	m := n * (n + 1) / 2
	c := make([]float64, m+1)
	c[0] = 1
	for k := 1; k <= n; k++ {
		for s := m; s >= k; s-- {
			c[s] += c[s-k]
		}
	}
	total := math.Ldexp(1, n)
	for i := range c {
		c[i] /= total
	}
	return c
}

// Holm applies Holm's step-down correction to the p-values as hfawaz/cd-diagram
// does: in increasing order, p_(i) is significant while p_(i) ≤ alpha/(m−i); the
// first failure stops the procedure. It returns significance in the input order.
func Holm(p []float64, alpha float64) []bool {
	idx := make([]int, len(p))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return p[idx[a]] < p[idx[b]] })
	sig := make([]bool, len(p))
	for i, j := range idx {
		if p[j] <= alpha/float64(len(p)-i) {
			sig[j] = true
		} else {
			break
		}
	}
	return sig
}

// QAlpha returns the critical value of the two-tailed Nemenyi test for k models:
// the upper alpha quantile of the studentized range of k independent standard normal
// variables (infinite degrees of freedom) divided by √2, the q_α of Demšar (2006),
// Table 5(a). It is computed by integrating
// P(range ≤ q) = k ∫ φ(z) (Φ(z+q) − Φ(z))^(k−1) dz and bisection; it panics if k < 2
// or alpha is not in (0, 1).
func QAlpha(k int, alpha float64) float64 {
	if k < 2 || alpha <= 0 || alpha >= 1 {
		panic("cd: QAlpha: need k >= 2 and 0 < alpha < 1")
	}
	cdf := func(q float64) float64 {
		const lo, hi, steps = -9.0, 9.0, 1000
		h := (hi - lo) / steps
		f := func(z float64) float64 {
			phi := math.Exp(-z*z/2) / math.Sqrt(2*math.Pi)
			d := 0.5*math.Erfc(-(z+q)/math.Sqrt2) - 0.5*math.Erfc(-z/math.Sqrt2)
			return phi * math.Pow(d, float64(k-1))
		}
		s := f(lo) + f(hi)
		for i := 1; i < steps; i++ {
			w := 2.0
			if i%2 == 1 {
				w = 4
			}
			s += w * f(lo+float64(i)*h)
		}
		return float64(k) * s * h / 3
	}
	a, b := 0.0, 12.0
	for range 50 {
		m := (a + b) / 2
		if cdf(m) < 1-alpha {
			a = m
		} else {
			b = m
		}
	}
	return (a + b) / 2 / math.Sqrt2
}

// CriticalDifference returns Demšar's Nemenyi critical difference of average ranks
// for k models on n datasets: q_α √(k(k+1)/(6n)).
func CriticalDifference(k, n int, alpha float64) float64 {
	return QAlpha(k, alpha) * math.Sqrt(float64(k*(k+1))/(6*float64(n)))
}
