// erg patch (see third_party/README.md): float32 Exp and Log without math's amd64
// assembly.

package ops

import (
	"math"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/internal/gobackend"
)

// The generated executors call math.Exp and math.Log, whose amd64 assembly (legacy SSE
// encodings) ran at 35–40 ns per element inside the backend here (13 ns in a plain
// loop): after the vectorised kernels leave the upper halves of the YMM registers
// dirty, each SSE instruction pays a state transition. For float32 these executors use
// pure-Go ports of the portable float64 algorithms of Go's math package (FreeBSD's
// msun: exp with a degree-5 Remez polynomial, log with a degree-7 one), accurate to
// about 1 ulp in float64 and so correctly rounded to float32 but for rare ties of
// double rounding. Float64 and the half-precision types keep the generated executors.
func init() {
	gobackend.SetNodeExecutor(compute.OpTypeExp, gobackend.PriorityTyped, ergUnaryF32(execExp, func(in, out []float32) { ergExpF32Kernel(in, out) }))
	gobackend.SetNodeExecutor(compute.OpTypeLog, gobackend.PriorityTyped, ergUnaryF32(execLog, func(in, out []float32) { ergLogF32Kernel(in, out) }))
	gobackend.SetNodeExecutor(compute.OpTypeLogistic, gobackend.PriorityTyped, ergUnaryF32(execLogistic, func(in, out []float32) { ergLogisticF32Kernel(in, out) }))
}

// ergLogisticF32 is σ(x) = 1/(1 + e^−x) for x ≥ 0 and e^x/(1 + e^x) otherwise (the
// generated executor's formulas), with e^−|x| from the Exp kernel and the rest in
// float32. in and out may be the same slice.
func ergLogisticF32(in, out []float32) {
	out = out[:len(in)]
	var buf [256]float32
	for start := 0; start < len(in); start += len(buf) {
		m := min(len(buf), len(in)-start)
		e := buf[:m]
		for j := range e {
			v := in[start+j]
			if v > 0 {
				v = -v
			}
			e[j] = v
		}
		ergExpF32Kernel(e, e)
		gobackend.ErgVZeroUpper() // the scalar float32 code below after AVX code
		for j, ej := range e {
			if in[start+j] >= 0 {
				out[start+j] = 1 / (1 + ej)
			} else {
				out[start+j] = ej / (1 + ej)
			}
		}
	}
}

// The kernels, replaced by vectorised ones where available (erg_unary_f32_simd.go).
var (
	ergExpF32Kernel      = ergExpF32
	ergLogF32Kernel      = ergLogF32
	ergLogisticF32Kernel = ergLogisticF32
)

func ergUnaryF32(generic gobackend.NodeExecutor, kernel func(in, out []float32)) gobackend.NodeExecutor {
	return func(backend *gobackend.Backend, node *gobackend.Node, inputs []*gobackend.Buffer, inputsOwned []bool) (*gobackend.Buffer, error) {
		if inputs[0].RawShape.DType != dtypes.Float32 {
			return generic(backend, node, inputs, inputsOwned)
		}
		input, output, err := unaryOperandAndOutput(backend, inputs, inputsOwned)
		if err != nil {
			return nil, err
		}
		kernel(input.Flat.([]float32), output.Flat.([]float32))
		return output, nil
	}
}

func ergExpF32(in, out []float32) {
	out = out[:len(in)]
	for i, v := range in {
		out[i] = float32(ergExp(float64(v)))
	}
}

func ergLogF32(in, out []float32) {
	out = out[:len(in)]
	for i, v := range in {
		out[i] = float32(ergLog(float64(v)))
	}
}

// ergExp is Go's portable math.exp (src/math/exp.go, from FreeBSD's e_exp.c), for
// arguments that come from float32 (so never subnormal).
func ergExp(x float64) float64 {
	const (
		ln2Hi     = 6.93147180369123816490e-01
		ln2Lo     = 1.90821492927058770002e-10
		log2e     = 1.44269504088896338700e+00
		overflow  = 7.09782712893383973096e+02
		underflow = -7.45133219101941108420e+02
		nearZero  = 1.0 / (1 << 28)

		p1 = 1.66666666666666657415e-01
		p2 = -2.77777777770155933842e-03
		p3 = 6.61375632143793436117e-05
		p4 = -1.65339022054652515390e-06
		p5 = 4.13813679705723846039e-08
	)
	switch {
	case x != x || x > overflow: // NaN, +Inf, overflow
		if x != x {
			return x
		}
		return math.Inf(1)
	case x < underflow:
		return 0
	case -nearZero < x && x < nearZero:
		return 1 + x
	}
	var k int
	if x < 0 {
		k = int(log2e*x - 0.5)
	} else {
		k = int(log2e*x + 0.5)
	}
	hi := x - float64(k)*ln2Hi
	lo := float64(k) * ln2Lo
	r := hi - lo
	t := r * r
	c := r - t*(p1+t*(p2+t*(p3+t*(p4+t*p5))))
	y := 1 - ((lo - (r*c)/(2-c)) - hi)
	return math.Ldexp(y, k)
}

// ergLog is Go's portable math.log (src/math/log.go, from FreeBSD's e_log.c), for
// arguments that come from float32 (so never subnormal as float64).
func ergLog(x float64) float64 {
	const (
		ln2Hi = 6.93147180369123816490e-01
		ln2Lo = 1.90821492927058770002e-10
		l1    = 6.666666666666735130e-01
		l2    = 3.999999999940941908e-01
		l3    = 2.857142874366239149e-01
		l4    = 2.222219843214978396e-01
		l5    = 1.818357216161805012e-01
		l6    = 1.531383769920937332e-01
		l7    = 1.479819860511658591e-01
	)
	switch {
	case x != x || x > math.MaxFloat64:
		return x
	case x < 0:
		return math.NaN()
	case x == 0:
		return math.Inf(-1)
	}
	// Frexp for normal numbers: x = f1·2^ki with f1 in [0.5, 1).
	bits := math.Float64bits(x)
	ki := int((bits>>52)&0x7ff) - 1022
	f1 := math.Float64frombits(bits&^(0x7ff<<52) | 1022<<52)
	if f1 < math.Sqrt2/2 {
		f1 *= 2
		ki--
	}
	f := f1 - 1
	k := float64(ki)
	s := f / (2 + f)
	s2 := s * s
	s4 := s2 * s2
	t1 := s2 * (l1 + s4*(l3+s4*(l5+s4*l7)))
	t2 := s4 * (l2 + s4*(l4+s4*l6))
	R := t1 + t2
	hfsq := 0.5 * f * f
	return k*ln2Hi - ((hfsq - (s*(hfsq+R) + k*ln2Lo)) - f)
}
