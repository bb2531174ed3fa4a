package nn

import (
	"math"
	"testing"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// gradCases2D are the image layers' finite-difference cases: every convolution of
// convCases (strides 1-3, Same/Valid/explicit padding, dilation 2, groups 1, 2 and
// depthwise, odd sizes, 3-D), the pools, batch norm over NHWC and small stacks.
func gradCases2D() []gradCase {
	var cases []gradCase
	for _, c := range convCases() {
		cases = append(cases, gradCase{"conv_" + c.name, c.x, []string{"weights", "biases"}, c.fn()})
	}
	pool := func(f func(*Node, [2]int, [2]int, Padding) *Node, k, s [2]int, p Padding) layerFn {
		return func(_ *model.Scope, x *Node) *Node { return f(x, k, s, p) }
	}
	cases = append(cases,
		gradCase{"maxpool_2x2", []int{2, 4, 6, 3}, nil, pool(MaxPool2D, [2]int{2, 2}, [2]int{}, Valid)},
		gradCase{"maxpool_3x3_s2_same_odd", []int{1, 7, 5, 2}, nil, pool(MaxPool2D, [2]int{3, 3}, [2]int{2, 2}, Same)},
		gradCase{"maxpool_3x2_s1_valid", []int{2, 5, 4, 1}, nil, pool(MaxPool2D, [2]int{3, 2}, [2]int{1, 1}, Valid)},
		gradCase{"maxpool_2x2_valid_odd", []int{1, 5, 7, 2}, nil, pool(MaxPool2D, [2]int{2, 2}, [2]int{}, Valid)},
		gradCase{"avgpool_2x2", []int{2, 4, 6, 3}, nil, pool(AvgPool2D, [2]int{2, 2}, [2]int{}, Valid)},
		gradCase{"avgpool_3x3_s2_same_odd", []int{1, 7, 5, 2}, nil, pool(AvgPool2D, [2]int{3, 3}, [2]int{2, 2}, Same)},
		gradCase{"avgpool_2x3_s1_same", []int{2, 4, 5, 1}, nil, pool(AvgPool2D, [2]int{2, 3}, [2]int{1, 1}, Same)},
		gradCase{"gap2d", []int{2, 3, 4, 3}, nil, func(_ *model.Scope, x *Node) *Node { return GlobalAvgPool2D(x) }},
		gradCase{"batchnorm2d_train", []int{3, 3, 2, 2}, []string{"gamma", "beta"}, func(s *model.Scope, x *Node) *Node {
			return BatchNorm2D(s, x, true, BatchNormConfig{})
		}},
		gradCase{"batchnorm2d_eval", []int{2, 3, 2, 2}, []string{"gamma", "beta"}, func(s *model.Scope, x *Node) *Node {
			return BatchNorm2D(s, x, false, BatchNormConfig{Momentum: 0.01, Epsilon: 1e-3})
		}},
		gradCase{"lenet_like", []int{2, 8, 8, 1}, []string{"c1/weights", "c2/biases", "d/weights"}, func(s *model.Scope, x *Node) *Node {
			h := ReLU(Conv2D(s.In("c1"), x, Conv2DConfig{Filters: 3, Kernel: [2]int{3, 3}}))
			h = MaxPool2D(h, [2]int{2, 2}, [2]int{}, Valid)
			h = ReLU(Conv2D(s.In("c2"), h, Conv2DConfig{Filters: 4, Kernel: [2]int{3, 3}, Padding: Valid}))
			return Dense(s.In("d"), Flatten(h), 2)
		}},
		gradCase{"resnet_block", []int{2, 6, 6, 2}, []string{"c1/weights", "bn1/gamma", "c2/weights", "sc/weights"}, func(s *model.Scope, x *Node) *Node {
			return basicBlock(s, x, 4, 2, true)
		}},
	)
	return cases
}

// basicBlock is the ResNet basic block of the benchmarks (He et al. 2016): two 3×3
// convolutions with batch norm, ReLU, and a 1×1 convolution + batch norm shortcut when
// the shape changes.
func basicBlock(s *model.Scope, x *Node, filters, stride int, training bool) *Node {
	cfg := func(k, st int) Conv2DConfig {
		c := Conv2DConfig{Filters: filters, Kernel: [2]int{k, k}, Stride: [2]int{st, st}, Init: KaimingUniform}
		if k == 3 {
			c.Pad = [2][2]int{{1, 1}, {1, 1}} // PyTorch's padding=1
		} else {
			c.Padding = Valid
		}
		return c
	}
	h := ReLU(BatchNorm2D(s.In("bn1"), Conv2D(s.In("c1"), x, cfg(3, stride)), training, BatchNormConfig{}))
	h = BatchNorm2D(s.In("bn2"), Conv2D(s.In("c2"), h, cfg(3, 1)), training, BatchNormConfig{})
	short := x
	if stride != 1 || x.Shape().Dimensions[3] != filters {
		short = BatchNorm2D(s.In("sc_bn"), Conv2D(s.In("sc"), x, cfg(1, stride)), training, BatchNormConfig{})
	}
	return ReLU(Add(h, short))
}

// TestGradients2DFiniteDifferences checks the image layers' gradients (input and
// variables) against central finite differences in float64.
func TestGradients2DFiniteDifferences(t *testing.T) {
	for i, c := range gradCases2D() {
		t.Run(c.name, func(t *testing.T) {
			x := randTensor(uint64(300+i), c.x...)
			store, out := initLayer(t, c.fn, x)
			h := newHarness(t, store, c.fn, nil, c.grads)
			h.checkFD(x, randTensor(uint64(400+i), out...), fdTol, 25)
		})
	}
}

// TestCustomGradients2DMatchAutodiff checks the closed-form gradients of the image
// layers against GoMLX's automatic differentiation of the same forward graphs.
func TestCustomGradients2DMatchAutodiff(t *testing.T) {
	for i, c := range gradCases2D() {
		t.Run(c.name, func(t *testing.T) {
			x := randTensor(uint64(300+i), c.x...)
			store, out := initLayer(t, c.fn, x)
			r := randTensor(uint64(400+i), out...)
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

// TestSecondOrder2D checks gradients of gradients through Conv2D (stride 1 and 2),
// Conv3D and MaxPool2D: d/dW of sum((dE/dx)²), against finite differences.
func TestSecondOrder2D(t *testing.T) {
	conv := func(cfg Conv2DConfig) layerFn {
		return func(s *model.Scope, x *Node) *Node { return Conv2D(s, x, cfg) }
	}
	layers := []struct {
		name string
		x    []int
		fn   layerFn
	}{
		{"conv_same", []int{2, 4, 5, 2}, conv(Conv2DConfig{Filters: 2, Kernel: [2]int{3, 3}})},
		{"conv_valid_dil2", []int{1, 6, 5, 2}, conv(Conv2DConfig{Filters: 2, Kernel: [2]int{2, 2}, Dilation: [2]int{2, 1}, Padding: Valid})},
		{"conv_stride2_groups2", []int{1, 6, 5, 4}, conv(Conv2DConfig{Filters: 4, Kernel: [2]int{3, 3}, Stride: [2]int{2, 2}, Groups: 2})},
		{"depthwise_stride2", []int{1, 6, 5, 2}, conv(Conv2DConfig{Filters: 2, Kernel: [2]int{3, 3}, Stride: [2]int{2, 2}, Groups: 2})},
		{"conv3d", []int{1, 3, 4, 4, 1}, func(s *model.Scope, x *Node) *Node {
			return Conv3D(s, x, Conv3DConfig{Filters: 2, Kernel: [3]int{2, 2, 3}})
		}},
		{"maxpool_conv", []int{1, 6, 6, 1}, func(s *model.Scope, x *Node) *Node {
			h := Conv2D(s, x, Conv2DConfig{Filters: 2, Kernel: [2]int{3, 3}})
			return MaxPool2D(h, [2]int{2, 2}, [2]int{}, Valid)
		}},
	}
	for i, l := range layers {
		t.Run(l.name, func(t *testing.T) {
			score := func(s *model.Scope, x *Node) *Node {
				y := l.fn(s, x)
				r := IotaFull(x.Graph(), shapes.Make(dtypes.Float64, y.Shape().Dimensions...))
				e := ReduceAllSum(Mul(Tanh(y), Cos(r)))
				gx := Gradient(e, x)[0]
				return ReduceAllSum(Square(gx))
			}
			x := randTensor(uint64(50+i), l.x...)
			store, _ := initLayer(t, score, x)
			h := newHarness(t, store, score, nil, []string{"weights", "biases"})
			h.checkFD(x, randTensor(3), fdTol, 20)
		})
	}
}

// TestMaxPoolTies checks that the gradient of a tie goes to the first maximum of the
// window (row-major), as in PyTorch, and only there.
func TestMaxPoolTies(t *testing.T) {
	exec := MustNewExec(testBackend(), func(x *Node) []*Node {
		y := MaxPool2D(x, [2]int{2, 2}, [2]int{1, 1}, Valid)
		return []*Node{y, Gradient(ReduceAllSum(y), x)[0]}
	})
	// Overlapping windows over [[1 3 3] [3 2 3]]: both windows' maximum 3 is tied.
	out := exec.MustExec([][][][]float64{{{{1}, {3}, {3}}, {{3}, {2}, {3}}}})
	dx := out[1].Value().([][][][]float64)[0]
	want := [][]float64{{0, 2, 0}, {0, 0, 0}} // both windows pick x[0][1]
	for i := range want {
		for j := range want[i] {
			if math.Abs(dx[i][j][0]-want[i][j]) > 0 {
				t.Errorf("dx[%d][%d] = %g, want %g", i, j, dx[i][j][0], want[i][j])
			}
		}
	}
}

// TestStepMask checks the 0/1 mask behind ReLU's and MaxPool2D's gradients at the
// edges: signed zeros, the smallest subnormals, the largest values and infinities.
func TestStepMask(t *testing.T) {
	exec := MustNewExec(testBackend(), func(x32, x64 *Node) []*Node {
		return []*Node{stepMask(x32), stepMask(x64)}
	})
	x32 := []float32{0, float32(math.Copysign(0, -1)), math.SmallestNonzeroFloat32, -math.SmallestNonzeroFloat32,
		1e-38, 1, math.MaxFloat32, -math.MaxFloat32, float32(math.Inf(1)), float32(math.Inf(-1))}
	x64 := []float64{0, math.Copysign(0, -1), math.SmallestNonzeroFloat64, -math.SmallestNonzeroFloat64,
		1e-308, 1, math.MaxFloat64, -math.MaxFloat64, math.Inf(1), math.Inf(-1)}
	want := []float64{0, 0, 1, 0, 1, 1, 1, 0, 1, 0}
	out := exec.MustExec(x32, x64)
	g32, g64 := out[0].Value().([]float32), out[1].Value().([]float64)
	for i := range want {
		if float64(g32[i]) != want[i] || g64[i] != want[i] {
			t.Errorf("stepMask(%g / %g) = %g / %g, want %g", x32[i], x64[i], g32[i], g64[i], want[i])
		}
	}
}
