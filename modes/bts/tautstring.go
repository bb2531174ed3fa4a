package bts

import (
	"math"
	"sort"
)

// Taut is a taut string fit to the empirical distribution function: the shortest path
// from (x_(1), 0) to (x_(n), 1) that stays within Eps of the empirical distribution
// function (including its left limits). Its slope is a piecewise constant density with
// the fewest modes among such paths (Davies and Kovac 2004).
type Taut struct {
	Eps     float64
	Knots   []float64 // x positions of the string's vertices, increasing (ends included)
	Values  []float64 // string values at Knots
	Density []float64 // slope on each of the len(Knots)-1 pieces
}

// TautString fits the taut string to the sample x (sorted copy taken) with tube radius
// eps, which must be at least 1/(2n) for a path to exist (smaller values are raised).
func TautString(x []float64, eps float64) *Taut {
	xs := append([]float64(nil), x...)
	sort.Float64s(xs)
	n := len(xs)
	if eps < 0.5/float64(n) {
		eps = 0.5 / float64(n)
	}
	// distinct points with ECDF values: F(t_i) = i/n after the jump, left limit before
	var t, lo, hi []float64
	for i := 0; i < n; {
		j := i
		for j < n && xs[j] == xs[i] {
			j++
		}
		t = append(t, xs[i])
		lo = append(lo, float64(j)/float64(n)-eps) // right value minus eps
		hi = append(hi, float64(i)/float64(n)+eps) // left limit plus eps
		i = j
	}
	m := len(t)
	// pinned ends
	lo[0], hi[0] = 0, 0
	lo[m-1], hi[m-1] = 1, 1
	for i := range lo {
		if lo[i] > hi[i] { // infeasible tube at ties: pass through the middle
			c := (lo[i] + hi[i]) / 2
			lo[i], hi[i] = c, c
		}
	}
	knots := []int{0}
	vals := []float64{0}
	ai, ay := 0, 0.0 // apex
	for ai < m-1 {
		smin, smax := math.Inf(1), math.Inf(-1)
		iu, il := -1, -1
		next, nextY := -1, 0.0
		for i := ai + 1; i < m; i++ {
			dx := t[i] - t[ai]
			su := (hi[i] - ay) / dx
			sl := (lo[i] - ay) / dx
			if sl > smin { // must bend down at the upper vertex iu
				next, nextY = iu, hi[iu]
				break
			}
			if su < smax { // must bend up at the lower vertex il
				next, nextY = il, lo[il]
				break
			}
			if su < smin {
				smin, iu = su, i
			}
			if sl > smax {
				smax, il = sl, i
			}
		}
		if next < 0 { // straight to the end
			next, nextY = m-1, 1
		}
		knots = append(knots, next)
		vals = append(vals, nextY)
		ai, ay = next, nextY
	}
	ts := &Taut{Eps: eps}
	for k, i := range knots {
		ts.Knots = append(ts.Knots, t[i])
		ts.Values = append(ts.Values, vals[k])
	}
	for k := 1; k < len(ts.Knots); k++ {
		ts.Density = append(ts.Density, (ts.Values[k]-ts.Values[k-1])/(ts.Knots[k]-ts.Knots[k-1]))
	}
	return ts
}

// NModes returns the number of modes of the taut string density (a plateau counts once).
func (ts *Taut) NModes() int {
	n := 0
	up := true // the density rises from 0 before the first piece
	for k := 1; k < len(ts.Density); k++ {
		d := ts.Density[k] - ts.Density[k-1]
		if d > 0 {
			up = true
		} else if d < 0 {
			if up {
				n++
			}
			up = false
		}
	}
	if up {
		n++
	}
	return n
}
