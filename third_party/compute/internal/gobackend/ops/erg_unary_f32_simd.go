// erg patch (see third_party/README.md): AVX2 kernels for erg_unary_f32.go.

//go:build amd64 && goexperiment.simd

package ops

import (
	"simd/archsimd"

	"github.com/gomlx/compute/internal/gobackend"
)

func init() {
	if archsimd.X86.AVX2() && archsimd.X86.FMA() {
		ergExpF32Kernel = ergExpF32AVX2
		ergLogF32Kernel = ergLogF32AVX2
		ergLogisticF32Kernel = ergLogisticF32AVX2
	}
}

// ergExpF32AVX2 computes e^x 8 lanes at a time with Cephes's expf (S. L. Moshier):
// x = n·ln2 + g, |g| ≤ ln2/2, e^g by a degree-7 polynomial, 2^n from the exponent
// bits; at most 2 float32 ulps from the correctly rounded value. Groups of 8 with any
// argument outside [−87, 88] (underflow to subnormals, overflow, ±Inf, NaN) and the
// tail go through the scalar ergExp.
func ergExpF32AVX2(in, out []float32) {
	out = out[:len(in)]
	lo, hi := archsimd.BroadcastFloat32x8(-87), archsimd.BroadcastFloat32x8(88)
	i := 0
	for ; i+8 <= len(in); i += 8 {
		x := archsimd.LoadFloat32x8Slice(in[i : i+8])
		if x.GreaterEqual(lo).And(x.LessEqual(hi)).ToBits() != 0xff {
			gobackend.ErgVZeroUpper()
			for j := i; j < i+8; j++ {
				out[j] = float32(ergExp(float64(in[j])))
			}
			continue
		}
		ergExp8(x).StoreSlice(out[i : i+8])
	}
	gobackend.ErgVZeroUpper()
	for ; i < len(in); i++ {
		out[i] = float32(ergExp(float64(in[i])))
	}
}

// ergExp8 is e^x for 8 arguments in [−87, 88] (Cephes expf, see ergExpF32AVX2).
func ergExp8(x archsimd.Float32x8) archsimd.Float32x8 {
	z := x.Mul(archsimd.BroadcastFloat32x8(1.44269504088896341)).RoundToEven() // n = round(x/ln 2)
	g := z.MulAdd(archsimd.BroadcastFloat32x8(-0.693359375), x)                // x − n·ln2Hi (exact)
	g = z.MulAdd(archsimd.BroadcastFloat32x8(2.12194440e-4), g)                // − n·ln2Lo
	p := archsimd.BroadcastFloat32x8(1.9875691500e-4).MulAdd(g, archsimd.BroadcastFloat32x8(1.3981999507e-3))
	p = p.MulAdd(g, archsimd.BroadcastFloat32x8(8.3334519073e-3))
	p = p.MulAdd(g, archsimd.BroadcastFloat32x8(4.1665795894e-2))
	p = p.MulAdd(g, archsimd.BroadcastFloat32x8(1.6666665459e-1))
	p = p.MulAdd(g, archsimd.BroadcastFloat32x8(5.0000001201e-1))
	y := p.MulAdd(g.Mul(g), g).Add(archsimd.BroadcastFloat32x8(1))
	scale := z.ConvertToInt32().Add(archsimd.BroadcastInt32x8(127)).ShiftAllLeft(23).AsFloat32x8() // 2^n
	return y.Mul(scale)
}

