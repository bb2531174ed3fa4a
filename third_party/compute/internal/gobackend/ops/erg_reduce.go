// erg patch (see third_party/README.md): reductions over trailing or leading axes.

package ops

import (
	"math"

	"github.com/gomlx/compute"
)

// ergReduce computes ReduceSum, ReduceMax and ReduceMin of float32 and float64
// operands whose reduced axes are the trailing ones (each output element reduces one
// contiguous run) or the leading ones (the output accumulates whole rows), with plain
// loops instead of the generic per-element index iterator. The operations happen in
// the same order as the iterator's, so results are the same bit for bit. It reports
// false for anything else.
func ergReduce(op compute.OpType, dims, axes []int, in, out any) bool {
	switch op { //nolint:exhaustive
	case compute.OpTypeReduceSum, compute.OpTypeReduceMax, compute.OpTypeReduceMin:
	default:
		return false
	}
	rank := len(dims)
	reduced := make([]bool, rank)
	for _, a := range axes {
		if a < 0 || a >= rank || reduced[a] {
			return false
		}
		reduced[a] = true
	}
	k := len(axes)
	trailing, leading := true, true
	for a := range rank {
		if reduced[a] != (a >= rank-k) {
			trailing = false
		}
		if reduced[a] != (a < k) {
			leading = false
		}
	}
	if !trailing && !leading {
		return false
	}
	size := 1
	for _, d := range dims {
		size *= d
	}
	red := 1
	for _, a := range axes {
		red *= dims[a]
	}
	if size == 0 || red == 0 {
		return false
	}
	switch in := in.(type) {
	case []float32:
		ergReduceT(op, trailing, red, in, out.([]float32))
	case []float64:
		ergReduceT(op, trailing, red, in, out.([]float64))
	default:
		return false
	}
	return true
}

func ergReduceT[T float32 | float64](op compute.OpType, trailing bool, red int, in, out []T) {
	if trailing {
		for o := range out {
			row := in[o*red : (o+1)*red]
			var acc T
			switch op { //nolint:exhaustive
			case compute.OpTypeReduceSum:
				for _, v := range row {
					acc += v
				}
			case compute.OpTypeReduceMax:
				// The iterator starts from the lowest value, max(lowest, v) == v.
				acc = ergLowest[T]()
				for _, v := range row {
					acc = max(acc, v)
				}
			case compute.OpTypeReduceMin:
				acc = ergHighest[T]()
				for _, v := range row {
					acc = min(acc, v)
				}
			}
			out[o] = acc
		}
		return
	}
	inner := len(out)
	switch op { //nolint:exhaustive
	case compute.OpTypeReduceSum:
		clear(out)
	case compute.OpTypeReduceMax:
		for i := range out {
			out[i] = ergLowest[T]()
		}
	case compute.OpTypeReduceMin:
		for i := range out {
			out[i] = ergHighest[T]()
		}
	}
	for r := range red {
		row := in[r*inner : (r+1)*inner]
		switch op { //nolint:exhaustive
		case compute.OpTypeReduceSum:
			for i, v := range row {
				out[i] += v
			}
		case compute.OpTypeReduceMax:
			for i, v := range row {
				out[i] = max(out[i], v)
			}
		case compute.OpTypeReduceMin:
			for i, v := range row {
				out[i] = min(out[i], v)
			}
		}
	}
}

func ergLowest[T float32 | float64]() T  { return T(math.Inf(-1)) }
func ergHighest[T float32 | float64]() T { return T(math.Inf(1)) }
