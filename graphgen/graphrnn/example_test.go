package graphrnn_test

import (
	"fmt"

	"github.com/ergml/erg/graphgen"
	"github.com/ergml/erg/graphgen/graphrnn"
)

// A 4-cycle in BFS order from node 0 as adjacency vectors of length 2, and
// back.
func Example() {
	b := graphgen.NewBuilder(4)
	for _, e := range [][2]int{{0, 1}, {1, 2}, {2, 3}, {3, 0}} {
		b.Add(e[0], e[1])
	}
	g := b.Graph()
	order := g.BFS(0, -1) // 0, 1, 3, 2
	seq, truncated := graphrnn.Encode(g, order, 2)
	for i, row := range seq.Rows {
		fmt.Printf("node %d (%d): %v\n", i+1, order[i+1], row)
	}
	d := seq.Decode()
	fmt.Println("truncated:", truncated, "decoded edges:", d.Edges())
	// Output:
	// node 1 (1): [1 0]
	// node 2 (3): [0 1]
	// node 3 (2): [1 1]
	// truncated: 0 decoded edges: [[0 1] [0 2] [1 3] [2 3]]
}
