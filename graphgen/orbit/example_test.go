package orbit_test

import (
	"fmt"

	"github.com/ergml/erg/graphgen"
	"github.com/ergml/erg/graphgen/orbit"
)

func ExampleCount() {
	// a 4-cycle: every node is on orbit 8 once, ends of two 3-paths (orbit 1)
	// and the middle of one (orbit 2)
	g, _, _ := graphgen.FromEdges(4, [][2]int{{0, 1}, {1, 2}, {2, 3}, {3, 0}})
	fmt.Println(orbit.Count(g)[0])
	// Output: [2 2 1 0 0 0 0 0 1 0 0 0 0 0 0]
}
