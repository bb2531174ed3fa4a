package jetebm

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// AUC returns the area under the ROC curve of score separating pos (label 1) from
// neg (label 0), higher score meaning pos; ties count one half (Mann–Whitney U).
func AUC(neg, pos []float64) float64 {
	type item struct {
		s   float64
		pos bool
	}
	all := make([]item, 0, len(neg)+len(pos))
	for _, v := range neg {
		all = append(all, item{v, false})
	}
	for _, v := range pos {
		all = append(all, item{v, true})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].s < all[j].s })
	var rankSum float64
	for i := 0; i < len(all); {
		j := i
		for j < len(all) && all[j].s == all[i].s {
			j++
		}
		r := float64(i+j+1) / 2 // mean 1-based rank of the tie group
		for k := i; k < j; k++ {
			if all[k].pos {
				rankSum += r
			}
		}
		i = j
	}
	np, nn := float64(len(pos)), float64(len(neg))
	return (rankSum - np*(np+1)/2) / (np * nn)
}

// W1 returns the 1-Wasserstein distance between the empirical distributions of a and b.
func W1(a, b []float64) float64 {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	// ∫|F_x − F_y| over the merged support.
	i, j := 0, 0
	nx, ny := float64(len(x)), float64(len(y))
	var d, prev float64
	first := true
	for i < len(x) || j < len(y) {
		var v float64
		if j >= len(y) || (i < len(x) && x[i] <= y[j]) {
			v = x[i]
		} else {
			v = y[j]
		}
		if !first {
			d += math.Abs(float64(i)/nx-float64(j)/ny) * (v - prev)
		}
		first = false
		for i < len(x) && x[i] == v {
			i++
		}
		for j < len(y) && y[j] == v {
			j++
		}
		prev = v
	}
	return d
}

// JSD returns the Jensen–Shannon divergence (natural log, in [0, ln 2]) between the
// histograms of a and b with bins equal bins on [lo, hi] (values outside are dropped),
// as the paper's calc_js_div without its division by the number of bins.
func JSD(a, b []float64, bins int, lo, hi float64) float64 {
	h := func(x []float64) []float64 {
		c := make([]float64, bins)
		n := 0.0
		for _, v := range x {
			k := int(math.Floor((v - lo) / (hi - lo) * float64(bins)))
			if k >= 0 && k < bins {
				c[k]++
				n++
			}
		}
		for i := range c {
			c[i] /= n
		}
		return c
	}
	p, q := h(a), h(b)
	var js float64
	for i := range p {
		m := (p[i] + q[i]) / 2
		if p[i] > 0 {
			js += 0.5 * p[i] * math.Log(p[i]/m)
		}
		if q[i] > 0 {
			js += 0.5 * q[i] * math.Log(q[i]/m)
		}
	}
	return js
}

// SculptJSD is the mass sculpting of a score: the JSD between the mass histogram of
// the QCD jets whose score is in the top keep fraction and that of all QCD jets (50
// bins on 0–500 GeV).
func SculptJSD(score, mass []float64, keep float64) float64 {
	idx := make([]int, len(score))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool { return score[idx[i]] > score[idx[j]] })
	k := max(1, int(math.Round(keep*float64(len(idx)))))
	sel := make([]float64, k)
	for i := range k {
		sel[i] = mass[idx[i]]
	}
	return JSD(sel, mass, 50, 0, 500)
}

// Gaussian is a multivariate normal fitted to data, the baseline generator.
type Gaussian struct {
	Mean []float64
	chol mat.Cholesky
	d    int
}

// FitGaussian fits the mean and covariance (plus 1e-6 on the diagonal) of rows of flat.
func FitGaussian(flat []float32, d int) (*Gaussian, error) {
	n := len(flat) / d
	x := mat.NewDense(n, d, nil)
	for i := range n {
		for j := range d {
			x.Set(i, j, float64(flat[i*d+j]))
		}
	}
	g := &Gaussian{Mean: make([]float64, d), d: d}
	for j := range d {
		s := 0.0
		for i := range n {
			s += x.At(i, j)
		}
		g.Mean[j] = s / float64(n)
	}
	for i := range n {
		for j := range d {
			x.Set(i, j, x.At(i, j)-g.Mean[j])
		}
	}
	var cov mat.SymDense
	cov.SymOuterK(1/float64(n-1), x.T())
	for j := range d {
		cov.SetSym(j, j, cov.At(j, j)+1e-6)
	}
	if ok := g.chol.Factorize(&cov); !ok {
		return nil, errNotPD
	}
	return g, nil
}

type constErr string

func (e constErr) Error() string { return string(e) }

const errNotPD = constErr("jetebm: covariance not positive definite")

// Sample draws n points (flat float32).
func (g *Gaussian) Sample(n int, seed uint64) []float32 {
	r := rand.New(rand.NewPCG(seed, 0x6a55))
	var l mat.TriDense
	g.chol.LTo(&l)
	out := make([]float32, n*g.d)
	z := make([]float64, g.d)
	for i := range n {
		for j := range z {
			z[j] = r.NormFloat64()
		}
		for j := range g.d {
			s := g.Mean[j]
			for k := 0; k <= j; k++ {
				s += l.At(j, k) * z[k]
			}
			out[i*g.d+j] = float32(s)
		}
	}
	return out
}
