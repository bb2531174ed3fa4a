package orbit

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/ergml/erg/graphgen"
	"github.com/ergml/erg/graphgen/gt"
)

// brute counts orbits by enumerating every 2-, 3- and 4-subset of nodes and
// classifying its induced subgraph by degrees (an independent definition).
func brute(g *graphgen.Graph) [][NumOrbits]int64 {
	n := g.N()
	o := make([][NumOrbits]int64, n)
	for u := 0; u < n; u++ {
		o[u][0] = int64(g.Degree(u))
	}
	for a := 0; a < n; a++ {
		for b := a + 1; b < n; b++ {
			for c := b + 1; c < n; c++ {
				s := []int{a, b, c}
				d, e := degs(g, s)
				switch e {
				case 2:
					for i, v := range s {
						o[v][map[int]int{1: 1, 2: 2}[d[i]]]++
					}
				case 3:
					for _, v := range s {
						o[v][3]++
					}
				}
				for x := c + 1; x < n; x++ {
					s := []int{a, b, c, x}
					d, e := degs(g, s)
					if e < 3 || d[0]*d[1]*d[2]*d[3] == 0 {
						continue
					}
					for i, v := range s {
						var k int
						switch e {
						case 3:
							if max(d[0], d[1], d[2], d[3]) == 3 {
								k = map[int]int{1: 6, 3: 7}[d[i]]
							} else {
								k = map[int]int{1: 4, 2: 5}[d[i]]
							}
						case 4:
							if max(d[0], d[1], d[2], d[3]) == 2 {
								k = 8
							} else {
								k = map[int]int{1: 9, 2: 10, 3: 11}[d[i]]
							}
						case 5:
							k = map[int]int{2: 12, 3: 13}[d[i]]
						case 6:
							k = 14
						}
						o[v][k]++
					}
				}
			}
		}
	}
	return o
}

func degs(g *graphgen.Graph, s []int) ([]int, int) {
	d := make([]int, len(s))
	e := 0
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if g.HasEdge(s[i], s[j]) {
				d[i]++
				d[j]++
				e++
			}
		}
	}
	return d, e
}

func gnp(n int, p float64, r *rand.Rand) *graphgen.Graph {
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

// TestBruteForce: zero mismatches against the 4-subset enumerator on 1000
// random G(n,p), n <= 30 (issue 19).
func TestBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(19, 9))
	bad := 0
	for trial := 0; trial < 1000; trial++ {
		n := 1 + r.IntN(30)
		p := r.Float64()
		if trial%2 == 0 {
			p *= 0.3
		}
		g := gnp(n, p, r)
		got, want := Count(g), brute(g)
		for u := range got {
			if got[u] != want[u] {
				if bad < 5 {
					t.Errorf("trial %d n=%d p=%.2f node %d:\n got %v\nwant %v", trial, n, p, u, got[u], want[u])
				}
				bad++
				break
			}
		}
	}
	if bad > 0 {
		t.Fatalf("%d mismatching graphs", bad)
	}
}

// Golden totals from issue 19 (ORCA's output summed over nodes).
func TestGoldenTotals(t *testing.T) {
	if _, err := os.Stat(gt.CollectionDir); err != nil {
		t.Skip("graph-tool collection absent: apt-get install python3-graph-tool")
	}
	for _, c := range []struct {
		name string
		want [NumOrbits]int64
	}{
		{"karate", [NumOrbits]int64{156, 786, 393, 135, 1362, 1362, 3294, 1098, 144, 452, 904, 452, 170, 170, 44}},
		{"power", [NumOrbits]int64{13188, 33960, 16980, 1953, 75364, 75364, 59478, 19826, 1296, 5094, 10188, 5094, 770, 770, 360}},
	} {
		f, err := gt.Collection(c.name)
		if err != nil {
			t.Fatal(err)
		}
		if got := Totals(Count(f.Graph)); got != c.want {
			t.Errorf("%s:\n got %v\nwant %v", c.name, got, c.want)
		}
	}
}

// TestGraphToolMotifs: induced 4-node motif counts of graph-tool 2.45's
// motifs(g, 4) (scripts/graph/motifs_golden.py) equal the orbit totals
// divided by the orbit's multiplicity: paths Σo4/2, stars Σo7, 4-cycles Σo8/4,
// paws Σo9, diamonds Σo12/2, 4-cliques Σo14/4.
func TestGraphToolMotifs(t *testing.T) {
	if _, err := os.Stat(gt.CollectionDir); err != nil {
		t.Skip("graph-tool collection absent: apt-get install python3-graph-tool")
	}
	b, err := os.ReadFile("testdata/motifs.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var name string
		var want [6]int64
		if _, err := fmt.Sscan(line, &name, &want[0], &want[1], &want[2], &want[3], &want[4], &want[5]); err != nil {
			t.Fatal(err)
		}
		f, err := gt.Collection(name)
		if err != nil {
			t.Fatal(err)
		}
		o := Totals(Count(f.Graph))
		got := [6]int64{o[4] / 2, o[7], o[8] / 4, o[9], o[12] / 2, o[14] / 4}
		if got != want {
			t.Errorf("%s: motifs from orbits %v, graph-tool %v", name, got, want)
		}
	}
}
