package nn

import (
	"fmt"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/layers/activation"
	gnn "github.com/gomlx/gomlx/ml/nn"
)

// matMul returns a·b for a [n, k] and b [k, m] (bT false) or a·bᵀ for b [m, k]
// (bT true), giving [n, m], with the gradients of linear.
func matMul(a, b *Node, bT bool) *Node { return linear(a, b, nil, bT, false) }

// linear returns a·b + bias (see matMul for bT), followed by a ReLU if relu; bias
// [m] may be nil. The forward pass is the backend's fused dense operation (product
// and activation); a bias is added afterwards as a [1, m] row, since the backend's
// fused bias addition costs an integer division per element (the fused form was 5%
// slower on the `erg bench core` MLP). The gradients are computed in the
// layouts the pure-Go backend multiplies without transposing its operands: the one
// for a is v·bᵀ (or v·b), the one for b transposes whichever of a and v is smaller
// (GoMLX's generic rule transposes both, and the result), and the one for the bias is
// a product with a vector of ones (see colSum).
func linear(a, b, bias *Node, bT, relu bool) *Node {
	if a.Rank() != 2 || b.Rank() != 2 {
		panic(fmt.Sprintf("nn: linear needs matrices, got %s and %s", a.Shape(), b.Shape()))
	}
	layout := compute.DenseLayoutInputOutputs
	if bT {
		layout = compute.DenseLayoutOutputsInput
	}
	act := activation.TypeNone
	if relu {
		act = activation.TypeRelu
	}
	inputs := []*Node{a, b}
	if bias != nil {
		inputs = append(inputs, bias)
	}
	var out *Node
	return withVJP(inputs, func(in []*Node) *Node {
		var bi *Node
		if len(in) > 2 {
			bi = in[2]
		}
		if bi == nil {
			out = gnn.Dense(in[0], in[1], nil, layout, act)
			return out
		}
		// The backend's fused bias addition indexes the bias with an integer
		// division per element; an addition of the bias as a [1, m] row (which the
		// patched backend in third_party/compute adds row by row) is faster.
		out = Add(gnn.Dense(in[0], in[1], nil, layout, activation.TypeNone), Reshape(bi, 1, bi.Shape().Size()))
		if relu {
			out = Max(out, ScalarZero(out.Graph(), out.DType()))
		}
		return out
	}, func(v *Node, in []*Node) []*Node {
		a, b := in[0], in[1]
		zero := ScalarZero(out.Graph(), out.DType())
		if relu {
			v = Where(GreaterThan(out, zero), v, zero)
		}
		n, k := a.Shape().Dimensions[0], a.Shape().Dimensions[1]
		m := v.Shape().Dimensions[1]
		var da *Node
		switch {
		case bT:
			da = Dot(v, b).Product() // [n,m]·[m,k]
		case m == 1:
			// An outer product: the backend's transposed-operand kernel is slow for a
			// contraction of width 1, the plain one is not.
			da = Dot(v, Reshape(b, 1, k)).Product() // [n,1]·[1,k]
		default:
			da = Dot(v, b).General([]int{1}, nil, []int{1}, nil) // [n,m]·[k,m]ᵀ
		}
		var db *Node
		if n*k <= n*m { // transpose a: db[k,m] = aᵀ·v
			db = Dot(Transpose(a, 0, 1), v).Product()
			if bT {
				db = Transpose(db, 0, 1)
			}
		} else { // transpose v: db[m,k] = vᵀ·a
			db = Dot(Transpose(v, 0, 1), a).Product()
			if !bT {
				db = Transpose(db, 0, 1)
			}
		}
		grads := []*Node{da, db}
		if len(in) > 2 {
			grads = append(grads, Reshape(colSum(v), m))
		}
		return grads
	})
}
