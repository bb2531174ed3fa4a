package dataset

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/ergml/erg/graphgen"
	"github.com/ergml/erg/graphgen/gt"
)

// Names lists the data sets Make knows.
var Names = []string{"grid", "lobster", "community-small", "ego", "ego-small", "sbm", "planar"}

// Set is a generated data set.
type Set struct {
	Name   string
	Seed   uint64
	Graphs []*graphgen.Graph
	// Blocks holds the planted block of every node for sbm and
	// community-small (nil otherwise).
	Blocks [][]int
}

func rng(seed uint64, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x6772617068^stream))
}

// Make builds the named data set from seed.
func Make(name string, seed uint64) (*Set, error) {
	s := &Set{Name: name, Seed: seed}
	switch name {
	case "grid":
		for i := 10; i < 20; i++ {
			for j := 10; j < 20; j++ {
				s.Graphs = append(s.Graphs, Grid(i, j))
			}
		}
		// shuffle node labels away from lattice order, as a loaded data set would be
		r := rng(seed, 1)
		for k, g := range s.Graphs {
			s.Graphs[k] = Permute(g, r.Perm(g.N()))
		}
	case "lobster":
		r := rng(seed, 2)
		for len(s.Graphs) < 100 {
			g := Lobster(80, 0.7, 0.7, r)
			if g.N() >= 10 && g.N() <= 100 {
				s.Graphs = append(s.Graphs, g)
			}
		}
	case "community-small":
		r := rng(seed, 3)
		for len(s.Graphs) < 100 {
			n := 12 + r.IntN(9)
			g, b := Community([]int{n / 2, n - n/2}, 0.7, 0.01, r)
			if !g.Connected() {
				continue // a block of G(n, 0.7) came out disconnected: redraw
			}
			s.Graphs = append(s.Graphs, g)
			s.Blocks = append(s.Blocks, b)
		}
	case "sbm":
		r := rng(seed, 4)
		for len(s.Graphs) < 200 {
			k := 2 + r.IntN(4)
			sizes := make([]int, k)
			for i := range sizes {
				sizes[i] = 20 + r.IntN(21)
			}
			g, b := SBM(sizes, 0.3, 0.005, r)
			if g.Connected() {
				s.Graphs = append(s.Graphs, g)
				s.Blocks = append(s.Blocks, b)
			}
		}
	case "planar":
		r := rng(seed, 5)
		for len(s.Graphs) < 200 {
			pts := make([][2]float64, 64)
			for i := range pts {
				pts[i] = [2]float64{r.Float64(), r.Float64()}
			}
			s.Graphs = append(s.Graphs, Delaunay(pts))
		}
	case "ego", "ego-small":
		f, err := gt.Collection("hep-th")
		if err != nil {
			return nil, err
		}
		if name == "ego" {
			s.Graphs = Egos(f.Graph, 3, 50, 400)
		} else {
			all := Egos(f.Graph, 1, 4, 20)
			r := rng(seed, 6)
			r.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
			s.Graphs = all[:min(200, len(all))]
		}
	default:
		return nil, fmt.Errorf("dataset: unknown set %q (have %v)", name, Names)
	}
	return s, nil
}

// Grid returns the i×j lattice (nx.grid_2d_graph), nodes row-major.
func Grid(rows, cols int) *graphgen.Graph {
	b := graphgen.NewBuilder(rows * cols)
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			u := i*cols + j
			if i+1 < rows {
				b.Add(u, u+cols)
			}
			if j+1 < cols {
				b.Add(u, u+1)
			}
		}
	}
	return b.Graph()
}

// Permute relabels node u as perm[u].
func Permute(g *graphgen.Graph, perm []int) *graphgen.Graph {
	b := graphgen.NewBuilder(g.N())
	for _, e := range g.Edges() {
		b.Add(perm[e[0]], perm[e[1]])
	}
	return b.Graph()
}

// Lobster is networkx's random_lobster(n, p1, p2): a path of
// int(2·U·n + 0.5) nodes, each growing a geometric number (p1) of legs, each
// leg a geometric number (p2) of leaves.
func Lobster(n int, p1, p2 float64, r *rand.Rand) *graphgen.Graph {
	llen := int(2*r.Float64()*float64(n) + 0.5)
	var edges [][2]int
	for i := 0; i+1 < llen; i++ {
		edges = append(edges, [2]int{i, i + 1})
	}
	cur := llen - 1
	for i := 0; i < llen; i++ {
		for r.Float64() < p1 {
			cur++
			edges = append(edges, [2]int{i, cur})
			cat := cur
			for r.Float64() < p2 {
				cur++
				edges = append(edges, [2]int{cat, cur})
			}
		}
	}
	g, _, _ := graphgen.FromEdges(max(cur+1, 0), edges)
	return g
}

// SBM samples a stochastic block model with the given block sizes and
// within/between edge probabilities; it returns the graph and each node's block.
func SBM(sizes []int, pin, pout float64, r *rand.Rand) (*graphgen.Graph, []int) {
	var block []int
	for k, s := range sizes {
		for range s {
			block = append(block, k)
		}
	}
	n := len(block)
	b := graphgen.NewBuilder(n)
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			p := pout
			if block[i] == block[j] {
				p = pin
			}
			if r.Float64() < p {
				b.Add(i, j)
			}
		}
	}
	return b.Graph(), block
}

