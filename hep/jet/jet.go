package jet

import (
	"math"
	"slices"
)

// Jet is a clustered jet: its four-momentum and the indices of its constituents in
// the input, in increasing order.
type Jet struct {
	P            [4]float64 // px, py, pz, E
	Constituents []int
}

// Pt returns the transverse momentum.
func (j Jet) Pt() float64 { return math.Hypot(j.P[0], j.P[1]) }

// Eta returns the pseudorapidity.
func (j Jet) Eta() float64 { return Eta(j.P) }

// Phi returns the azimuth in [−π, π).
func (j Jet) Phi() float64 { return math.Atan2(j.P[1], j.P[0]) }

// Rapidity returns FastJet's rapidity of the jet.
func (j Jet) Rapidity() float64 { return Rapidity(j.P) }

// M returns the invariant mass (negative for a space-like four-vector, as FastJet's m()).
func (j Jet) M() float64 { return Mass(j.P) }

// Eta returns the pseudorapidity of p (±1e5-ish for p along the beam).
func Eta(p [4]float64) float64 {
	pt := math.Hypot(p[0], p[1])
	return math.Asinh(p[2] / pt)
}

// Mass returns the invariant mass of p, negative if p is space-like.
func Mass(p [4]float64) float64 {
	m2 := p[3]*p[3] - p[0]*p[0] - p[1]*p[1] - p[2]*p[2]
	if m2 < 0 {
		return -math.Sqrt(-m2)
	}
	return math.Sqrt(m2)
}

// MaxRap is the rapidity given to massless particles along the beam (FastJet's MaxRap).
const MaxRap = 1e5

// Rapidity returns the rapidity of p as FastJet computes it.
func Rapidity(p [4]float64) float64 {
	pt2 := p[0]*p[0] + p[1]*p[1]
	if p[3] == math.Abs(p[2]) && pt2 == 0 {
		r := MaxRap + math.Abs(p[2])
		if p[2] < 0 {
			r = -r
		}
		return r
	}
	m2 := math.Max(0, p[3]*p[3]-pt2-p[2]*p[2])
	e := p[3] + math.Abs(p[2])
	r := 0.5 * math.Log((pt2+m2)/(e*e))
	if p[2] > 0 {
		r = -r
	}
	return r
}

// phi02 returns the azimuth in [0, 2π) as FastJet's phi().
func phi02(p [4]float64) float64 {
	if p[0] == 0 && p[1] == 0 {
		return 0
	}
	phi := math.Atan2(p[1], p[0])
	if phi < 0 {
		phi += 2 * math.Pi
	}
	if phi >= 2*math.Pi {
		phi -= 2 * math.Pi
	}
	return phi
}

// Definition is a jet definition of the generalised-kT family in the E-scheme.
type Definition struct {
	R float64 // radius
	P float64 // exponent: −1 anti-kT, 0 Cambridge/Aachen, 1 kT
}

// AntiKt returns the anti-kT definition of radius r.
func AntiKt(r float64) Definition { return Definition{R: r, P: -1} }

// Strategy chooses the clustering algorithm; all give the same jets.
type Strategy int

const (
	Auto  Strategy = iota // Tiled above 50 particles, else Plain
	Plain                 // FastJet's N2Plain: nearest neighbours over all pairs
	Tiled                 // FastJet's N2Tiled idea: nearest neighbours within R-sized rapidity-φ tiles
)

const tiledMin = 50

// Clusterer clusters events, reusing its buffers; the zero value is ready to use.
// It is not safe for concurrent use.
type Clusterer struct {
	Def      Definition
	Strategy Strategy

	rap, phi, kt2, nnDist, diJ []float64
	nn, hist                   []int
	mom                        [][4]float64
	parent                     [][2]int // history: parents of each pseudojet (−1 for inputs)
	final                      []int    // pseudojets merged with the beam
	tiles                      tiles
}

// Cluster returns the inclusive jets of particles with pT ≥ ptMin, hardest first.
func (d Definition) Cluster(particles [][4]float64, ptMin float64) []Jet {
	c := Clusterer{Def: d}
	return c.Cluster(particles, ptMin)
}

func (d Definition) scale(p [4]float64) float64 {
	pt2 := p[0]*p[0] + p[1]*p[1]
	switch d.P {
	case -1:
		if pt2 > 1e-300 {
			return 1 / pt2
		}
		return 1e300
	case 0:
		return 1
	case 1:
		return pt2
	}
	if d.P < 0 && pt2 <= 1e-300 {
		return 1e300
	}
	return math.Pow(pt2, d.P)
}

