package nn

import (
	"fmt"
	"math"

	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// MaxPool2D is the maximum over kernel[0]×kernel[1] windows of x [batch, height,
// width, channels], moved by stride (zero entries: the kernel size, the usual
// non-overlapping pooling), giving [batch, outH, outW, channels]. Valid padding takes
// only whole windows (output floor((in-k)/s)+1, PyTorch's default); Same pads so that
// the output is ceil(in/s), with padded positions never chosen (TensorFlow's "same").
//
// The gradient goes to the window's maximum; for ties, to the first maximum in the
// window in row-major order, as in PyTorch.
func MaxPool2D(x *Node, kernel, stride [2]int, padding Padding) *Node {
	g, _ := poolGeom("MaxPool2D", x, kernel, stride, padding)
	var taps []*Node
	var y *Node
	return withVJP([]*Node{x}, func(in []*Node) *Node {
		taps = poolTaps(padPool(in[0], g, math.Inf(-1)), g)
		y = taps[0]
		for _, t := range taps[1:] {
			y = Max(y, t)
		}
		return y
	}, func(v *Node, in []*Node) []*Node {
		// With n_t = 1 where tap t is below the maximum and 0 where it equals it (see
		// stepMask), rem_t = n_0·...·n_(t-1) is 1 until the first maximum, and tap t
		// gets v·(rem_t - rem_(t+1)): v goes to the first maximum only. The forward
		// taps and maximum only choose where v goes, so they are used behind a
		// StopGradient (gradients of gradients stay exact: the choice is locally
		// constant).
		one := ScalarOne(v.Graph(), v.DType())
		rem := one
		dtaps := make([]*Node, len(taps))
		for i, t := range taps {
			n := StopGradient(stepMask(Sub(y, t)))
			next := n
			if i > 0 {
				next = Mul(rem, n)
			}
			dtaps[i] = Mul(v, Sub(rem, next))
			rem = next
		}
		return []*Node{poolAdjoint(dtaps, g, in[0].Shape().Dimensions)}
	})
}

// AvgPool2D is the mean over kernel[0]×kernel[1] windows of x [batch, height, width,
// channels], moved by stride (zero entries: the kernel size). Valid padding takes only
// whole windows (PyTorch's default); Same pads so that the output is ceil(in/s) and
// averages only the input positions in each window (TensorFlow's "same", PyTorch's
// count_include_pad=False).
func AvgPool2D(x *Node, kernel, stride [2]int, padding Padding) *Node {
	g, pads := poolGeom("AvgPool2D", x, kernel, stride, padding)
	dims := x.Shape().Dimensions
	batch, c := dims[0], dims[3]
	oh, ow := g.axes[0].out, g.axes[1].out
	// Reciprocal window counts, as a [1, oh·ow·c] row.
	inv := make([]float64, 0, oh*ow*c)
	for i := range oh {
		for j := range ow {
			n := 1
			for a, p := range []int{i, j} {
				ax := g.axes[a]
				start := p*ax.stride - pads[a][0]
				n *= min(start+ax.kernel, ax.in) - max(start, 0)
			}
			for range c {
				inv = append(inv, 1/float64(n))
			}
		}
	}
	scale := func(gr *Graph, y *Node) *Node {
		r := Reshape(ConstAsDType(gr, y.DType(), inv), 1, len(inv))
		return Reshape(Mul(Reshape(y, batch, len(inv)), r), batch, oh, ow, c)
	}
	return withVJP([]*Node{x}, func(in []*Node) *Node {
		taps := poolTaps(padPool(in[0], g, 0), g)
		y := taps[0]
		for _, t := range taps[1:] {
			y = Add(y, t)
		}
		return scale(in[0].Graph(), y)
	}, func(v *Node, in []*Node) []*Node {
		dv := scale(v.Graph(), v)
		dtaps := make([]*Node, len(g.taps()))
		for i := range dtaps {
			dtaps[i] = dv
		}
		return []*Node{poolAdjoint(dtaps, g, in[0].Shape().Dimensions)}
	})
}

// GlobalAvgPool2D averages x [batch, height, width, channels] over height and width,
// giving [batch, channels] (a batched product, see GlobalAvgPool1D).
func GlobalAvgPool2D(x *Node) *Node {
	if x.Rank() != 4 {
		panic(fmt.Sprintf("nn: GlobalAvgPool2D input must be [batch, height, width, channels], got %s", x.Shape()))
	}
	d := x.Shape().Dimensions
	return GlobalAvgPool1D(Reshape(x, d[0], d[1]*d[2], d[3]), nil)
}

// Flatten reshapes x [batch, ...] to [batch, product of the other axes]; in
// channels-last layouts the features are ordered (height, width, channels), not
// PyTorch's (channels, height, width).
func Flatten(x *Node) *Node {
	if x.Rank() < 1 {
		panic(fmt.Sprintf("nn: Flatten needs a batch axis, got %s", x.Shape()))
	}
	d := x.Shape().Dimensions
	return Reshape(x, d[0], x.Shape().Size()/max(d[0], 1))
}

// BatchNorm2D is BatchNorm (with cfg, see BatchNormWith) for images x [batch, height,
// width, channels]: per-channel statistics over batch, height and width, as PyTorch's
// BatchNorm2d; the zero BatchNormConfig is PyTorch's momentum 0.1 and epsilon 1e-5.
func BatchNorm2D(s *model.Scope, x *Node, training bool, cfg BatchNormConfig) *Node {
	if x.Rank() != 4 {
		panic(fmt.Sprintf("nn: BatchNorm2D input must be [batch, height, width, channels], got %s", x.Shape()))
	}
	return BatchNormWith(s, x, training, cfg)
}

// poolGeom returns the window geometry of a pooling of x (as a convGeom with one
// channel group and dilation 1) and the padding {before, after} of each axis.
func poolGeom(name string, x *Node, kernel, stride [2]int, padding Padding) (convGeom, [][2]int) {
	if x.Rank() != 4 {
		panic(fmt.Sprintf("nn: %s input must be [batch, height, width, channels], got %s", name, x.Shape()))
	}
	for i := range stride {
		if stride[i] == 0 {
			stride[i] = kernel[i]
		}
	}
	spec := convSpec{name: name, filters: 1, kernel: kernel[:], stride: stride[:], dilation: []int{1, 1},
		padding: padding, pad: make([][2]int, 2), groups: 1}
	dims := x.Shape().Dimensions
	out, pads := spec.geometry(dims[1:3])
	g := convGeom{groups: 1}
	for i := range 2 {
		a, ok := newConvAxis(dims[1+i], kernel[i], stride[i], 1, pads[i][0], pads[i][1])
		if !ok || a.out != out[i] {
			panic(fmt.Sprintf("nn: internal error: %s axis %d geometry %+v", name, i, a))
		}
		g.axes = append(g.axes, a)
	}
	return g, pads
}

// padPool pads (and trims) x to the extent the windows cover, with the given value.
func padPool(x *Node, g convGeom, value float64) *Node {
	for i := len(g.axes) - 1; i >= 0; i-- {
		a := g.axes[i]
		lo, hi := a.lo, a.hi
		if hi < 0 {
			x = padCrop(x, 1+i, 0, hi)
			hi = 0
		}
		if lo == 0 && hi == 0 {
			continue
		}
		fill := func(n int) *Node {
			d := append([]int(nil), x.Shape().Dimensions...)
			d[1+i] = n
			return AddScalar(Zeros(x.Graph(), shapes.Make(x.DType(), d...)), value)
		}
		parts := []*Node{}
		if lo > 0 {
			parts = append(parts, fill(lo))
		}
		parts = append(parts, x)
		if hi > 0 {
			parts = append(parts, fill(hi))
		}
		x = Concatenate(parts, 1+i)
	}
	return x
}

// poolTaps returns the windows' elements of the padded xp, one [batch, out...,
// channels] strided slice per kernel tap (row-major; taps dilation apart).
func poolTaps(xp *Node, g convGeom) []*Node {
	var taps []*Node
	for _, t := range g.taps() {
		spec := []SliceAxisSpec{AxisRange()}
		for i, a := range g.axes {
			o := t[i] * a.dilation
			spec = append(spec, AxisRange(o, o+(a.out-1)*a.stride+1).Stride(a.stride))
		}
		taps = append(taps, Slice(xp, append(spec, AxisRange())...))
	}
	return taps
}

// poolAdjoint is the adjoint of poolTaps followed by padPool: it returns dx (of
// dimensions inDims) with dx[window position of tap t] summed over the dtaps[t].
// Taps in the same stride phase are shifted and added; the phases are interleaved.
func poolAdjoint(dtaps []*Node, g convGeom, inDims []int) *Node {
	batch, c := inDims[0], inDims[len(inDims)-1]
	nPhases := g.gridPhases()
	phases := make([]*Node, nPhases)
	for ti, t := range g.taps() {
		p, _ := g.phaseOf(t)
		term := dtaps[ti]
		for i, a := range g.axes {
			e := t[i] * a.dilation / a.stride
			term = padCrop(term, 1+i, e, a.grid()-a.out-e)
		}
		if phases[p] == nil {
			phases[p] = term
		} else {
			phases[p] = Add(phases[p], term)
		}
	}
	for p := range phases {
		if phases[p] == nil {
			phases[p] = Zeros(dtaps[0].Graph(), shapes.Make(dtaps[0].DType(), gridDims(batch, g, c)...))
		}
	}
	dx := phases[0]
	if nPhases > 1 {
		dx = interleavePhases(phases, g, batch, c)
	}
	for i, a := range g.axes {
		dx = padCrop(dx, 1+i, -a.lo, -(a.stride*a.grid() - a.in - a.lo))
	}
	return dx
}
