package dataset

import (
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/ergml/erg/graphgen"
	"github.com/ergml/erg/graphgen/gt"
)

func TestSizes(t *testing.T) {
	for _, c := range []struct {
		name       string
		count      int
		minN, maxN int
	}{
		{"grid", 100, 100, 361}, {"lobster", 100, 10, 100}, {"community-small", 100, 12, 20},
		{"sbm", 200, 40, 200}, {"planar", 200, 64, 64},
	} {
		s, err := Make(c.name, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Graphs) != c.count {
			t.Errorf("%s: %d graphs", c.name, len(s.Graphs))
		}
		for i, g := range s.Graphs {
			if g.N() < c.minN || g.N() > c.maxN {
				t.Errorf("%s graph %d: %d nodes", c.name, i, g.N())
			}
			if c.name != "lobster" && !g.Connected() {
				t.Errorf("%s graph %d not connected", c.name, i)
			}
		}
		// deterministic per seed (sbm and planar draw the same way; skipped for time)
		if c.name == "sbm" || c.name == "planar" {
			continue
		}
		s2, _ := Make(c.name, 1)
		for i := range s.Graphs {
			if string(graphgen.AppendGraph6(nil, s.Graphs[i])) != string(graphgen.AppendGraph6(nil, s2.Graphs[i])) {
				t.Fatalf("%s: seed 1 not reproducible at graph %d", c.name, i)
			}
		}
	}
	// lobsters are trees
	s, _ := Make("lobster", 3)
	for i, g := range s.Graphs {
		if g.M() != g.N()-1 || !g.Connected() {
			t.Errorf("lobster %d: n=%d m=%d", i, g.N(), g.M())
		}
	}
}

// The ego candidate counts of issue 19 (hep-th, graph-tool 2.45's collection).
func TestEgoCandidates(t *testing.T) {
	if _, err := os.Stat(gt.CollectionDir); err != nil {
		t.Skip("graph-tool collection absent: apt-get install python3-graph-tool")
	}
	f, err := gt.Collection("hep-th")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(Egos(f.Graph, 3, 50, 400)); n != 3045 {
		t.Errorf("radius-3 candidates %d, want 3045", n)
	}
	if n := len(Egos(f.Graph, 1, 4, 20)); n != 3947 {
		t.Errorf("radius-1 candidates %d, want 3947", n)
	}
}

// Delaunay: no point inside any triangle's circumcircle (checked through the
// edges: each edge of a triangulation of points in general position has 3n-3-h
// edges with h hull points), and every edge of the triangulation is Delaunay.
func TestDelaunay(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	for trial := 0; trial < 20; trial++ {
		n := 4 + r.IntN(60)
		pts := make([][2]float64, n)
		for i := range pts {
			pts[i] = [2]float64{r.Float64(), r.Float64()}
		}
		g := Delaunay(pts)
		h := hull(pts)
		if g.M() != 3*n-3-h {
			t.Errorf("n=%d hull=%d: %d edges, want %d", n, h, g.M(), 3*n-3-h)
		}
		// every triangle (3-clique) whose circumcircle is empty of other points
		// must have its edges in the graph: check brute-force all triples
		for a := 0; a < n; a++ {
			for b := a + 1; b < n; b++ {
				for c := b + 1; c < n; c++ {
					if emptyCircle(pts, a, b, c) && !(g.HasEdge(a, b) && g.HasEdge(b, c) && g.HasEdge(a, c)) {
						t.Fatalf("n=%d: Delaunay triangle %d %d %d missing", n, a, b, c)
					}
				}
			}
		}
	}
}

func emptyCircle(p [][2]float64, a, b, c int) bool {
	ax, ay, bx, by, cx, cy := p[a][0], p[a][1], p[b][0], p[b][1], p[c][0], p[c][1]
	d := 2 * (ax*(by-cy) + bx*(cy-ay) + cx*(ay-by))
	if math.Abs(d) < 1e-12 {
		return false
	}
	ux := ((ax*ax+ay*ay)*(by-cy) + (bx*bx+by*by)*(cy-ay) + (cx*cx+cy*cy)*(ay-by)) / d
	uy := ((ax*ax+ay*ay)*(cx-bx) + (bx*bx+by*by)*(ax-cx) + (cx*cx+cy*cy)*(bx-ax)) / d
	r2 := (ax-ux)*(ax-ux) + (ay-uy)*(ay-uy)
	for i := range p {
		if i != a && i != b && i != c && (p[i][0]-ux)*(p[i][0]-ux)+(p[i][1]-uy)*(p[i][1]-uy) < r2*(1-1e-9) {
			return false
		}
	}
	return true
}

// hull counts convex hull vertices (gift wrapping).
func hull(p [][2]float64) int {
	start := 0
	for i := range p {
		if p[i][0] < p[start][0] {
			start = i
		}
	}
	h, cur := 0, start
	for {
		h++
		next := (cur + 1) % len(p)
		for i := range p {
			cr := (p[next][0]-p[cur][0])*(p[i][1]-p[cur][1]) - (p[next][1]-p[cur][1])*(p[i][0]-p[cur][0])
			if cr < 0 {
				next = i
			}
		}
		cur = next
		if cur == start {
			return h
		}
	}
}

func TestSplits(t *testing.T) {
	s, _ := Make("planar", 1)
	sp, err := SplitSet(s.Graphs, "spectre", 1)
	if err != nil || len(sp.Train) != 128 || len(sp.Val) != 32 || len(sp.Test) != 40 {
		t.Fatalf("spectre split %d/%d/%d %v", len(sp.Train), len(sp.Val), len(sp.Test), err)
	}
	g, _ := Make("grid", 1)
	sp, _ = SplitSet(g.Graphs, "graphrnn", 1)
	if len(sp.Train) != 80 || len(sp.Test) != 20 || len(sp.Val) != 0 {
		t.Fatalf("graphrnn split %d/%d/%d", len(sp.Train), len(sp.Val), len(sp.Test))
	}
}
