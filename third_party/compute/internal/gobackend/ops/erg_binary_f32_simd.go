// erg patch (see third_party/README.md): AVX2 kernels for erg_binary_f32.go.

//go:build amd64 && goexperiment.simd

package ops

import (
	"simd/archsimd"

	"github.com/gomlx/compute"
)

func init() {
	if archsimd.X86.AVX2() {
		ergF32Kernel = f32KernelAVX2
	}
}

type f32VecOp interface {
	vec(a, b archsimd.Float32x8) archsimd.Float32x8
	sca(a, b float32) float32
}

type (
	f32Add struct{}
	f32Sub struct{}
	f32Mul struct{}
	f32Div struct{}
)

func (f32Add) vec(a, b archsimd.Float32x8) archsimd.Float32x8 { return a.Add(b) }
func (f32Add) sca(a, b float32) float32                       { return a + b }
func (f32Sub) vec(a, b archsimd.Float32x8) archsimd.Float32x8 { return a.Sub(b) }
func (f32Sub) sca(a, b float32) float32                       { return a - b }
func (f32Mul) vec(a, b archsimd.Float32x8) archsimd.Float32x8 { return a.Mul(b) }
func (f32Mul) sca(a, b float32) float32                       { return a * b }
func (f32Div) vec(a, b archsimd.Float32x8) archsimd.Float32x8 { return a.Div(b) }
func (f32Div) sca(a, b float32) float32                       { return a / b }

func f32KernelAVX2(op compute.OpType, a, b, out []float32, aScalar, bScalar bool) {
	switch op { //nolint:exhaustive
	case compute.OpTypeAdd:
		f32Run[f32Add](a, b, out, aScalar, bScalar)
	case compute.OpTypeSub:
		f32Run[f32Sub](a, b, out, aScalar, bScalar)
	case compute.OpTypeMul:
		f32Run[f32Mul](a, b, out, aScalar, bScalar)
	case compute.OpTypeDiv:
		f32Run[f32Div](a, b, out, aScalar, bScalar)
	default:
		f32KernelScalar(op, a, b, out, aScalar, bScalar)
	}
}

func f32Run[O f32VecOp](a, b, out []float32, aScalar, bScalar bool) {
	var o O
	n := len(out)
	i := 0
	switch {
	case aScalar:
		c := a[0]
		cv := archsimd.BroadcastFloat32x8(c)
		b = b[:n]
		for ; i+8 <= n; i += 8 {
			o.vec(cv, archsimd.LoadFloat32x8Slice(b[i:i+8])).StoreSlice(out[i : i+8])
		}
		for ; i < n; i++ {
			out[i] = o.sca(c, b[i])
		}
	case bScalar:
		c := b[0]
		cv := archsimd.BroadcastFloat32x8(c)
		a = a[:n]
		for ; i+8 <= n; i += 8 {
			o.vec(archsimd.LoadFloat32x8Slice(a[i:i+8]), cv).StoreSlice(out[i : i+8])
		}
		for ; i < n; i++ {
			out[i] = o.sca(a[i], c)
		}
	default:
		a, b = a[:n], b[:n]
		for ; i+8 <= n; i += 8 {
			o.vec(archsimd.LoadFloat32x8Slice(a[i:i+8]), archsimd.LoadFloat32x8Slice(b[i:i+8])).StoreSlice(out[i : i+8])
		}
		for ; i < n; i++ {
			out[i] = o.sca(a[i], b[i])
		}
	}
}
