package nn

import (
	"testing"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// fdTol is the tolerance of the finite-difference checks (float64, central
// differences with step 1e-5: truncation ~1e-10, rounding ~1e-11).
const fdTol = 1e-6

// gradCase is a layer with its variables' shapes, differentiated at random weights.
type gradCase struct {
	name  string
	x     []int    // input shape
	grads []string // variables to check
	fn    layerFn
}

func gradCases() []gradCase {
	conv := func(cfg Conv1DConfig) layerFn {
		return func(s *model.Scope, x *Node) *Node { return Conv1D(s, x, cfg) }
	}
	return []gradCase{
		{"dense", []int{4, 3}, []string{"weights", "biases"}, func(s *model.Scope, x *Node) *Node { return Dense(s, x, 2) }},
		{"dense_rank3", []int{2, 3, 4}, []string{"weights", "biases"}, func(s *model.Scope, x *Node) *Node { return Dense(s, x, 3) }},
		{"mlp_tanh", []int{5, 2}, []string{"dense_0/weights", "dense_1/weights", "dense_2/biases"}, func(s *model.Scope, x *Node) *Node {
			return MLP(s, x, MLPConfig{Hidden: []int{4, 3}, Out: 2, Activation: "tanh"})
		}},
		{"mlp_relu", []int{6, 3}, []string{"dense_0/weights", "dense_0/biases", "dense_1/weights"}, func(s *model.Scope, x *Node) *Node {
			return MLP(s, x, MLPConfig{Hidden: []int{5}, Out: 2})
		}},
		{"conv_same_k3", []int{2, 6, 2}, []string{"weights", "biases"}, conv(Conv1DConfig{Filters: 3, Kernel: 3})},
		{"conv_same_k4_dil2_stride2", []int{2, 9, 2}, []string{"weights", "biases"}, conv(Conv1DConfig{Filters: 2, Kernel: 4, Dilation: 2, Stride: 2})},
		{"conv_valid_stride3", []int{1, 10, 3}, []string{"weights", "biases"}, conv(Conv1DConfig{Filters: 2, Kernel: 2, Stride: 3, Padding: Valid})},
		{"conv_causal_nobias", []int{2, 5, 1}, []string{"weights"}, conv(Conv1DConfig{Filters: 2, Kernel: 3, Padding: Causal, NoBias: true})},
		{"conv_same_k4_dil2", []int{2, 9, 2}, []string{"weights", "biases"}, conv(Conv1DConfig{Filters: 2, Kernel: 4, Dilation: 2})},
		{"conv_valid_k3", []int{2, 7, 3}, []string{"weights", "biases"}, conv(Conv1DConfig{Filters: 2, Kernel: 3, Padding: Valid})},
		{"conv_causal_dil3", []int{1, 8, 2}, []string{"weights"}, conv(Conv1DConfig{Filters: 3, Kernel: 2, Dilation: 3, Padding: Causal})},
		{"batchnorm_train", []int{3, 4, 2}, []string{"gamma", "beta"}, func(s *model.Scope, x *Node) *Node { return BatchNorm(s, x, true) }},
		{"batchnorm_eval", []int{3, 2}, []string{"gamma", "beta"}, func(s *model.Scope, x *Node) *Node { return BatchNorm(s, x, false) }},
		{"relu_conv", []int{2, 5, 2}, []string{"weights"}, func(s *model.Scope, x *Node) *Node {
			return ReLU(Conv1D(s, x, Conv1DConfig{Filters: 3, Kernel: 3}))
		}},
		{"gap", []int{2, 4, 3}, nil, func(s *model.Scope, x *Node) *Node { return GlobalAvgPool1D(x, nil) }},
		{"gap_masked", []int{2, 4, 3}, nil, func(s *model.Scope, x *Node) *Node {
			mask := Const(x.Graph(), [][]bool{{true, true, false, false}, {true, true, true, true}})
			return GlobalAvgPool1D(x, mask)
		}},
		{"gru_cell", []int{3, 2}, []string{"w_ih", "w_hh", "b_ih", "b_hh"}, func(s *model.Scope, x *Node) *Node {
			h := Tanh(Dense(s.In("h0"), x, 4)) // a state that depends on x
			return GRUCell(s, x, h, GRUConfig{Hidden: 4, Init: KaimingUniform})
		}},
		{"gru_masked", []int{2, 3, 2}, []string{"w_ih", "w_hh", "b_hh"}, func(s *model.Scope, x *Node) *Node {
			mask := Const(x.Graph(), [][]float64{{1, 1, 0}, {1, 1, 1}})
			out, last := GRU(s, x, nil, mask, GRUConfig{Hidden: 3, Init: KaimingUniform})
			return Add(out, ExpandAxes(last, 1))
		}},
		{"resblock", []int{2, 9, 2}, []string{"conv_0/weights", "conv_2/biases", "shortcut_conv/weights", "bn_1/gamma"},
			func(s *model.Scope, x *Node) *Node { return ResidualBlock1D(s, x, 3, true, KaimingUniform) }},
	}
}

// TestGradientsFiniteDifferences checks every layer's gradients (input and
// variables) against central finite differences in float64.
func TestGradientsFiniteDifferences(t *testing.T) {
	for i, c := range gradCases() {
		t.Run(c.name, func(t *testing.T) {
			x := randTensor(uint64(i), c.x...)
			store, out := initLayer(t, c.fn, x)
			h := newHarness(t, store, c.fn, nil, c.grads)
			h.checkFD(x, randTensor(uint64(100+i), out...), fdTol, 25)
		})
	}
}

// TestCustomGradientsMatchAutodiff checks that the closed-form gradients (matMul,
// BatchNorm, ReLU) equal GoMLX's automatic differentiation of the same forward
// graph.
func TestCustomGradientsMatchAutodiff(t *testing.T) {
	for i, c := range gradCases() {
		t.Run(c.name, func(t *testing.T) {
			x := randTensor(uint64(i), c.x...)
			store, out := initLayer(t, c.fn, x)
			r := randTensor(uint64(100+i), out...)
			_, _, custom := newHarness(t, store, c.fn, nil, c.grads).run(x, r)
			autodiffOnly = true
			defer func() { autodiffOnly = false }()
			_, _, auto := newHarness(t, store, c.fn, nil, c.grads).run(x, r)
			for k := range custom {
				compare(t, "grad", custom[k], auto[k], 1e-12)
			}
		})
	}
}

// TestSecondOrder checks a gradient of a gradient through the custom gradients:
// d/dW of sum((dE/dx)²) with E = sum(tanh(layer(x)) * R), against finite differences
// of that quantity computed in the graph.
func TestSecondOrder(t *testing.T) {
	layers := map[string]layerFn{
		"dense": func(s *model.Scope, x *Node) *Node { return Dense(s, x, 3) },
		"conv":  func(s *model.Scope, x *Node) *Node { return Conv1D(s, x, Conv1DConfig{Filters: 2, Kernel: 3}) },
		"conv_valid_dil2": func(s *model.Scope, x *Node) *Node {
			return Conv1D(s, x, Conv1DConfig{Filters: 2, Kernel: 2, Dilation: 2, Padding: Valid})
		},
		"conv_causal_k4": func(s *model.Scope, x *Node) *Node {
			return Conv1D(s, x, Conv1DConfig{Filters: 2, Kernel: 4, Padding: Causal})
		},
	}
	shapesIn := map[string][]int{"dense": {4, 2}, "conv": {2, 5, 2}, "conv_valid_dil2": {2, 6, 2}, "conv_causal_k4": {1, 6, 3}}
	for name, fn := range layers {
		t.Run(name, func(t *testing.T) {
			score := func(s *model.Scope, x *Node) *Node {
				y := fn(s, x)
				r := IotaFull(x.Graph(), shapes.Make(dtypes.Float64, y.Shape().Dimensions...))
				e := ReduceAllSum(Mul(Tanh(y), Cos(r)))
				gx := Gradient(e, x)[0]
				return ReduceAllSum(Square(gx))
			}
			x := randTensor(7, shapesIn[name]...)
			store, _ := initLayer(t, score, x)
			h := newHarness(t, store, score, nil, []string{"weights", "biases"})
			h.checkFD(x, randTensor(3), fdTol, 20)
		})
	}
}
