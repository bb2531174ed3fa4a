package sample_test

import (
	"fmt"
	"math"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/ebm/sample"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// Sample N((1, −1), I) with MALA from 2000 chains started at the origin.
func ExampleRun() {
	energy := func(s *model.Scope, x *Node) *Node { // U(x) = ½|x − (1, −1)|²
		mu := ConvertDType(Const(x.Graph(), [][]float64{{1, -1}}), x.DType())
		return MulScalar(ReduceSum(Square(Sub(x, mu)), -1), 0.5)
	}
	res, err := sample.Run(backend.Must("go:ops_sequential"), nil, energy, make([]float64, 2*2000), 2,
		sample.Config{Method: sample.MALA, Steps: 100, Burn: 100, StepSize: 0.1, Seed: 1})
	if err != nil {
		panic(err)
	}
	var m [2]float64
	for i := range res.N {
		m[0] += res.X[2*i] / float64(res.N)
		m[1] += res.X[2*i+1] / float64(res.N)
	}
	fmt.Printf("mean (%.1f, %.1f), acceptance near 0.57: %v\n", m[0], m[1], math.Abs(res.Accept-0.574) < 0.05)
	// Output:
	// mean (1.0, -1.0), acceptance near 0.57: true
}
