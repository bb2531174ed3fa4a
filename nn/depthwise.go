package nn

import (
	. "github.com/gomlx/gomlx/core/graph"
)

// depthwise is convND for a depthwise convolution with channel multiplier 1 (groups =
// input channels = filters): w [c, kernel..., 1], b [c] or nil. It is computed in the
// channels-last layout as a multiply-accumulate over the kernel taps, without
// products: each tap is a strided slice of the padded input (as in poolTaps), scaled
// by a [1, c] row of weights. The gradients are the same per tap: the weights' are
// column sums of tap·v, the input's is the adjoint of the tap slices (poolAdjoint)
// applied to v·w_t. Measured 2.2 times faster than the batched product of convND for
// a 3×3 depthwise layer on [64, 28, 28, 32] (the product has one output row per
// channel there, which the backend's kernels handle poorly).
//
// As in convND, the taps reused by the weights' gradient are behind a StopGradient:
// the derivative of the weights' gradient with respect to the input is taken as zero.
func depthwise(x, w, b *Node, g convGeom) *Node {
	dims := x.Shape().Dimensions
	c := dims[len(dims)-1]
	taps := g.taps()
	nt := len(taps)
	var tapsF []*Node // the forward taps, [m/r, r·c]
	var wide func(*Node) *Node
	var tile func(*Node) *Node
	var sums func(*Node) *Node
	var outDims []int
	inputs := []*Node{x, w}
	if b != nil {
		inputs = append(inputs, b)
	}
	weightRow := func(w *Node, t int) *Node { // [c]
		return Reshape(Slice(Reshape(w, c, nt), AxisRange(), AxisElem(t)), c)
	}
	return withVJP(inputs, func(in []*Node) *Node {
		x, w := in[0], in[1]
		xs := padPool(x, g, 0)
		raw := poolTaps(xs, g)
		outDims = raw[0].Shape().Dimensions
		m := raw[0].Shape().Size() / c
		wide, tile, sums = rowView(m, c)
		stop := !autodiffOnly
		var y *Node
		tapsF = make([]*Node, nt)
		for t, tp := range raw {
			tp = wide(tp)
			if stop {
				tp = StopGradient(tp)
			}
			tapsF[t] = tp
			wt := weightRow(w, t)
			if stop && t == 0 {
				// The custom gradient of x is reached through an empty slice (zero).
				wt = Add(wt, ReduceAllSum(SliceAxis(x, 0, AxisRange(0, 0))))
			}
			term := Mul(tp, tile(wt))
			if y == nil {
				y = term
			} else {
				y = Add(y, term)
			}
		}
		if len(in) > 2 {
			y = Add(y, tile(in[2]))
		}
		return Reshape(y, outDims...)
	}, func(v *Node, in []*Node) []*Node {
		w := in[1]
		v2 := wide(v)
		dws := make([]*Node, nt)
		dtaps := make([]*Node, nt)
		for t := range taps {
			dws[t] = Reshape(sums(Mul(tapsF[t], v2)), c, 1)
			dtaps[t] = Reshape(Mul(v2, tile(weightRow(w, t))), outDims...)
		}
		dw := Reshape(Concatenate(dws, 1), w.Shape().Dimensions...)
		grads := []*Node{poolAdjoint(dtaps, g, dims), dw}
		if len(in) > 2 {
			grads = append(grads, sums(v2))
		}
		return grads
	})
}

// rowView returns, for tensors of m·c elements with channels last, functions that
// view them as [m/r, r·c] with r·c about 256 where m allows (the backend applies
// [1, w] rows and sums columns with loops over w, slower per element for narrow w),
// tile a [c] row to [1, r·c], and fold column sums of a [m/r, r·c] view to [c].
func rowView(m, c int) (wide, tile, sums func(*Node) *Node) {
	r := 1
	for r*c < 256 && m%(2*r) == 0 {
		r *= 2
	}
	wide = func(x *Node) *Node { return Reshape(x, m/r, r*c) }
	tile = func(row *Node) *Node {
		if r == 1 {
			return Reshape(row, 1, c)
		}
		return Reshape(BroadcastToDims(Reshape(row, 1, c), r, c), 1, r*c)
	}
	sums = func(x *Node) *Node {
		s := colSum(x)
		if r > 1 {
			s = colSum(Reshape(s, r, c))
		}
		return Reshape(s, c)
	}
	return wide, tile, sums
}
