package nn

import (
	"github.com/gomlx/compute/shapes"
	"testing"
	"time"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// BenchmarkConv1DFormulations times one forward and backward pass (gradients for the
// input and the weights of sum(y*R)) of the FCN's second convolution — input
// [16, 150, 128], 256 filters of width 5, Same padding, float32 — written three ways,
// interleaving rounds so that a busy machine affects all alike:
//
//	im2col           Conv1D: one product of the concatenated shifted slices, custom gradients
//	im2col-autodiff  the same forward graph with GoMLX's automatic gradients
//	sum-of-K         K products of the shifted slices [N,128]·[128,256], summed
//
// (GoMLX's own Convolve, the backend's ConvGeneral, is left out: its gradient of this
// layer did not finish in 20 minutes here.)
// It reports each one's fastest round in ms.
func BenchmarkConv1DFormulations(b *testing.B) {
	const batch, length, cin, filters, kernel = 16, 150, 128, 256, 5
	be := testBackend()
	cfg := Conv1DConfig{Filters: filters, Kernel: kernel}
	type variant struct {
		name     string
		autodiff bool
		fn       func(x, w *Node) *Node // w [filters, kernel, cin]
		once     bool
	}
	variants := []variant{
		{"im2col", false, func(x, w *Node) *Node { return Conv1DWithWeights(x, w, nil, cfg) }, false},
		{"im2col-autodiff", true, func(x, w *Node) *Node { return Conv1DWithWeights(x, w, nil, cfg) }, false},
		{"sum-of-K", false, func(x, w *Node) *Node {
			var y *Node
			for k := range kernel {
				tap := Reshape(shiftLength(x, k-2, length), batch*length, cin)
				wk := Reshape(Slice(w, AxisRange(), AxisElem(k), AxisRange()), filters, cin)
				p := matMul(tap, wk, true)
				if y == nil {
					y = p
				} else {
					y = Add(y, p)
				}
			}
			return Reshape(y, batch, length, filters)
		}, false},
	}
	x := randTensor32(1, batch, length, cin)
	w := randTensor32(2, filters, kernel, cin)
	r := randTensor32(3, batch, length, filters)
	execs := make([]*Exec, len(variants))
	for i, v := range variants {
		autodiffOnly = v.autodiff
		execs[i] = MustNewExec(be, func(x, w, r *Node) []*Node {
			loss := ReduceAllSum(Mul(v.fn(x, w), r))
			return Gradient(loss, x, w)
		})
		run(execs[i], x, w, r) // compile
		autodiffOnly = false
	}
	best := make([]time.Duration, len(variants))
	for i := range best {
		best[i] = time.Hour
	}
	first := true
	for b.Loop() {
		for i, v := range variants {
			if v.once && !first {
				continue
			}
			start := time.Now()
			run(execs[i], x, w, r)
			best[i] = min(best[i], time.Since(start))
		}
		first = false
	}
	for i, v := range variants {
		b.ReportMetric(float64(best[i].Microseconds())/1e3, v.name+"-ms")
	}
}

func run(e *Exec, args ...any) {
	for _, t := range e.MustExec(args...) {
		t.MustFinalizeAll()
	}
}

func randTensor32(seed uint64, dims ...int) *tensors.Tensor {
	v := tensors.MustCopyFlatData[float64](randTensor(seed, dims...))
	f := make([]float32, len(v))
	for i := range v {
		f[i] = float32(v[i])
	}
	return tensors.FromFlatDataAndDimensions(f, dims...)
}

// shiftLength (for the sum-of-K variant) returns y [batch, outLen, channels] with y[:, t, :] = x[:, t+offset, :]
// where 0 <= t+offset < length and zeros elsewhere. Its gradient is again a shift
// (by -offset, to x's length), so it can be differentiated any number of times,
// unlike Slice, whose gradient is a Pad without a gradient of its own.
func shiftLength(x *Node, offset, outLen int) *Node {
	return shiftBlock(x, 0, x.Shape().Dimensions[2], offset, outLen)
}

// shiftBlock is shiftLength of the channels [c0, c1) of x, in one copy.
func shiftBlock(x *Node, c0, c1, offset, outLen int) *Node {
	dims := x.Shape().Dimensions
	length, channels := dims[1], dims[2]
	if offset == 0 && outLen == length && c0 == 0 && c1 == channels {
		return x
	}
	return withVJP([]*Node{x}, func(in []*Node) *Node {
		x := in[0]
		zeros := func(n int) *Node { return Zeros(x.Graph(), shapes.Make(x.DType(), dims[0], n, c1-c0)) }
		from, to := max(offset, 0), min(offset+outLen, length) // source range
		var parts []*Node
		if lead := min(max(-offset, 0), outLen); lead > 0 {
			parts = append(parts, zeros(lead))
		}
		if to > from {
			parts = append(parts, Slice(x, AxisRange(), AxisRange(from, to), AxisRange(c0, c1)))
		}
		got := 0
		for _, p := range parts {
			got += p.Shape().Dimensions[1]
		}
		if got < outLen {
			parts = append(parts, zeros(outLen-got))
		}
		if len(parts) == 1 {
			return parts[0]
		}
		return Concatenate(parts, 1)
	}, func(v *Node, _ []*Node) []*Node {
		dx := shiftLength(v, -offset, length)
		if c0 == 0 && c1 == channels {
			return []*Node{dx}
		}
		parts := []*Node{dx}
		if c0 > 0 {
			parts = append([]*Node{Zeros(v.Graph(), shapes.Make(v.DType(), dims[0], length, c0))}, parts...)
		}
		if c1 < channels {
			parts = append(parts, Zeros(v.Graph(), shapes.Make(v.DType(), dims[0], length, channels-c1)))
		}
		return []*Node{Concatenate(parts, 2)}
	})
}
