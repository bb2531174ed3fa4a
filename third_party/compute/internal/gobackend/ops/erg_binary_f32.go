// erg patch (see third_party/README.md): faster float32 Add, Sub, Mul and Div.

package ops

import (
	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/internal/gobackend"
	"github.com/gomlx/compute/shapes"
)

// The generated executors loop element by element in plain Go and broadcast any
// non-scalar operand with a generic index iterator. For float32 these executors handle
// equal shapes, a scalar on either side and a "row" operand (dimensions 1 on leading
// axes, equal to the other operand's on the rest, e.g. [1, c] against [n, c]) with
// 8-wide vector loops (AVX2, when built with GOEXPERIMENT=simd) or plain loops, and
// hand everything else to the generated executors. Add, Sub, Mul and Div are exactly
// rounded in both, so the results are the same bit for bit.
func init() {
	for op, generic := range map[compute.OpType]gobackend.NodeExecutor{
		compute.OpTypeAdd: execAdd, compute.OpTypeSub: execSub,
		compute.OpTypeMul: execMul, compute.OpTypeDiv: execDiv,
	} {
		gobackend.SetNodeExecutor(op, gobackend.PriorityTyped, ergBinaryF32(op, generic))
	}
}

// f32Kernel computes out[i] = a[i] op b[i] (len(a) == len(b) == len(out)); aStride or
// bStride 0 means that side is the scalar a[0] or b[0].
type f32Kernel func(op compute.OpType, a, b, out []float32, aScalar, bScalar bool)

// ergF32Kernel is replaced by a vectorised kernel where available.
var ergF32Kernel f32Kernel = f32KernelScalar

func f32KernelScalar(op compute.OpType, a, b, out []float32, aScalar, bScalar bool) {
	n := len(out)
	switch {
	case aScalar:
		c := a[0]
		b = b[:n]
		switch op { //nolint:exhaustive
		case compute.OpTypeAdd:
			for i, v := range b {
				out[i] = c + v
			}
		case compute.OpTypeSub:
			for i, v := range b {
				out[i] = c - v
			}
		case compute.OpTypeMul:
			for i, v := range b {
				out[i] = c * v
			}
		case compute.OpTypeDiv:
			for i, v := range b {
				out[i] = c / v
			}
		}
	case bScalar:
		c := b[0]
		a = a[:n]
		switch op { //nolint:exhaustive
		case compute.OpTypeAdd:
			for i, v := range a {
				out[i] = v + c
			}
		case compute.OpTypeSub:
			for i, v := range a {
				out[i] = v - c
			}
		case compute.OpTypeMul:
			for i, v := range a {
				out[i] = v * c
			}
		case compute.OpTypeDiv:
			for i, v := range a {
				out[i] = v / c
			}
		}
	default:
		a, b = a[:n], b[:n]
		switch op { //nolint:exhaustive
		case compute.OpTypeAdd:
			for i, v := range a {
				out[i] = v + b[i]
			}
		case compute.OpTypeSub:
			for i, v := range a {
				out[i] = v - b[i]
			}
		case compute.OpTypeMul:
			for i, v := range a {
				out[i] = v * b[i]
			}
		case compute.OpTypeDiv:
			for i, v := range a {
				out[i] = v / b[i]
			}
		}
	}
}

// rowOf reports whether row's dimensions are 1 on leading axes and equal to full's
// on the others (so row, flattened, repeats along full), with at least 8 elements.
func rowOf(row, full shapes.Shape) bool {
	if row.Rank() != full.Rank() || row.Size() < 8 || row.Size() >= full.Size() {
		return false
	}
	i := 0
	for i < row.Rank() && row.Dimensions[i] == 1 {
		i++
	}
	for ; i < row.Rank(); i++ {
		if row.Dimensions[i] != full.Dimensions[i] {
			return false
		}
	}
	return true
}

func ergBinaryF32(op compute.OpType, generic gobackend.NodeExecutor) gobackend.NodeExecutor {
	return func(backend *gobackend.Backend, node *gobackend.Node, inputs []*gobackend.Buffer, inputsOwned []bool) (*gobackend.Buffer, error) {
		lhs, rhs := inputs[0], inputs[1]
		if node.Shape.DType != dtypes.Float32 || node.Shape.IsDynamic() || lhs.RawShape.DType != dtypes.Float32 {
			return generic(backend, node, inputs, inputsOwned)
		}
		ls, rs := lhs.RawShape, rhs.RawShape
		const (
			same = iota
			lScalar
			rScalar
			lRow
			rRow
		)
		var kind int
		switch {
		case ls.Equal(rs):
			kind = same
		case rs.Size() == 1:
			kind = rScalar
		case ls.Size() == 1:
			kind = lScalar
		case rowOf(rs, ls):
			kind = rRow
		case rowOf(ls, rs):
			kind = lRow
		default:
			return generic(backend, node, inputs, inputsOwned)
		}
		_, _, output, _, _ := binaryOperandsAndOutputForExecution(backend, node, inputs, inputsOwned, node.Shape)
		a, b, out := lhs.Flat.([]float32), rhs.Flat.([]float32), output.Flat.([]float32)
		switch kind {
		case same:
			ergF32Kernel(op, a, b, out, false, false)
		case rScalar:
			ergF32Kernel(op, a, b, out, false, true)
		case lScalar:
			ergF32Kernel(op, a, b, out, true, false)
		case rRow:
			c := len(b)
			for i := 0; i < len(out); i += c {
				ergF32Kernel(op, a[i:i+c], b, out[i:i+c], false, false)
			}
		case lRow:
			c := len(a)
			for i := 0; i < len(out); i += c {
				ergF32Kernel(op, a, b[i:i+c], out[i:i+c], false, false)
			}
		}
		return output, nil
	}
}