// Community is GraphRNN's n_community: blocks of G(n, pin), every pair of
// blocks joined by independent edges of probability pinter, and by one random
// bridge if no such edge was drawn.
func Community(sizes []int, pin, pinter float64, r *rand.Rand) (*graphgen.Graph, []int) {
	var block []int
	for k, s := range sizes {
		for range s {
			block = append(block, k)
		}
	}
	n := len(block)
	b := graphgen.NewBuilder(n)
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			if block[i] == block[j] && r.Float64() < pin {
				b.Add(i, j)
			}
		}
	}
	start := make([]int, len(sizes)+1)
	for k, s := range sizes {
		start[k+1] = start[k] + s
	}
	for a := range sizes {
		for c := a + 1; c < len(sizes); c++ {
			any := false
			for i := start[a]; i < start[a+1]; i++ {
				for j := start[c]; j < start[c+1]; j++ {
					if r.Float64() < pinter {
						b.Add(i, j)
						any = true
					}
				}
			}
			if !any {
				b.Add(start[a]+r.IntN(sizes[a]), start[c]+r.IntN(sizes[c]))
			}
		}
	}
	return b.Graph(), block
}

// Egos returns the radius-r ego nets (induced subgraphs of the nodes within r
// hops) of every node of g whose size is in [minN, maxN], in node order
// (nx.ego_graph over all nodes); each ego net's nodes are in BFS order from its
// centre.
func Egos(g *graphgen.Graph, radius, minN, maxN int) []*graphgen.Graph {
	h := g
	var out []*graphgen.Graph
	for u := 0; u < h.N(); u++ {
		nodes := h.BFS(u, radius)
		if len(nodes) >= minN && len(nodes) <= maxN {
			out = append(out, h.Subgraph(nodes))
		}
	}
	return out
}

// Delaunay returns the Delaunay triangulation of points in general position
// as a graph (Bowyer–Watson, O(n²)).
func Delaunay(pts [][2]float64) *graphgen.Graph {
	n := len(pts)
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range pts {
		minX, maxX = min(minX, p[0]), max(maxX, p[0])
		minY, maxY = min(minY, p[1]), max(maxY, p[1])
	}
	d := max(maxX-minX, maxY-minY, 1e-12) * 100
	cx, cy := (minX+maxX)/2, (minY+maxY)/2
	all := append(slices.Clone(pts), [2]float64{cx - d, cy - d}, [2]float64{cx + d, cy - d}, [2]float64{cx, cy + d})
	type tri struct {
		a, b, c    int
		ox, oy, r2 float64
	}
	mk := func(a, b, c int) tri {
		ax, ay := all[a][0], all[a][1]
		bx, by := all[b][0], all[b][1]
		cx, cy := all[c][0], all[c][1]
		dd := 2 * (ax*(by-cy) + bx*(cy-ay) + cx*(ay-by))
		ux := ((ax*ax+ay*ay)*(by-cy) + (bx*bx+by*by)*(cy-ay) + (cx*cx+cy*cy)*(ay-by)) / dd
		uy := ((ax*ax+ay*ay)*(cx-bx) + (bx*bx+by*by)*(ax-cx) + (cx*cx+cy*cy)*(bx-ax)) / dd
		return tri{a, b, c, ux, uy, (ax-ux)*(ax-ux) + (ay-uy)*(ay-uy)}
	}
	tris := []tri{mk(n, n+1, n+2)}
	for i := 0; i < n; i++ {
		px, py := all[i][0], all[i][1]
		type edge struct{ u, v int }
		count := map[edge]int{}
		key := func(u, v int) edge {
			if u > v {
				u, v = v, u
			}
			return edge{u, v}
		}
		keep := tris[:0:0]
		var bad []tri
		for _, t := range tris {
			if (px-t.ox)*(px-t.ox)+(py-t.oy)*(py-t.oy) < t.r2 {
				bad = append(bad, t)
				count[key(t.a, t.b)]++
				count[key(t.b, t.c)]++
				count[key(t.c, t.a)]++
			} else {
				keep = append(keep, t)
			}
		}
		for _, t := range bad {
			for _, e := range [][2]int{{t.a, t.b}, {t.b, t.c}, {t.c, t.a}} {
				if count[key(e[0], e[1])] == 1 {
					keep = append(keep, mk(e[0], e[1], i))
				}
			}
		}
		tris = keep
	}
	b := graphgen.NewBuilder(n)
	for _, t := range tris {
		for _, e := range [][2]int{{t.a, t.b}, {t.b, t.c}, {t.c, t.a}} {
			if e[0] < n && e[1] < n {
				b.Add(e[0], e[1])
			}
		}
	}
	return b.Graph()
}

// Split is a train/validation/test split of a set.
type Split struct {
	Train, Val, Test []*graphgen.Graph
}

// SplitSet divides graphs after a seeded shuffle. scheme "graphrnn" is
// GraphRNN's 80/20 train/test (no validation set); "spectre" is SPECTRE's:
// test round(0.2·n), train round(0.8·(n−test)), the rest validation
// (128/32/40 of 200).
func SplitSet(graphs []*graphgen.Graph, scheme string, seed uint64) (Split, error) {
	gs := slices.Clone(graphs)
	r := rng(seed, 7)
	r.Shuffle(len(gs), func(i, j int) { gs[i], gs[j] = gs[j], gs[i] })
	n := len(gs)
	switch scheme {
	case "graphrnn":
		k := int(0.8 * float64(n))
		return Split{Train: gs[:k], Test: gs[k:]}, nil
	case "spectre":
		test := int(math.Round(0.2 * float64(n)))
		train := int(math.Round(0.8 * float64(n-test)))
		return Split{Train: gs[:train], Val: gs[train : n-test], Test: gs[n-test:]}, nil
	}
	return Split{}, fmt.Errorf("dataset: unknown split %q (graphrnn or spectre)", scheme)
}

// DefaultScheme is the split a set is published with: SPECTRE's for sbm and
// planar, GraphRNN's otherwise.
func DefaultScheme(name string) string {
	if name == "sbm" || name == "planar" {
		return "spectre"
	}
	return "graphrnn"
}
