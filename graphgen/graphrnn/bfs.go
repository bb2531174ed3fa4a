package graphrnn

import (
	"fmt"
	"math/rand/v2"

	"github.com/ergml/erg/graphgen"
	"github.com/ergml/erg/graphgen/dataset"
)

// Sequence is a graph as GraphRNN's sequence of adjacency vectors: node i
// (i ≥ 1, in the order the sequence was made in) is Rows[i-1], whose entry j
// is 1 when node i is adjacent to node i-1-j (entry 0 is the node just
// before it). Rows have MaxPrev entries; an edge reaching further back than
// MaxPrev nodes cannot be represented (see Encode). A sequence of n nodes has
// n-1 rows.
type Sequence struct {
	MaxPrev int
	Rows    [][]uint8
}

// Nodes returns the number of nodes of the sequence.
func (s *Sequence) Nodes() int { return len(s.Rows) + 1 }

// Encode returns the adjacency-vector sequence of the subgraph of g induced
// by order (node k of the sequence is order[k]), with rows of maxPrev
// entries (GraphRNN's encode_adj), and the number of edges it dropped because
// their endpoints are more than maxPrev apart in order. It panics if maxPrev
// is not positive or order repeats a node.
func Encode(g *graphgen.Graph, order []int, maxPrev int) (seq *Sequence, truncated int) {
	if maxPrev <= 0 {
		panic(fmt.Sprintf("graphrnn: max_prev_node %d must be positive", maxPrev))
	}
	pos := make(map[int]int, len(order))
	for k, u := range order {
		if _, dup := pos[u]; dup {
			panic(fmt.Sprintf("graphrnn: node %d repeated in the order", u))
		}
		pos[u] = k
	}
	seq = &Sequence{MaxPrev: maxPrev}
	if len(order) == 0 {
		return seq, 0
	}
	seq.Rows = make([][]uint8, len(order)-1)
	flat := make([]uint8, (len(order)-1)*maxPrev)
	for i := range seq.Rows {
		seq.Rows[i] = flat[i*maxPrev : (i+1)*maxPrev]
	}
	for k, u := range order {
		for _, v := range g.Neighbors(u) {
			l, ok := pos[v]
			if !ok || l >= k {
				continue
			}
			back := k - 1 - l
			if back >= maxPrev {
				truncated++
				continue
			}
			seq.Rows[k-1][back] = 1
		}
	}
	return seq, truncated
}

// Decode returns the graph of the sequence (GraphRNN's decode_adj): nodes
// 0..Nodes()-1, node i adjacent to node i-1-j where Rows[i-1][j] is 1. Entries
// that point before node 0 are ignored.
func (s *Sequence) Decode() *graphgen.Graph {
	b := graphgen.NewBuilder(s.Nodes())
	for r, row := range s.Rows {
		i := r + 1
		for j, bit := range row {
			if bit != 0 && i-1-j >= 0 {
				b.Add(i, i-1-j)
			}
		}
	}
	return b.Graph()
}

// BFSSequence is the ordering of GraphRNN's data loader: relabel g by a
// random permutation, run a breadth-first search from a random node
// (neighbours in increasing new label, so in random order) and encode the
// nodes it reaches. Nodes outside the start node's component are left out, as
// in GraphRNN's bfs_seq; dropped returns their number, truncated the edges
// beyond maxPrev.
func BFSSequence(g *graphgen.Graph, maxPrev int, r *rand.Rand) (seq *Sequence, truncated, dropped int) {
	n := g.N()
	if n == 0 {
		return &Sequence{MaxPrev: maxPrev}, 0, 0
	}
	h := dataset.Permute(g, r.Perm(n))
	order := h.BFS(r.IntN(n), -1)
	seq, truncated = Encode(h, order, maxPrev)
	return seq, truncated, n - len(order)
}

// Bandwidth returns the largest backward reach (1 + the largest j with a set
// entry, over all rows) that the ordering order of g needs: the smallest
// max_prev_node that encodes it without truncation.
func Bandwidth(g *graphgen.Graph, order []int) int {
	pos := make(map[int]int, len(order))
	for k, u := range order {
		pos[u] = k
	}
	w := 0
	for k, u := range order {
		for _, v := range g.Neighbors(u) {
			if l, ok := pos[v]; ok && l < k {
				w = max(w, k-l)
			}
		}
	}
	return w
}

// EstimateMaxPrev is GraphRNN's calc_max_prev_node: the largest bandwidth of
// iters random BFS orderings (as BFSSequence) of graphs drawn uniformly from
// gs. GraphRNN draws 20000 orderings.
func EstimateMaxPrev(gs []*graphgen.Graph, iters int, r *rand.Rand) int {
	w := 1
	if len(gs) == 0 {
		return w
	}
	for range iters {
		g := gs[r.IntN(len(gs))]
		if g.N() == 0 {
			continue
		}
		h := dataset.Permute(g, r.Perm(g.N()))
		w = max(w, Bandwidth(h, h.BFS(r.IntN(g.N()), -1)))
	}
	return w
}

// TruncationStats is how much of a set a max_prev_node M loses: over iters
// random BFS orderings, the fraction of orderings with an edge beyond M and
// the fraction of edges beyond M.
type TruncationStats struct {
	MaxPrev       int     `json:"max_prev_node"`
	Orderings     int     `json:"orderings"`
	OrderingsHit  float64 `json:"orderings_truncated"` // fraction of orderings that lost an edge
	EdgesDropped  float64 `json:"edges_truncated"`     // fraction of edges lost
	NodesDropped  int     `json:"nodes_outside_start_component"`
	MaxBandwidth  int     `json:"max_bandwidth"` // largest bandwidth seen (the M that loses nothing)
	TotalEdges    int     `json:"edges"`
	TruncatedEdge int     `json:"truncated_edges"`
}

// Truncation measures what max_prev_node m loses on gs over iters random BFS
// orderings (graphs drawn uniformly, as EstimateMaxPrev).
func Truncation(gs []*graphgen.Graph, m, iters int, r *rand.Rand) TruncationStats {
	st := TruncationStats{MaxPrev: m, Orderings: iters}
	hit := 0
	for range iters {
		if len(gs) == 0 {
			break
		}
		g := gs[r.IntN(len(gs))]
		if g.N() == 0 {
			continue
		}
		h := dataset.Permute(g, r.Perm(g.N()))
		order := h.BFS(r.IntN(g.N()), -1)
		st.MaxBandwidth = max(st.MaxBandwidth, Bandwidth(h, order))
		_, t := Encode(h, order, m)
		st.NodesDropped += g.N() - len(order)
		st.TotalEdges += g.M()
		st.TruncatedEdge += t
		if t > 0 {
			hit++
		}
	}
	if iters > 0 {
		st.OrderingsHit = float64(hit) / float64(iters)
	}
	if st.TotalEdges > 0 {
		st.EdgesDropped = float64(st.TruncatedEdge) / float64(st.TotalEdges)
	}
	return st
}
