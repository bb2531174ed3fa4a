package modetest

import (
	"math"
	"sort"
)

// line is mass - λ·len for one choice of intervals.
type line struct{ mass, length float64 }

func (l line) at(lam float64) float64 { return l.mass - lam*l.length }

// emOracle returns the best choice of at most m disjoint intervals with ends at sample
// points for the excess mass at level lam: the maximum of Σ (count_j/n − lam·len_j), ties
// broken towards smaller total length. xs must be sorted.
type emOracle struct {
	xs                 []float64
	openV, openL       []float64
	closedV, closedL   []float64
	newOpenV, newOpenL []float64
}

func newOracle(xs []float64, m int) *emOracle {
	return &emOracle{xs: xs,
		openV: make([]float64, m+1), openL: make([]float64, m+1),
		closedV: make([]float64, m+1), closedL: make([]float64, m+1),
		newOpenV: make([]float64, m+1), newOpenL: make([]float64, m+1)}
}

func better(v1, l1, v2, l2 float64) bool {
	if v1 != v2 {
		return v1 > v2
	}
	return l1 < l2
}

func (o *emOracle) best(m int, lam float64) line {
	xs := o.xs
	w := 1 / float64(len(xs))
	inf := math.Inf(-1)
	for c := 0; c <= m; c++ {
		o.openV[c], o.openL[c] = inf, 0
		o.closedV[c], o.closedL[c] = inf, 0
	}
	o.closedV[0] = 0
	for j := range xs {
		gap := 0.0
		if j > 0 {
			gap = xs[j] - xs[j-1]
		}
		for c := 1; c <= m; c++ {
			// extend the open c-th interval to j, or start it at j
			ev, el := o.openV[c]+w-lam*gap, o.openL[c]+gap
			sv, sl := o.closedV[c-1]+w, o.closedL[c-1]
			if better(sv, sl, ev, el) {
				ev, el = sv, sl
			}
			o.newOpenV[c], o.newOpenL[c] = ev, el
		}
		for c := 1; c <= m; c++ {
			o.openV[c], o.openL[c] = o.newOpenV[c], o.newOpenL[c]
			if better(o.openV[c], o.openL[c], o.closedV[c], o.closedL[c]) {
				o.closedV[c], o.closedL[c] = o.openV[c], o.openL[c]
			}
		}
	}
	bv, bl := o.closedV[0], o.closedL[0]
	for c := 1; c <= m; c++ {
		if better(o.closedV[c], o.closedL[c], bv, bl) {
			bv, bl = o.closedV[c], o.closedL[c]
		}
	}
	return line{mass: bv + lam*bl, length: bl}
}

// envelope returns the lines of E_m(λ) on [0, lamHi] in order of increasing λ and the
// breakpoints between them.
func envelope(o *emOracle, m int, lamHi float64) (lines []line, bps []float64) {
	l0 := o.best(m, 0)
	l1 := o.best(m, lamHi)
	lines = []line{l0}
	var rec func(a, b line, depth int)
	rec = func(a, b line, depth int) {
		if a.length == b.length || depth > 200 {
			return
		}
		lam := (a.mass - b.mass) / (a.length - b.length)
		c := o.best(m, lam)
		tol := 1e-12 * (1 + math.Abs(a.at(lam)))
		if c.at(lam) <= a.at(lam)+tol {
			bps = append(bps, lam)
			lines = append(lines, b)
			return
		}
		rec(a, c, depth+1)
		rec(c, b, depth+1)
	}
	rec(l0, l1, 0)
	return lines, bps
}

func envAt(lines []line, lam float64) float64 {
	v := math.Inf(-1)
	for _, l := range lines {
		v = math.Max(v, l.at(lam))
	}
	return v
}

// ExcessMass returns the excess-mass statistic Δ_{k+1} = max over λ >= 0 of
// E_{k+1}(λ) − E_k(λ) for testing k modes against more (Müller and Sawitzki 1991), where
// E_m(λ) is the largest Σ_j (P_n(C_j) − λ|C_j|) over m disjoint closed intervals. For
// k = 1 it equals twice the dip (Δ_2 = 2·dip; multimode's excessmass(x, 1) returns 2·dip).
// Ties are allowed. It panics for k < 1 or fewer than 2 points.
func ExcessMass(x []float64, k int) float64 {
	if k < 1 {
		panic("modetest: ExcessMass: k < 1")
	}
	if len(x) < 2 {
		panic("modetest: ExcessMass: need at least 2 points")
	}
	xs := append([]float64(nil), x...)
	sort.Float64s(xs)
	return excessMassSorted(xs, k)
}

func excessMassSorted(xs []float64, k int) float64 {
	minGap := math.Inf(1)
	for i := 1; i < len(xs); i++ {
		if g := xs[i] - xs[i-1]; g > 0 && g < minGap {
			minGap = g
		}
	}
	if math.IsInf(minGap, 1) {
		return 0 // constant sample
	}
	lamHi := 2 / minGap
	o := newOracle(xs, k+1)
	lk, bk := envelope(o, k, lamHi)
	lk1, bk1 := envelope(o, k+1, lamHi)
	d := envAt(lk1, lamHi) - envAt(lk, lamHi)
	d = math.Max(d, envAt(lk1, 0)-envAt(lk, 0))
	for _, lam := range append(bk, bk1...) {
		d = math.Max(d, envAt(lk1, lam)-envAt(lk, lam))
	}
	return d
}
