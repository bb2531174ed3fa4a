package baseline_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/ergml/erg/graphgen"
	"github.com/ergml/erg/graphgen/baseline"
	"github.com/ergml/erg/graphgen/dataset"
)

func ExampleFit() {
	// a 10×10 grid: 100 nodes, 180 edges
	train := []*graphgen.Graph{dataset.Grid(10, 10)}
	er, _ := baseline.Fit("er", train)
	ba, _ := baseline.Fit("ba", train)
	fmt.Printf("p = %.4f, m = %d\n", er.Params[0].P, ba.Params[0].M)
	g := ba.Sample(1, rand.New(rand.NewPCG(1, 1)))[0]
	fmt.Println(g.N(), g.M())
	// Output:
	// p = 0.0364, m = 1
	// 100 99
}
