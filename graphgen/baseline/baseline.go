package baseline

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/ergml/erg/graphgen"
	"github.com/ergml/erg/graphgen/eval"
)

// Models lists the baseline model names.
var Models = []string{"er", "ba", "sbm"}

// Params are the fitted parameters of one training graph.
type Params struct {
	N int     `json:"n"`
	P float64 `json:"p,omitempty"` // er
	M int     `json:"m,omitempty"` // ba
	// sbm: block sizes and the density of every block pair (row-major K×K)
	Sizes   []int     `json:"sizes,omitempty"`
	Density []float64 `json:"density,omitempty"`
}

// Model is a fitted baseline: one Params per training graph.
type Model struct {
	Kind   string   `json:"model"`
	Params []Params `json:"params"`
}

// Fit fits the named baseline to every training graph.
func Fit(kind string, train []*graphgen.Graph) (*Model, error) {
	if len(train) == 0 {
		return nil, fmt.Errorf("baseline: empty training set")
	}
	m := &Model{Kind: kind}
	for _, g := range train {
		p, err := FitOne(kind, g)
		if err != nil {
			return nil, err
		}
		m.Params = append(m.Params, p)
	}
	return m, nil
}

// FitOne fits the named baseline to one graph.
func FitOne(kind string, g *graphgen.Graph) (Params, error) {
	n, e := g.N(), float64(g.M())
	p := Params{N: n}
	switch kind {
	case "er":
		if n > 1 {
			p.P = e / (float64(n-1) * float64(n) / 2)
		}
	case "ba":
		fn := float64(n)
		p.M = int((fn - math.Sqrt(fn*fn-4*e)) / 2)
	case "sbm":
		fit := eval.FitBlocks(g, 6, 1)
		k := fit.K
		p.Sizes = make([]int, k)
		for _, b := range fit.Blocks {
			p.Sizes[b]++
		}
		cnt := make([]float64, k*k)
		for _, ed := range g.Edges() {
			r, s := fit.Blocks[ed[0]], fit.Blocks[ed[1]]
			cnt[r*k+s]++
			if r != s {
				cnt[s*k+r]++
			}
		}
		p.Density = make([]float64, k*k)
		for r := 0; r < k; r++ {
			for s := 0; s < k; s++ {
				pairs := float64(p.Sizes[r] * p.Sizes[s])
				if r == s {
					pairs = float64(p.Sizes[r]*(p.Sizes[r]-1)) / 2
				}
				if pairs > 0 {
					p.Density[r*k+s] = cnt[r*k+s] / pairs
				}
			}
		}
	default:
		return p, fmt.Errorf("baseline: unknown model %q (er, ba, sbm)", kind)
	}
	return p, nil
}

// Sample draws n graphs; graph i uses the parameters of training graph
// i mod len(Params).
func (m *Model) Sample(n int, r *rand.Rand) []*graphgen.Graph {
	out := make([]*graphgen.Graph, n)
	for i := range out {
		out[i] = m.sampleOne(m.Params[i%len(m.Params)], r)
	}
	return out
}

func (m *Model) sampleOne(p Params, r *rand.Rand) *graphgen.Graph {
	switch m.Kind {
	case "er":
		return GNP(p.N, p.P, r)
	case "ba":
		return BA(p.N, p.M, r)
	}
	// sbm
	k := len(p.Sizes)
	var block []int
	for b, s := range p.Sizes {
		for range s {
			block = append(block, b)
		}
	}
	bd := graphgen.NewBuilder(len(block))
	for i := range block {
		for j := i + 1; j < len(block); j++ {
			if r.Float64() < p.Density[block[i]*k+block[j]] {
				bd.Add(i, j)
			}
		}
	}
	return bd.Graph()
}

// GNP samples G(n, p).
func GNP(n int, p float64, r *rand.Rand) *graphgen.Graph {
	b := graphgen.NewBuilder(n)
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			if r.Float64() < p {
				b.Add(i, j)
			}
		}
	}
	return b.Graph()
}

// BA samples a Barabási–Albert graph as networkx 1.x/2.0's
// barabasi_albert_graph (the version GraphRNN ran): nodes 0..m−1 start
// isolated and are the first targets; every new node links to m distinct
// targets drawn uniformly from the list of all edge endpoints so far. m is
// clamped to [1, n−1]; n ≤ m gives an empty graph on n nodes.
func BA(n, m int, r *rand.Rand) *graphgen.Graph {
	m = max(m, 1)
	b := graphgen.NewBuilder(n)
	if n <= m {
		return b.Graph()
	}
	targets := make([]int, m)
	for i := range targets {
		targets[i] = i
	}
	var repeated []int
	for src := m; src < n; src++ {
		for _, t := range targets {
			b.Add(src, t)
		}
		repeated = append(repeated, targets...)
		for range m {
			repeated = append(repeated, src)
		}
		chosen := map[int]bool{}
		targets = targets[:0]
		for len(targets) < m {
			x := repeated[r.IntN(len(repeated))]
			if !chosen[x] {
				chosen[x] = true
				targets = append(targets, x)
			}
		}
	}
	return b.Graph()
}
