package nn_test

import (
	"fmt"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
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

// A 2×2 box sum over a 3×3 single-channel image (weights all ones), with Same
// padding (the extra zero row and column after the image) and with Valid padding.
func ExampleConv2DWithWeights() {
	be := backend.Must("go:parallelism=-1")
	for _, p := range []nn.Padding{nn.Same, nn.Valid} {
		cfg := nn.Conv2DConfig{Filters: 1, Kernel: [2]int{2, 2}, Padding: p}
		exec := MustNewExec(be, func(x *Node) *Node {
			w := Ones(x.Graph(), shapes.Make(x.DType(), 1, 2, 2, 1)) // [filters, kh, kw, channels]
			y := nn.Conv2DWithWeights(x, w, nil, cfg)
			return Reshape(y, y.Shape().Dimensions[1:3]...) // [outH, outW]
		})
		y := exec.MustExec([][][][]float64{{{{1}, {2}, {3}}, {{4}, {5}, {6}}, {{7}, {8}, {9}}}})[0]
		fmt.Printf("%-5s %v\n", p, y.Value())
	}
	// Output:
	// same  [[12 16 9] [24 28 15] [15 17 9]]
	// valid [[12 16] [24 28]]
}

// Conv2D creates its weights and bias in the scope; the store's seed makes the
// initialisation reproducible. A stride-2 convolution halves the image (rounding up,
// with Same padding).
func ExampleConv2D() {
	store := model.NewStore()
	if err := store.SetRNGStateFromSeed(7); err != nil {
		panic(err)
	}
	cfg := nn.Conv2DConfig{Filters: 8, Kernel: [2]int{3, 3}, Stride: [2]int{2, 2}, Init: nn.KaimingUniform}
	exec := model.MustNewExec(backend.Must("go:parallelism=-1"), store, func(s *model.Scope, x *Node) *Node {
		return nn.Conv2D(s.In("conv"), x, cfg)
	})
	y := exec.MustExec(tensors.FromShape(shapes.Make(dtypes.Float32, 4, 28, 28, 3)))[0]
	fmt.Println(y.Shape().Dimensions, store.GetVariable("/conv/weights").Shape().Dimensions)
	outH, outW, pad := cfg.Geometry(28, 28)
	fmt.Println(outH, outW, pad)
	// Output:
	// [4 14 14 8] [8 3 3 3]
	// 14 14 [[0 1] [0 1]]
}

// Max pooling takes the largest value of each 2×2 window; average pooling the mean.
func ExampleMaxPool2D() {
	exec := MustNewExec(backend.Must("go:parallelism=-1"), func(x *Node) []*Node {
		return []*Node{
			nn.Flatten(nn.MaxPool2D(x, [2]int{2, 2}, [2]int{}, nn.Valid)),
			nn.Flatten(nn.AvgPool2D(x, [2]int{2, 2}, [2]int{}, nn.Valid)),
		}
	})
	x := [][][][]float64{{{{1}, {2}, {5}, {6}}, {{3}, {4}, {7}, {8}}}} // [1, 2, 4, 1]
	out := exec.MustExec(x)
	fmt.Println(out[0].Value(), out[1].Value())
	// Output: [[4 8]] [[2.5 6.5]]
}
