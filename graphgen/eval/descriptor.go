package eval

import (
	"math"

	"github.com/ergml/erg/graphgen"
	"github.com/ergml/erg/graphgen/orbit"
	"gonum.org/v1/gonum/mat"
)

// Histogram bins of the descriptors.
const (
	ClusteringBins = 100
	SpectralBins   = 200
)

// Descriptors are the per-graph statistics the MMDs compare.
type Descriptors struct {
	Degree     []float64 // counts of degree 0..max (nx.degree_histogram)
	Clustering []float64 // counts over ClusteringBins bins on [0, 1]
	Orbit      []float64 // 15 orbit totals divided by n
	Spectral   []float64 // pmf over SpectralBins bins on [-1e-5, 2]
}

// Describe computes all four descriptors of g.
func Describe(g *graphgen.Graph) Descriptors {
	return Descriptors{
		Degree:     DegreeHistogram(g),
		Clustering: ClusteringHistogram(g, ClusteringBins),
		Orbit:      OrbitFeature(g),
		Spectral:   SpectralHistogram(g, SpectralBins),
	}
}

// DegreeHistogram returns the number of nodes of each degree 0..max.
func DegreeHistogram(g *graphgen.Graph) []float64 {
	maxd := 0
	for u := 0; u < g.N(); u++ {
		maxd = max(maxd, g.Degree(u))
	}
	h := make([]float64, maxd+1)
	if g.N() == 0 {
		return h[:0]
	}
	for u := 0; u < g.N(); u++ {
		h[g.Degree(u)]++
	}
	return h
}

// Clustering returns the local clustering coefficient of every node,
// 2T/(d(d−1)) (0 for d < 2), as nx.clustering.
func Clustering(g *graphgen.Graph) []float64 {
	n := g.N()
	mark := make([]bool, n)
	c := make([]float64, n)
	for u := 0; u < n; u++ {
		nb := g.Neighbors(u)
		d := len(nb)
		if d < 2 {
			continue
		}
		for _, v := range nb {
			mark[v] = true
		}
		t := 0
		for _, v := range nb {
			for _, w := range g.Neighbors(v) {
				if mark[w] {
					t++
				}
			}
		}
		for _, v := range nb {
			mark[v] = false
		}
		// t counts each triangle at u twice, as networkx's t
		if t > 0 {
			c[u] = float64(t) / float64(d*(d-1))
		}
	}
	return c
}

// Histogram bins values into bins equal bins on [lo, hi] exactly as
// numpy.histogram(values, bins, range=(lo, hi)) does (right edge included,
// values outside the range ignored).
func Histogram(values []float64, bins int, lo, hi float64) []float64 {
	h := make([]float64, bins)
	edges := make([]float64, bins+1)
	step := (hi - lo) / float64(bins)
	for k := range edges {
		edges[k] = float64(k)*step + lo
	}
	edges[bins] = hi
	for _, a := range values {
		if !(a >= lo && a <= hi) {
			continue
		}
		i := int((a - lo) / (hi - lo) * float64(bins))
		if i == bins {
			i--
		}
		if a < edges[i] {
			i--
		}
		if i != bins-1 && a >= edges[i+1] {
			i++
		}
		h[i]++
	}
	return h
}

// ClusteringHistogram is the histogram of the clustering coefficients.
func ClusteringHistogram(g *graphgen.Graph, bins int) []float64 {
	return Histogram(Clustering(g), bins, 0, 1)
}

// OrbitFeature returns the 15 orbit counts summed over nodes and divided by n
// (GraphRNN's orbit_stats_all).
func OrbitFeature(g *graphgen.Graph) []float64 {
	t := orbit.Totals(orbit.Count(g))
	f := make([]float64, orbit.NumOrbits)
	for k, v := range t {
		f[k] = float64(v) / float64(g.N())
	}
	return f
}

// LaplacianSpectrum returns the eigenvalues of the normalised Laplacian
// I − D^{-1/2} A D^{-1/2} (zero rows for isolated nodes, as networkx).
func LaplacianSpectrum(g *graphgen.Graph) []float64 {
	n := g.N()
	if n == 0 {
		return nil
	}
	s := make([]float64, n)
	for u := range s {
		if d := g.Degree(u); d > 0 {
			s[u] = 1 / math.Sqrt(float64(d))
		}
	}
	l := mat.NewSymDense(n, nil)
	for u := 0; u < n; u++ {
		d := float64(g.Degree(u))
		l.SetSym(u, u, s[u]*d*s[u])
		for _, v := range g.Neighbors(u) {
			if v > u {
				l.SetSym(u, v, -s[u]*s[v])
			}
		}
	}
	var es mat.EigenSym
	if !es.Factorize(l, false) {
		panic("eval: eigendecomposition failed")
	}
	return es.Values(nil)
}

// SpectralHistogram is GRAN's spectral descriptor: the Laplacian eigenvalues
// in bins bins on [−1e-5, 2], divided by their count. Eigenvalues are first
// clipped to [−1e-5, 2]: a bipartite graph's eigenvalue 2 comes out of LAPACK
// as 2 ± a few ulp, and GRAN's np.histogram drops it when it lands above 2 (3
// of 5 grid graphs checked), a rounding accident we do not reproduce.
func SpectralHistogram(g *graphgen.Graph, bins int) []float64 {
	ev := LaplacianSpectrum(g)
	for i, v := range ev {
		ev[i] = min(max(v, -1e-5), 2)
	}
	h := Histogram(ev, bins, -1e-5, 2)
	var s float64
	for _, v := range h {
		s += v
	}
	if s > 0 {
		for k := range h {
			h[k] /= s
		}
	}
	return h
}
