package graphrnn

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ergml/erg/graphgen"
	"github.com/ergml/erg/graphgen/dataset"
	"github.com/ergml/erg/graphgen/eval"
)

// relabel returns the subgraph of g induced by order, node k being order[k].
func relabel(g *graphgen.Graph, order []int) *graphgen.Graph { return g.Subgraph(order) }

func TestEncodeDecodeRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, name := range []string{"grid", "community-small", "lobster", "sbm", "planar"} {
		s, err := dataset.Make(name, 1)
		if err != nil {
			t.Fatal(err)
		}
		for k := 0; k < 6; k++ {
			g := s.Graphs[r.IntN(len(s.Graphs))]
			// with M = n nothing is truncated: the decoded graph is g relabelled
			seq, trunc, dropped := BFSSequence(g, g.N(), r)
			if trunc != 0 || dropped != 0 {
				t.Fatalf("%s: M = n truncated %d edges, dropped %d nodes", name, trunc, dropped)
			}
			d := seq.Decode()
			if d.N() != g.N() || d.M() != g.M() || !eval.Isomorphic(d, g) {
				t.Fatalf("%s: decoded graph (%d nodes, %d edges) is not isomorphic to the original (%d, %d)", name, d.N(), d.M(), g.N(), g.M())
			}
			// BFS order: every node after the first has an edge to an earlier node
			for i, row := range seq.Rows {
				if !slices.Contains(row, 1) {
					t.Fatalf("%s: row %d of a BFS sequence of a connected graph is all zero", name, i)
				}
			}
			// at the ordering's bandwidth nothing is lost; one less loses edges
			order := g.BFS(r.IntN(g.N()), -1)
			w := Bandwidth(g, order)
			seq, trunc = Encode(g, order, w)
			if trunc != 0 {
				t.Fatalf("%s: bandwidth %d truncated %d edges", name, w, trunc)
			}
			if want := relabel(g, order); !slices.Equal(seq.Decode().Edges(), want.Edges()) {
				t.Fatalf("%s: decoded edges differ from the relabelled graph's", name)
			}
			if w > 1 {
				if _, trunc = Encode(g, order, w-1); trunc == 0 {
					t.Fatalf("%s: M = bandwidth-1 = %d truncated nothing", name, w-1)
				}
			}
		}
	}
}

func TestEncodeTruncationReported(t *testing.T) {
	// the cycle 0-1-…-5-0 in node order: the closing edge reaches back 5 nodes
	b := graphgen.NewBuilder(6)
	for i := range 6 {
		b.Add(i, (i+1)%6)
	}
	g := b.Graph()
	order := []int{0, 1, 2, 3, 4, 5}
	seq, trunc := Encode(g, order, 4)
	if trunc != 1 {
		t.Fatalf("truncated %d edges, want 1", trunc)
	}
	if d := seq.Decode(); d.M() != 5 || d.HasEdge(0, 5) {
		t.Fatalf("decoded %d edges (0-5: %v), want the path of 5", d.M(), d.HasEdge(0, 5))
	}
	want := [][]uint8{{1, 0, 0, 0}, {1, 0, 0, 0}, {1, 0, 0, 0}, {1, 0, 0, 0}, {1, 0, 0, 0}}
	for i := range want {
		if !slices.Equal(seq.Rows[i], want[i]) {
			t.Fatalf("row %d = %v, want %v", i, seq.Rows[i], want[i])
		}
	}
	seq, trunc = Encode(g, order, 5)
	if trunc != 0 || seq.Rows[4][4] != 1 || !eval.Isomorphic(seq.Decode(), g) {
		t.Fatalf("M 5: truncated %d, row 4 %v", trunc, seq.Rows[4])
	}
	st := Truncation([]*graphgen.Graph{dataset.Grid(10, 10)}, 5, 200, rand.New(rand.NewPCG(3, 4)))
	if st.TruncatedEdge == 0 || st.OrderingsHit == 0 || st.MaxBandwidth <= 5 {
		t.Fatalf("grid 10x10 with M 5: %+v, want truncation reported", st)
	}
	if st := Truncation([]*graphgen.Graph{dataset.Grid(10, 10)}, 40, 200, rand.New(rand.NewPCG(3, 4))); st.TruncatedEdge != 0 {
		t.Fatalf("grid 10x10 with M 40 (GraphRNN's grid M): %+v", st)
	}
}

func TestEstimateMaxPrev(t *testing.T) {
	gs := []*graphgen.Graph{dataset.Grid(4, 4), dataset.Grid(3, 5)}
	m := EstimateMaxPrev(gs, 2000, rand.New(rand.NewPCG(5, 6)))
	// a BFS of a 4x4 grid from a corner reaches back at most 7 nodes; from
	// the inside a little more
	if m < 4 || m > 15 {
		t.Fatalf("estimated M %d for small grids", m)
	}
	st := Truncation(gs, m, 500, rand.New(rand.NewPCG(7, 8)))
	if st.MaxBandwidth > m && st.TruncatedEdge == 0 {
		t.Fatalf("inconsistent stats %+v", st)
	}
}
