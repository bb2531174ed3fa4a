package gt

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"testing"
)

func needCollection(t testing.TB) {
	if _, err := os.Stat(CollectionDir); err != nil {
		t.Skip("graph-tool collection absent: apt-get install python3-graph-tool")
	}
}

// Edge counts as printed by graph-tool 2.45 (g.num_edges()) and in the files'
// own header comments.
func TestCollectionGoldens(t *testing.T) {
	needCollection(t)
	for _, c := range []struct {
		name string
		n, m int
	}{{"karate", 34, 78}, {"netscience", 1589, 2742}, {"power", 4941, 6594}, {"hep-th", 8361, 15751}} {
		f, err := Collection(c.name)
		if err != nil {
			t.Fatal(err)
		}
		if f.Graph.N() != c.n || f.Graph.M() != c.m {
			t.Errorf("%s: N=%d M=%d, want %d %d (warnings %v)", c.name, f.Graph.N(), f.Graph.M(), c.n, c.m, f.Warnings())
		}
		if f.Directed {
			t.Errorf("%s: read as directed", c.name)
		}
	}
}

func TestDirectedSymmetrised(t *testing.T) {
	needCollection(t)
	f, err := Collection("polblogs")
	if err != nil {
		t.Fatal(err)
	}
	if !f.Directed || len(f.Warnings()) == 0 {
		t.Fatalf("polblogs: directed=%v warnings=%v", f.Directed, f.Warnings())
	}
	// 19090 arcs; an undirected simple graph has fewer edges (reciprocal arcs merge).
	if m := f.Graph.M(); m >= 19090 || m < 19090/2 {
		t.Errorf("polblogs symmetrised to %d edges", m)
	}
}

func raw(t testing.TB, name string) []byte {
	fh, err := os.Open(CollectionDir + "/" + name + ".gt.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	zr, err := gzip.NewReader(fh)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestTruncated(t *testing.T) {
	needCollection(t)
	b := raw(t, "karate")
	// the karate header: 8 + 8 + 220 comment bytes + 1 + 8 = byte 245 is the first count
	for _, cut := range []int{3, 10, 100, 240, 250, 300} {
		_, err := Read(bytes.NewReader(b[:cut]))
		var te *TruncatedError
		if !errors.As(err, &te) {
			t.Fatalf("cut %d: err %v, want TruncatedError", cut, err)
		}
		if te.Offset != int64(cut) {
			t.Errorf("cut %d: offset %d", cut, te.Offset)
		}
	}
	// uncompressed and compressed read the same graph
	f, err := Read(bytes.NewReader(b))
	if err != nil || f.Graph.M() != 78 {
		t.Fatalf("raw karate: %v", err)
	}
}

func TestLoopsAndMulti(t *testing.T) {
	// hand-made: 3 vertices, 0->0 (loop), 0->1 twice, 1->2
	var b bytes.Buffer
	b.Write(magic)
	b.Write([]byte{1, 0})
	b.Write([]byte{0, 0, 0, 0, 0, 0, 0, 0}) // empty comment
	b.WriteByte(0)                          // undirected
	b.Write([]byte{3, 0, 0, 0, 0, 0, 0, 0})
	b.Write([]byte{3, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1})
	b.Write([]byte{1, 0, 0, 0, 0, 0, 0, 0, 2})
	b.Write([]byte{0, 0, 0, 0, 0, 0, 0, 0})
	f, err := Read(&b)
	if err != nil {
		t.Fatal(err)
	}
	if f.Loops != 1 || f.Multi != 1 || f.Graph.M() != 2 || len(f.Warnings()) != 2 {
		t.Fatalf("loops %d multi %d m %d warnings %v", f.Loops, f.Multi, f.Graph.M(), f.Warnings())
	}
}

func FuzzRead(f *testing.F) {
	if _, err := os.Stat(CollectionDir); err == nil {
		f.Add(raw(f, "karate"))
	}
	f.Add(append(append([]byte{}, magic...), 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0))
	f.Fuzz(func(t *testing.T, b []byte) {
		g, err := Read(bytes.NewReader(b))
		if err != nil {
			return
		}
		for u := 0; u < g.Graph.N(); u++ {
			for _, v := range g.Graph.Neighbors(u) {
				if v == u || !g.Graph.HasEdge(v, u) {
					t.Fatalf("not a simple undirected graph at %d-%d", u, v)
				}
			}
		}
	})
}
