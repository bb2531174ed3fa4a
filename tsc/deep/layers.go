package deep

import (
	"fmt"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// maxPool1D takes the maximum over windows of `size` positions moving by `stride` along
// the length axis of x [batch, length, channels]. With stride 1 the output keeps the
// length (Keras padding "same": the window is centred, edges see fewer values); with
// stride == size it is Keras's "valid" pooling (a trailing remainder is dropped).
func maxPool1D(x *Node, size, stride int) *Node {
	dims := x.Shape().Dimensions
	b, l, c := dims[0], dims[1], dims[2]
	switch {
	case stride == size:
		n := l / size
		if n == 0 {
			panic(fmt.Sprintf("deep: maxPool1D length %d shorter than pool %d", l, size))
		}
		y := Slice(x, AxisRange(), AxisRange(0, n*size), AxisRange())
		return ReduceMax(Reshape(y, b, n, size, c), 2)
	case stride == 1:
		left := (size - 1) / 2
		out := x
		for k := 0; k < size; k++ {
			off := k - left
			if off == 0 {
				continue
			}
			out = Max(out, shiftEdge(x, off))
		}
		return out
	}
	panic(fmt.Sprintf("deep: maxPool1D supports stride 1 or stride == size, got size %d stride %d", size, stride))
}

// shiftEdge returns y[t] = x[t+off] where t+off is inside [0, L), else x[t] (so a max
// over shifts ignores positions outside the series, like padding with -inf).
func shiftEdge(x *Node, off int) *Node {
	l := x.Shape().Dimensions[1]
	if off > 0 {
		if off >= l {
			return x
		}
		return Concatenate([]*Node{Slice(x, AxisRange(), AxisRange(off, l), AxisRange()), Slice(x, AxisRange(), AxisRange(l-off, l), AxisRange())}, 1)
	}
	off = -off
	if off >= l {
		return x
	}
	return Concatenate([]*Node{Slice(x, AxisRange(), AxisRange(0, off), AxisRange()), Slice(x, AxisRange(), AxisRange(0, l-off), AxisRange())}, 1)
}

// instanceNorm normalises each series and channel over the length axis, with a learned
// per-channel scale and shift (Keras-contrib InstanceNormalization(axis=-1) as used by
// dl-4-tsc's Encoder; epsilon 1e-3).
func instanceNorm(s *model.Scope, x *Node) *Node {
	c := x.Shape().Dimensions[x.Rank()-1]
	dt := x.DType()
	axis := 1
	mean := ReduceAndKeep(x, ReduceMean, axis)
	d := Sub(x, mean)
	v := ReduceAndKeep(Square(d), ReduceMean, axis)
	y := Div(d, Sqrt(AddScalar(v, 1e-3)))
	gamma := s.VariableWithValue("gamma", onesT(dt, c)).ValueGraph(x.Graph())
	beta := s.VariableWithShape("beta", shapes.Make(dt, c)).ValueGraph(x.Graph())
	return Add(Mul(y, lastAxis(gamma, x.Rank())), lastAxis(beta, x.Rank()))
}

// prelu is the parametric ReLU with one learned slope per channel and position, as Keras
// PReLU(shared_axes=None) does for the Encoder — here shared over the length axis so the
// model accepts any length (slopes start at 0 as in Keras).
func prelu(s *model.Scope, x *Node) *Node {
	c := x.Shape().Dimensions[x.Rank()-1]
	a := s.VariableWithShape("alpha", shapes.Make(x.DType(), c)).ValueGraph(x.Graph())
	return Add(Max(x, ZerosLike(x)), Mul(lastAxis(a, x.Rank()), Min(x, ZerosLike(x))))
}

// lastAxis reshapes the per-channel vector v [c] to [1, …, 1, c] of the given rank, to
// broadcast along the last axis.
func lastAxis(v *Node, rank int) *Node {
	dims := make([]int, rank)
	for i := range dims {
		dims[i] = 1
	}
	dims[rank-1] = v.Shape().Dimensions[0]
	return Reshape(v, dims...)
}

// dropout zeroes entries with probability rate during training and rescales the rest.
func dropout(s *model.Scope, x *Node, rate float64, training bool) *Node {
	if !training || rate <= 0 {
		return x
	}
	u := s.Store().RandomUniform(x.Graph(), x.Shape())
	keep := GreaterOrEqual(u, Scalar(x.Graph(), x.DType(), rate))
	return Where(keep, DivScalar(x, 1-rate), ZerosLike(x))
}

func onesT(dt dtypes.DType, n int) *tensors.Tensor {
	t := tensors.FromShape(shapes.Make(dt, n))
	t.MustMutableFlatData(func(a any) {
		switch v := a.(type) {
		case []float32:
			for i := range v {
				v[i] = 1
			}
		case []float64:
			for i := range v {
				v[i] = 1
			}
		}
	})
	return t
}
