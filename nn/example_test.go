package nn_test

import (
	"fmt"

	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/nn"
)

// A two-tap moving sum (kernel [1, 1]) over a series of length 5, with the three
// paddings.
func ExampleConv1DWithWeights() {
	be := backend.Must("go:parallelism=-1")
	for _, p := range []nn.Padding{nn.Same, nn.Valid, nn.Causal} {
		cfg := nn.Conv1DConfig{Filters: 1, Kernel: 2, Padding: p}
		exec := MustNewExec(be, func(x *Node) *Node {
			w := Ones(x.Graph(), shapes.Make(x.DType(), 1, 2, 1)) // [filters, kernel, channels]
			return nn.Conv1DWithWeights(x, w, nil, cfg)
		})
		y := exec.MustExec([][][]float64{{{1}, {2}, {3}, {4}, {5}}})[0]
		fmt.Printf("%-6s %v\n", p, y.Value())
	}
	// Output:
	// same   [[[3] [5] [7] [9] [5]]]
	// valid  [[[3] [5] [7] [9]]]
	// causal [[[1] [3] [5] [7] [9]]]
}

// Geometry gives a convolution's output length and padding.
func ExampleConv1DConfig_Geometry() {
	cfg := nn.Conv1DConfig{Filters: 8, Kernel: 5, Stride: 2}
	out, left, right := cfg.Geometry(150)
	fmt.Println(out, left, right)
	// Output: 75 1 2
}

// Batch norm in training mode normalises each channel with the batch statistics.
func ExampleBatchNorm() {
	store := model.NewStore()
	exec := model.MustNewExec(backend.Must("go:parallelism=-1"), store, func(s *model.Scope, x *Node) *Node {
		return nn.BatchNorm(s.In("bn"), x, true)
	})
	y := exec.MustExec([][]float64{{1, 10}, {3, 10}, {5, 16}})[0]
	for _, row := range y.Value().([][]float64) {
		fmt.Printf("%6.3f %6.3f\n", row[0], row[1])
	}
	// Output:
	// -1.225 -0.707
	//  0.000 -0.707
	//  1.225  1.414
}
