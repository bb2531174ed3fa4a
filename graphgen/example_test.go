package graphgen_test

import (
	"fmt"

	"github.com/ergml/erg/graphgen"
)

func Example() {
	// a triangle with a pendant node; the self-loop and the repeated edge go
	g, loops, multi := graphgen.FromEdges(4, [][2]int{{0, 1}, {1, 2}, {2, 0}, {2, 3}, {3, 3}, {1, 0}})
	fmt.Println(g.N(), g.M(), loops, multi, g.Neighbors(2))
	fmt.Println(string(graphgen.AppendGraph6(nil, g)))
	// Output:
	// 4 4 1 1 [0 1 3]
	// Cx
}
