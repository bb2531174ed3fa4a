package pinn

import (
	"fmt"

	"github.com/ergml/erg/nn"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// FastMatMul returns x·w for x [B, K] and w [K, N]. Its backward pass is written
// with explicit transposes, dx = v·wᵀ and dw = xᵀ·v as plain [M,K]×[K,N] products.
// Its gradient cannot itself be differentiated (it slices, and GoMLX v0.28.2 has no
// gradient for Pad, the adjoint of Slice): use it where first derivatives suffice.
//
// The pure-Go backend's matrix products with a transposed operand, which GoMLX's
// automatic VJP of Dot produces, are 5–15x slower than a transpose followed by a
// plain product at the sizes of these networks (measured on GoMLX 0.28.2 with
// compute 0.1.3: a 32×64·64×64 product with its gradients takes 1.1 ms with Dot,
// 0.23 ms with FastMatMul). The gradients are routed through
// IdentityWithCustomGradient on a packed vector holding x, w and a zero slot that
// receives the adjoint of the product; the forward value is the plain product.
func FastMatMul(x, w *Node) *Node {
	if x.Rank() != 2 || w.Rank() != 2 || x.Shape().Dimensions[1] != w.Shape().Dimensions[0] {
		panic(fmt.Sprintf("pinn: FastMatMul of %s and %s", x.Shape(), w.Shape()))
	}
	g := x.Graph()
	b, k := x.Shape().Dimensions[0], x.Shape().Dimensions[1]
	n := w.Shape().Dimensions[1]
	nx, nw, ny := b*k, k*n, b*n
	p := Concatenate([]*Node{Reshape(x, nx), Reshape(w, nw), Zeros(g, shapes.Make(x.DType(), ny))}, 0)
	q := IdentityWithCustomGradient(p, func(_, v *Node) *Node {
		vy := Reshape(Slice(v, AxisRange(nx+nw, nx+nw+ny)), b, n)
		dx := Dot(vy, Transpose(w, 0, 1)).Product()
		dw := Dot(Transpose(x, 0, 1), vy).Product()
		return Concatenate([]*Node{Reshape(dx, nx), Reshape(dw, nw), Zeros(g, shapes.Make(x.DType(), ny))}, 0)
	})
	slot := Reshape(Slice(q, AxisRange(nx+nw, nx+nw+ny)), b, n)
	return Add(Dot(StopGradient(x), StopGradient(w)).Product(), slot)
}

// Dense is a fully connected layer x·W + b over the last axis of x [B, K] with W
// [K, out] ("weights", He-normal initialised, the GoMLX default) and b [out]
// ("biases", zero) in scope s, using FastMatMul.
func Dense(s *model.Scope, x *Node, out int) *Node {
	return dense(s, x, out, true)
}

func dense(s *model.Scope, x *Node, out int, fast bool) *Node {
	k := x.Shape().Dimensions[x.Rank()-1]
	w := s.VariableWithShape("weights", shapes.Make(x.DType(), k, out)).ValueGraph(x.Graph())
	b := s.VariableWithShape("biases", shapes.Make(x.DType(), out)).ValueGraph(x.Graph())
	if fast {
		return Add(FastMatMul(x, w), ExpandAxes(b, 0))
	}
	return Add(Dot(x, w).Product(), ExpandAxes(b, 0))
}

// MLP is a multilayer perceptron on x [B, K]: Dense layers of the hidden sizes each
// followed by the activation (nn.Activate names: "tanh", "swish", ...), then a linear
// layer of size out. Layer i lives in scope "dense_i". Its products use FastMatMul.
func MLP(s *model.Scope, x *Node, hidden []int, out int, activation string) *Node {
	return mlp(s, x, hidden, out, activation, true)
}

// MLP2 is MLP with GoMLX's plain Dot products (for comparison and other backends).
func MLP2(s *model.Scope, x *Node, hidden []int, out int, activation string) *Node {
	return mlp(s, x, hidden, out, activation, false)
}

func mlp(s *model.Scope, x *Node, hidden []int, out int, activation string, fast bool) *Node {
	h := x
	for i, n := range hidden {
		h = Activate(activation, dense(s.In("dense_%d", i), h, n, fast))
	}
	return dense(s.In("dense_%d", len(hidden)), h, out, fast)
}

// Activate applies the named activation: "sin" (the SIREN-style activation common in
// physics-informed networks) or any name nn.Activate knows ("tanh", "swish", ...).
func Activate(name string, x *Node) *Node {
	if name == "sin" {
		return Sin(x)
	}
	return nn.Activate(name, x)
}
