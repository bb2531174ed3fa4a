package nn

import (
	"fmt"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// DenseConfig configures DenseWith. The zero value is a dense layer with a bias and
// Glorot-uniform weights; Out must be set.
type DenseConfig struct {
	Out    int  // output features (required)
	NoBias bool // leave out the bias
	Init   Init // weight initialiser (default GlorotUniform)
	ReLU   bool // apply a ReLU, fused with the product
}

// Dense is a fully connected layer y = x·W + b over the last axis of x, with W of
// shape [in, out] (variable "weights") and b of shape [out] (variable "biases") in
// scope s. Leading axes of x are batch axes.
func Dense(s *model.Scope, x *Node, out int) *Node {
	return DenseWith(s, x, DenseConfig{Out: out})
}

// DenseWith is Dense with a configuration.
func DenseWith(s *model.Scope, x *Node, cfg DenseConfig) *Node {
	if cfg.Out <= 0 {
		panic(fmt.Sprintf("nn: Dense output size %d must be positive", cfg.Out))
	}
	if x.Rank() < 1 {
		panic(fmt.Sprintf("nn: Dense input must have rank >= 1, got %s", x.Shape()))
	}
	dims := x.Shape().Dimensions
	in := dims[len(dims)-1]
	dt := x.DType()
	w := uniformVar(s, "weights", shapes.Make(dt, in, cfg.Out), cfg.Init.weightBound(in, cfg.Out)).NodeValue(x.Graph())
	x2 := x
	if x.Rank() != 2 {
		x2 = Reshape(x, -1, in)
	}
	var b *Node
	if !cfg.NoBias {
		b = uniformVar(s, "biases", shapes.Make(dt, cfg.Out), cfg.Init.biasBound(in)).NodeValue(x.Graph())
	}
	y := linear(x2, w, b, false, cfg.ReLU)
	if x.Rank() != 2 {
		out := append(append([]int{}, dims[:len(dims)-1]...), cfg.Out)
		y = Reshape(y, out...)
	}
	return y
}

// MLPConfig configures MLP. The zero value (with Out set) is a single dense layer.
type MLPConfig struct {
	Hidden     []int  // sizes of the hidden layers, in order
	Out        int    // output features (required)
	Activation string // activation after each hidden layer (see Activate; default "relu")
	Init       Init   // weight initialiser (default GlorotUniform)
}

// MLP is a multilayer perceptron: dense layers of sizes cfg.Hidden, each followed by
// cfg.Activation, then a linear output layer of size cfg.Out. Layer i lives in the
// sub-scope "dense_i" of s.
func MLP(s *model.Scope, x *Node, cfg MLPConfig) *Node {
	act := cfg.Activation
	if act == "" {
		act = "relu"
	}
	h := x
	for i, n := range cfg.Hidden {
		if act == "relu" {
			h = DenseWith(s.In("dense_%d", i), h, DenseConfig{Out: n, Init: cfg.Init, ReLU: true})
			continue
		}
		h = DenseWith(s.In("dense_%d", i), h, DenseConfig{Out: n, Init: cfg.Init})
		h = Activate(act, h)
	}
	return DenseWith(s.In("dense_%d", len(cfg.Hidden)), h, DenseConfig{Out: cfg.Out, Init: cfg.Init})
}

// Activate applies the named activation: "relu", "tanh", "sigmoid", "softplus",
// "swish" (also "silu"), "gelu" (tanh approximation), "elu", "leaky_relu" (slope
// 0.01), or "linear"/"none" (identity). It panics on other names.
func Activate(name string, x *Node) *Node {
	switch name {
	case "relu":
		return ReLU(x)
	case "tanh":
		return Tanh(x)
	case "sigmoid":
		return Sigmoid(x)
	case "softplus":
		// log(1+e^x) = max(x,0) + log1p(e^-|x|), stable for large |x|.
		return Add(Max(x, ZerosLike(x)), Log1p(Exp(Neg(Abs(x)))))
	case "swish", "silu":
		return Mul(x, Sigmoid(x))
	case "gelu":
		// 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
		inner := MulScalar(Add(x, MulScalar(Mul(x, Square(x)), 0.044715)), 0.7978845608028654)
		return Mul(MulScalar(x, 0.5), AddScalar(Tanh(inner), 1))
	case "elu":
		return Where(GreaterThan(x, ZerosLike(x)), x, AddScalar(Exp(Min(x, ZerosLike(x))), -1))
	case "leaky_relu":
		return Where(GreaterThan(x, ZerosLike(x)), x, MulScalar(x, 0.01))
	case "linear", "none", "identity":
		return x
	}
	panic(fmt.Sprintf("nn: unknown activation %q", name))
}

// ReLU is max(x, 0). Its gradient is v where x > 0 and 0 elsewhere (0 at x = 0, as
// in PyTorch; NaN where x is NaN), computed as v times a 0/1 mask that the forward
// pass derives from x with vectorised arithmetic (see stepMask) instead of GoMLX's
// generic max derivative or a select, which the pure-Go backend runs several times
// slower per element.
func ReLU(x *Node) *Node {
	var mask *Node
	return withVJP([]*Node{x}, func(in []*Node) *Node {
		mask = StopGradient(stepMask(in[0]))
		return Max(in[0], ScalarZero(in[0].Graph(), in[0].DType()))
	}, func(v *Node, _ []*Node) []*Node {
		return []*Node{Mul(v, mask)}
	})
}

// stepMask returns 1 where x > 0, 0 where x <= 0 (and NaN where x is NaN), in x's
// dtype: min(max(x·2^a·2^a, 0), 1) with 2^(2a) above the reciprocal of the smallest
// subnormal, so that every positive value maps to 1. On the pure-Go backend these
// four vectorised or plain loops are 2-3 times faster than a comparison followed by a
// conversion or a select of random data (which mispredicts branches).
func stepMask(x *Node) *Node {
	scale := 0x1p80 // (2^80)² = 2^160 > 2^149 (float32, bfloat16: 2^133)
	switch x.DType() {
	case dtypes.Float64:
		scale = 0x1p540 // (2^540)² = 2^1080 > 2^1074
	case dtypes.Float16:
		scale = 0x1p12 // (2^12)² = 2^24, the reciprocal of the smallest subnormal; 2^12 < 65504
	}
	g, dt := x.Graph(), x.DType()
	m := MulScalar(MulScalar(x, scale), scale)
	return Min(Max(m, ScalarZero(g, dt)), ScalarOne(g, dt))
}