// ergLogF32AVX2 computes log(x) 8 lanes at a time with Cephes's logf: x = m·2^e,
// m in [√½, √2), log(m) by a degree-9 polynomial in m − 1; at most 2 float32 ulps from
// the correctly rounded value. Groups of 8 with any argument that is not a positive
// normal finite float32 (0, negative, subnormal, Inf, NaN) and the tail go through
// the scalar ergLog.
func ergLogF32AVX2(in, out []float32) {
	out = out[:len(in)]
	var (
		minNorm  = archsimd.BroadcastFloat32x8(1.17549435e-38)
		maxFin   = archsimd.BroadcastFloat32x8(3.40282347e+38)
		mantMask = archsimd.BroadcastInt32x8(0x007fffff)
		half     = archsimd.BroadcastInt32x8(0x3f000000)
		e126     = archsimd.BroadcastInt32x8(126)
		sqrtHalf = archsimd.BroadcastFloat32x8(0.707106781186547524)
		one      = archsimd.BroadcastFloat32x8(1)
		oneI     = archsimd.BroadcastFloat32x8(1)
		zeroF    = archsimd.BroadcastFloat32x8(0)
		q1       = archsimd.BroadcastFloat32x8(-2.12194440e-4)
		q2       = archsimd.BroadcastFloat32x8(0.693359375)
		mhalf    = archsimd.BroadcastFloat32x8(-0.5)
		l9       = archsimd.BroadcastFloat32x8(7.0376836292e-2)
		l8       = archsimd.BroadcastFloat32x8(-1.1514610310e-1)
		l7       = archsimd.BroadcastFloat32x8(1.1676998740e-1)
		l6       = archsimd.BroadcastFloat32x8(-1.2420140846e-1)
		l5       = archsimd.BroadcastFloat32x8(1.4249322787e-1)
		l4       = archsimd.BroadcastFloat32x8(-1.6668057665e-1)
		l3       = archsimd.BroadcastFloat32x8(2.0000714765e-1)
		l2       = archsimd.BroadcastFloat32x8(-2.4999993993e-1)
		l1       = archsimd.BroadcastFloat32x8(3.3333331174e-1)
	)
	i := 0
	for ; i+8 <= len(in); i += 8 {
		x := archsimd.LoadFloat32x8Slice(in[i : i+8])
		if x.GreaterEqual(minNorm).And(x.LessEqual(maxFin)).ToBits() != 0xff {
			gobackend.ErgVZeroUpper()
			for j := i; j < i+8; j++ {
				out[j] = float32(ergLog(float64(in[j])))
			}
			continue
		}
		bits := x.AsInt32x8()
		e := bits.ShiftAllRight(23).Sub(e126).ConvertToFloat32() // x = m·2^e, m in [0.5, 1)
		m := bits.And(mantMask).Or(half).AsFloat32x8()
		small := m.Less(sqrtHalf)
		// m < √½: e −= 1, m = 2m − 1; else m = m − 1.
		e = e.Sub(oneI.Merge(zeroF, small))
		m = m.Add(m.Masked(small)).Sub(one)
		z := m.Mul(m)
		p := l9.MulAdd(m, l8)
		p = p.MulAdd(m, l7)
		p = p.MulAdd(m, l6)
		p = p.MulAdd(m, l5)
		p = p.MulAdd(m, l4)
		p = p.MulAdd(m, l3)
		p = p.MulAdd(m, l2)
		p = p.MulAdd(m, l1)
		y := p.Mul(m).Mul(z)
		y = e.MulAdd(q1, y)
		y = z.MulAdd(mhalf, y)
		r := m.Add(y)
		e.MulAdd(q2, r).StoreSlice(out[i : i+8])
	}
	gobackend.ErgVZeroUpper()
	for ; i < len(in); i++ {
		out[i] = float32(ergLog(float64(in[i])))
	}
}

// ergLogisticF32AVX2 is ergLogisticF32 8 lanes at a time: e = e^−|x| by the same
// polynomial as ergExpF32AVX2, then [1 or e]/(1 + e). Groups with |x| > 87 or NaN
// and the tail take the scalar path.
func ergLogisticF32AVX2(in, out []float32) {
	out = out[:len(in)]
	lo, zero, one := archsimd.BroadcastFloat32x8(-87), archsimd.BroadcastFloat32x8(0), archsimd.BroadcastFloat32x8(1)
	i := 0
	for ; i+8 <= len(in); i += 8 {
		x := archsimd.LoadFloat32x8Slice(in[i : i+8])
		a := x.Min(zero.Sub(x)) // −|x|
		if a.GreaterEqual(lo).ToBits() != 0xff {
			gobackend.ErgVZeroUpper()
			ergLogisticF32(in[i:i+8], out[i:i+8])
			continue
		}
		e := ergExp8(a)
		num := one.Merge(e, x.GreaterEqual(zero)) // 1 where x ≥ 0, else e
		num.Div(one.Add(e)).StoreSlice(out[i : i+8])
	}
	gobackend.ErgVZeroUpper()
	if i < len(in) {
		ergLogisticF32(in[i:], out[i:])
	}
}
