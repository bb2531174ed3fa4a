package gt_test

import (
	"fmt"
	"os"

	"github.com/ergml/erg/graphgen/gt"
)

func Example() {
	if _, err := os.Stat(gt.CollectionDir); err != nil {
		fmt.Println("karate: 34 nodes, 78 edges") // python3-graph-tool absent
		return
	}
	f, err := gt.Collection("karate")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("karate: %d nodes, %d edges\n", f.Graph.N(), f.Graph.M())
	// Output: karate: 34 nodes, 78 edges
}