// Cluster returns the inclusive jets of particles with pT ≥ ptMin, hardest first.
func (c *Clusterer) Cluster(particles [][4]float64, ptMin float64) []Jet {
	if c.Def.R <= 0 {
		panic("jet: Definition.R must be positive")
	}
	n := len(particles)
	r2 := c.Def.R * c.Def.R
	c.mom = append(c.mom[:0], particles...)
	c.parent = c.parent[:0]
	for range n {
		c.parent = append(c.parent, [2]int{-1, -1})
	}
	c.final = c.final[:0]
	grow := func(s []float64) []float64 {
		if cap(s) < n {
			return make([]float64, n)
		}
		return s[:n]
	}
	c.rap, c.phi, c.kt2, c.nnDist, c.diJ = grow(c.rap), grow(c.phi), grow(c.kt2), grow(c.nnDist), grow(c.diJ)
	if cap(c.nn) < n {
		c.nn, c.hist = make([]int, n), make([]int, n)
	}
	c.nn, c.hist = c.nn[:n], c.hist[:n]
	rap, phi, kt2, nnDist, nn, hist := c.rap, c.phi, c.kt2, c.nnDist, c.nn, c.hist
	for i, p := range particles {
		rap[i], phi[i], kt2[i] = Rapidity(p), phi02(p), c.Def.scale(p)
		nnDist[i], nn[i], hist[i] = r2, -1, i
	}
	if c.Strategy == Tiled || (c.Strategy == Auto && n > tiledMin) {
		c.runTiled(n, r2)
	} else {
		c.runPlain(n, r2)
	}
	var jets []Jet
	min2 := ptMin * ptMin
	for _, h := range c.final {
		p := c.mom[h]
		if p[0]*p[0]+p[1]*p[1] >= min2 {
			jets = append(jets, Jet{P: p, Constituents: c.leaves(h, nil)})
		}
	}
	slices.SortStableFunc(jets, func(x, y Jet) int {
		px, py := x.P[0]*x.P[0]+x.P[1]*x.P[1], y.P[0]*y.P[0]+y.P[1]*y.P[1]
		switch {
		case px > py:
			return -1
		case px < py:
			return 1
		}
		return 0
	})
	return jets
}

func (c *Clusterer) leaves(h int, out []int) []int {
	stack := []int{h}
	for len(stack) > 0 {
		h := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if p := c.parent[h]; p[0] >= 0 {
			stack = append(stack, p[0], p[1])
		} else {
			out = append(out, h)
		}
	}
	slices.Sort(out)
	return out
}

// runPlain is FastJet's N2Plain strategy on the first n entries of the buffers.
func (c *Clusterer) runPlain(n int, r2 float64) {
	rap, phi, kt2, nnDist, nn, diJ, hist := c.rap, c.phi, c.kt2, c.nnDist, c.nn, c.diJ, c.hist
	dist := func(i, j int) float64 {
		dphi := math.Abs(phi[i] - phi[j])
		if dphi > math.Pi {
			dphi = 2*math.Pi - dphi
		}
		drap := rap[i] - rap[j]
		return dphi*dphi + drap*drap
	}
	// Nearest neighbours with cross-checks, as FastJet's _bj_set_NN_crosscheck.
	for i := range n {
		for j := range i {
			if d := dist(i, j); d < nnDist[i] {
				nnDist[i], nn[i] = d, j
				if d < nnDist[j] {
					nnDist[j], nn[j] = d, i
				}
			} else if d < nnDist[j] {
				nnDist[j], nn[j] = d, i
			}
		}
	}
	dij := func(i int) float64 {
		k := kt2[i]
		if j := nn[i]; j >= 0 && kt2[j] < k {
			k = kt2[j]
		}
		return nnDist[i] * k
	}
	for i := range n {
		diJ[i] = dij(i)
	}
	setNN := func(i, tail int) {
		nnDist[i], nn[i] = r2, -1
		for j := range tail {
			if j == i {
				continue
			}
			if d := dist(i, j); d < nnDist[i] {
				nnDist[i], nn[i] = d, j
			}
		}
	}
	for tail := n; tail > 0; {
		best := 0
		for i := 1; i < tail; i++ {
			if diJ[i] < diJ[best] {
				best = i
			}
		}
		a, b := best, nn[best]
		if b >= 0 {
			if a < b {
				a, b = b, a
			}
			// Merge a and b into slot b (E-scheme).
			pa, pb := c.mom[hist[a]], c.mom[hist[b]]
			m := [4]float64{pa[0] + pb[0], pa[1] + pb[1], pa[2] + pb[2], pa[3] + pb[3]}
			c.mom = append(c.mom, m)
			c.parent = append(c.parent, [2]int{hist[a], hist[b]})
			hist[b] = len(c.mom) - 1
			rap[b], phi[b], kt2[b] = Rapidity(m), phi02(m), c.Def.scale(m)
			nnDist[b], nn[b] = r2, -1
		} else {
			c.final = append(c.final, hist[a])
			b = -1
		}
		tail--
		// Move the tail into slot a.
		rap[a], phi[a], kt2[a], nnDist[a], nn[a], diJ[a], hist[a] =
			rap[tail], phi[tail], kt2[tail], nnDist[tail], nn[tail], diJ[tail], hist[tail]
		for i := range tail {
			if nn[i] == a || (b >= 0 && nn[i] == b) {
				setNN(i, tail)
				diJ[i] = dij(i)
			}
			if b >= 0 && i != b {
				d := dist(i, b)
				if d < nnDist[i] {
					nnDist[i], nn[i] = d, b
					diJ[i] = dij(i)
				}
				if d < nnDist[b] {
					nnDist[b], nn[b] = d, i
				}
			}
			if nn[i] == tail {
				nn[i] = a
			}
		}
		if b >= 0 {
			diJ[b] = dij(b)
		}
	}
}
