package nn

import (
	"fmt"

	. "github.com/gomlx/gomlx/core/graph"
)

// autodiffOnly makes withVJP differentiate f instead of using the custom gradients:
// tests compare the two, and benchmarks measure the difference.
var autodiffOnly = false

// withVJP returns f(inputs) whose gradient with respect to each input is
// vjp(v, inputs) (v: the gradient arriving at the output) instead of what reverse
// differentiation of f gives. GoMLX's automatic derivatives of matrix products
// contract over the leading axis and so transpose both big operands, those of
// broadcasts reduce with a slow generic loop, and that of Slice is a Pad, which has
// no derivative of its own; the layers here use withVJP to choose cheaper formulas
// that can themselves be differentiated.
//
// How: each input passes through an identity with a custom gradient before f sees
// it, and f's output through another. Reverse differentiation reaches the output's
// identity first (it was created last) and records v; it then differentiates f as
// usual, which reaches the inputs' identities, whose custom gradients return
// vjp(v, inputs) and ignore what arrived through f. Those ignored values are dead
// code, which the backend does not execute. vjp gets the original inputs and is
// called afresh in each Gradient call, so gradients of gradients work as long as
// vjp's own operations are differentiable.
func withVJP(inputs []*Node, f func(in []*Node) *Node, vjp func(v *Node, in []*Node) []*Node) *Node {
	if autodiffOnly {
		return f(inputs)
	}
	var (
		v     *Node
		grads []*Node
	)
	ids := make([]*Node, len(inputs))
	for i, x := range inputs {
		ids[i] = IdentityWithCustomGradient(x, func(_, _ *Node) *Node {
			if grads == nil {
				if v == nil {
					panic("nn: internal error: custom gradient reached before its output")
				}
				grads = vjp(v, inputs)
				if len(grads) != len(inputs) {
					panic(fmt.Sprintf("nn: internal error: vjp returned %d gradients for %d inputs", len(grads), len(inputs)))
				}
			}
			return grads[i]
		})
	}
	return IdentityWithCustomGradient(f(ids), func(_, vOut *Node) *Node {
		v, grads = vOut, nil
		return vOut
	})
}
