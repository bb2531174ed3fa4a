package graphgen

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

func TestFromEdges(t *testing.T) {
	g, loops, multi := FromEdges(4, [][2]int{{0, 1}, {1, 0}, {2, 2}, {1, 2}, {0, 1}})
	if g.M() != 2 || loops != 1 || multi != 2 {
		t.Fatalf("m=%d loops=%d multi=%d", g.M(), loops, multi)
	}
	if !g.HasEdge(2, 1) || g.HasEdge(0, 2) || g.Degree(3) != 0 {
		t.Fatal("adjacency")
	}
}

// graph6 strings as written by networkx.to_graph6_bytes (networkx 2.8.8):
// the Petersen graph and K_4.
func TestGraph6Known(t *testing.T) {
	pet := NewBuilder(10)
	for i := 0; i < 5; i++ {
		pet.Add(i, (i+1)%5)
		pet.Add(i, i+5)
		pet.Add(5+i, 5+(i+2)%5)
	}
	if s := string(AppendGraph6(nil, pet.Graph())); s != "IheA@GUAo" {
		t.Errorf("Petersen graph6 %q, want IheA@GUAo", s)
	}
	k4 := NewBuilder(4)
	for i := 0; i < 4; i++ {
		for j := i + 1; j < 4; j++ {
			k4.Add(i, j)
		}
	}
	if s := string(AppendGraph6(nil, k4.Graph())); s != "C~" {
		t.Errorf("K4 graph6 %q, want C~", s)
	}
}

func TestGraph6RoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	var gs []*Graph
	for _, n := range []int{0, 1, 2, 7, 62, 63, 100, 300} {
		b := NewBuilder(n)
		for i := 0; i < n; i++ {
			for j := i + 1; j < n; j++ {
				if r.Float64() < 0.1 {
					b.Add(i, j)
				}
			}
		}
		gs = append(gs, b.Graph())
	}
	var buf bytes.Buffer
	if err := WriteSet(&buf, gs); err != nil {
		t.Fatal(err)
	}
	back, err := ReadSet(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for i := range gs {
		if back[i].N() != gs[i].N() || back[i].M() != gs[i].M() {
			t.Fatalf("graph %d: %d/%d vs %d/%d", i, back[i].N(), back[i].M(), gs[i].N(), gs[i].M())
		}
		for _, e := range gs[i].Edges() {
			if !back[i].HasEdge(e[0], e[1]) {
				t.Fatalf("graph %d lost edge %v", i, e)
			}
		}
	}
	if _, err := ReadSet(bytes.NewBufferString("C~\nC\n")); err == nil || err.Error()[:6] != "line 2" {
		t.Fatalf("truncated line: %v", err)
	}
}

func FuzzParseGraph6(f *testing.F) {
	f.Add([]byte("IheA@GUAo"))
	f.Add([]byte("~?@c" + string(bytes.Repeat([]byte("?"), 10))))
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 1<<12 {
			return
		}
		g, err := ParseGraph6(b)
		if err != nil {
			return
		}
		h, err := ParseGraph6(AppendGraph6(nil, g))
		if err != nil || h.M() != g.M() || h.N() != g.N() {
			t.Fatalf("round trip: %v", err)
		}
	})
}
