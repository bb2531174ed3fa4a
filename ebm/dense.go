package ebm

import (
	"fmt"
	"math"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	gnn "github.com/gomlx/gomlx/ml/nn"
)

// withVJP returns f(inputs) whose gradient with respect to input i is
// vjp(v, inputs)[i], v being the gradient arriving at the output, instead of what
// reverse differentiation of f gives. Each input passes through an identity with a
// custom gradient before f sees it, and f's output through another; differentiation
// reaches the output's identity first (it was created last) and records v, then the
// inputs' identities, which return vjp's values (what arrives through f is dead code
// the backend does not run). vjp is called afresh in each Gradient, on the original
// inputs, so gradients of gradients work when vjp's operations are differentiable.
// f must have a differentiable path from each input to its output: the custom
// gradient is only reached through one.
// (The same device as package nn's; kept here so the energy's layout choices are its
// own.)
func withVJP(inputs []*Node, f func(in []*Node) *Node, vjp func(v *Node, in []*Node) []*Node) *Node {
	var (
		v     *Node
		grads []*Node
	)
	ids := make([]*Node, len(inputs))
	for i, x := range inputs {
		ids[i] = IdentityWithCustomGradient(x, func(_, _ *Node) *Node {
			if grads == nil {
				if v == nil {
					panic("ebm: internal error: custom gradient reached before its output")
				}
				grads = vjp(v, inputs)
			}
			return grads[i]
		})
	}
	return IdentityWithCustomGradient(f(ids), func(_, vOut *Node) *Node {
		v, grads = vOut, nil
		return vOut
	})
}

// affine returns x·w + b for x [n, k], w [k, m], b [m]. Its gradients are products in
// the pure-Go backend's non-transposed layout, whose small-matrix kernel is several
// times faster than the transposed one GoMLX's generic rule lands in: v·(wᵀ) with the
// transpose of the (small) weight matrix materialised, xᵀ·v, and 1ᵀ·v for the bias.
// The input gradient v·wᵀ is what every Langevin step and score computes.
//
// wT, if not nil, is wᵀ already in the graph (dense shares one per weight matrix
// between the many evaluations of a Langevin chain).
func affine(x, w, b, wT *Node) *Node {
	return withVJP([]*Node{x, w, b}, func(in []*Node) *Node {
		return gnn.Dense(in[0], in[1], in[2], compute.DenseLayoutInputOutputs)
	}, func(v *Node, in []*Node) []*Node {
		x, w := in[0], in[1]
		n := x.Shape().Dimensions[0]
		m := v.Shape().Dimensions[1]
		t := wT
		if t == nil {
			t = Transpose(w, 0, 1)
		}
		dx := Dot(v, t).Product()
		dw := Dot(Transpose(x, 0, 1), v).Product()
		db := Reshape(Dot(Ones(x.Graph(), shapes.Make(x.DType(), 1, n)), v).Product(), m)
		return []*Node{dx, dw, db}
	})
}

// uniformVar returns variable name of s, created (if new) with values from U(−bound, bound).
func uniformVar(s *model.Scope, name string, shape shapes.Shape, bound float64) *model.Variable {
	store := s.Store()
	return s.WithInitializer(func(g *Graph, sh shapes.Shape) *Node {
		return AddScalar(MulScalar(store.RandomUniform(g, sh), 2*bound), -bound)
	}).VariableWithShape(name, shape)
}

// dense is a fully connected layer x·W + b with variables "weights" [in, out] and
// "biases" [out] in s, both initialised from U(−1/√in, 1/√in) as PyTorch's nn.Linear.
func dense(s *model.Scope, x *Node, out int) *Node {
	if x.Rank() != 2 {
		panic(fmt.Sprintf("ebm: dense layer needs a batch of vectors, got %s", x.Shape()))
	}
	in := x.Shape().Dimensions[1]
	bound := 1 / math.Sqrt(float64(in))
	g := x.Graph()
	w := uniformVar(s, "weights", shapes.Make(x.DType(), in, out), bound).NodeValue(g)
	b := uniformVar(s, "biases", shapes.Make(x.DType(), out), bound).NodeValue(g)
	// One wᵀ per graph, kept as a graph parameter of the scope; nodes nobody uses are
	// not executed.
	key := "ebm_weights_transposed"
	var wT *Node
	if v, ok := s.GetGraphParam(g, key); ok {
		if n, ok := v.(*Node); ok && n.Graph() == g {
			wT = n
		}
	}
	if wT == nil {
		wT = Transpose(w, 0, 1)
		s.SetGraphParam(g, key, wT)
	}
	return affine(x, w, b, wT)
}
