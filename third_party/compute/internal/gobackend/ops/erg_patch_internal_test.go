// Tests of the erg patches (see third_party/README.md) against direct index arithmetic.

package ops

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/internal/gobackend"
	"github.com/gomlx/compute/shapes"
)

func TestErgSliceContiguous(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 300 {
		rank := 1 + rng.IntN(4)
		dims := make([]int, rank)
		for i := range dims {
			dims[i] = 1 + rng.IntN(6)
		}
		starts, limits, strides := make([]int, rank), make([]int, rank), make([]int, rank)
		outDims := make([]int, rank)
		for i := range dims {
			starts[i] = rng.IntN(dims[i])
			limits[i] = starts[i] + 1 + rng.IntN(dims[i]-starts[i])
			strides[i] = 1 + rng.IntN(2)
			if i == rank-1 || rng.IntN(2) == 0 {
				strides[i] = 1
			}
			if rng.IntN(3) == 0 { // whole axes, so that runs merge
				starts[i], limits[i], strides[i] = 0, dims[i], 1
			}
			outDims[i] = (limits[i] - starts[i] + strides[i] - 1) / strides[i]
		}
		in := shapes.Make(dtypes.Float32, dims...)
		src := make([]float32, in.Size())
		for i := range src {
			src[i] = float32(i)
		}
		out := shapes.Make(dtypes.Float32, outDims...)
		got := make([]float32, out.Size())
		params := &sliceNode{starts: starts, limits: limits, strides: strides}
		inStrides := in.Strides()
		start := 0
		for i := range starts {
			start += starts[i] * inStrides[i]
		}
		sliceContiguous(src, got, dims, outDims, inStrides, params, start)
		// Reference: each output coordinate maps to start + sum(idx*stride*inStride).
		idx := make([]int, rank)
		for o := range got {
			rem := o
			for a := rank - 1; a >= 0; a-- {
				idx[a] = rem % outDims[a]
				rem /= outDims[a]
			}
			p := 0
			for a := range idx {
				p += (starts[a] + idx[a]*strides[a]) * inStrides[a]
			}
			if got[o] != src[p] {
				t.Fatalf("trial %d: slice of %v starts %v strides %v: out[%d] = %v, want %v", trial, dims, starts, strides, o, got[o], src[p])
			}
		}
	}
}

func TestErgTranspose2D(t *testing.T) {
	for _, rc := range [][2]int{{1, 1}, {1, 7}, {7, 1}, {31, 33}, {64, 32}, {750, 256}, {5, 100}} {
		r, c := rc[0], rc[1]
		in := make([]float64, r*c)
		for i := range in {
			in[i] = float64(i)
		}
		out := make([]float64, r*c)
		transpose2D(in, out, r, c)
		for i := range r {
			for j := range c {
				if out[j*r+i] != in[i*c+j] {
					t.Fatalf("%dx%d: out[%d,%d] = %v, want %v", r, c, j, i, out[j*r+i], in[i*c+j])
				}
			}
		}
	}
}

func TestErgPrefixBroadcast(t *testing.T) {
	for _, tc := range []struct {
		dims, out []int
		want      bool
	}{
		{[]int{1, 4}, []int{3, 4}, true},
		{[]int{1, 1, 4}, []int{2, 3, 4}, true},
		{[]int{2, 4}, []int{2, 4}, true},
		{[]int{3, 1}, []int{3, 4}, false},
		{[]int{1, 3, 1}, []int{2, 3, 4}, false},
		{[]int{1, 1, 4}, []int{2, 1, 4}, true},
		{[]int{2, 1, 4}, []int{2, 3, 4}, false},
	} {
		if got := isPrefixBroadcast(tc.dims, tc.out); got != tc.want {
			t.Errorf("isPrefixBroadcast(%v, %v) = %v, want %v", tc.dims, tc.out, got, tc.want)
		}
	}
}

func TestErgRowOf(t *testing.T) {
	mk := func(d ...int) shapes.Shape { return shapes.Make(dtypes.Float32, d...) }
	for _, tc := range []struct {
		row, full shapes.Shape
		want      bool
	}{
		{mk(1, 16), mk(5, 16), true},
		{mk(1, 2, 8), mk(5, 2, 8), true},
		{mk(1, 4), mk(5, 4), false}, // fewer than 8 elements
		{mk(16, 1), mk(16, 5), false},
		{mk(16), mk(5, 16), false}, // ranks differ
		{mk(5, 16), mk(5, 16), false},
	} {
		if got := rowOf(tc.row, tc.full); got != tc.want {
			t.Errorf("rowOf(%s, %s) = %v, want %v", tc.row, tc.full, got, tc.want)
		}
	}
}

// TestErgF32Kernel checks the installed kernel (vectorised with AVX2) against plain
// float32 arithmetic, bit for bit.
func TestErgF32Kernel(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, op := range []compute.OpType{compute.OpTypeAdd, compute.OpTypeSub, compute.OpTypeMul, compute.OpTypeDiv} {
		for _, n := range []int{1, 7, 8, 9, 31, 100} {
			a, b := make([]float32, n), make([]float32, n)
			for i := range a {
				a[i], b[i] = float32(rng.NormFloat64()), float32(rng.NormFloat64())
			}
			ref := func(x, y float32) float32 {
				switch op { //nolint:exhaustive
				case compute.OpTypeAdd:
					return x + y
				case compute.OpTypeSub:
					return x - y
				case compute.OpTypeMul:
					return x * y
				}
				return x / y
			}
			for _, mode := range []string{"same", "aScalar", "bScalar"} {
				got := make([]float32, n)
				ergF32Kernel(op, a, b, got, mode == "aScalar", mode == "bScalar")
				for i := range got {
					x, y := a[i], b[i]
					if mode == "aScalar" {
						x = a[0]
					}
					if mode == "bScalar" {
						y = b[0]
					}
					if want := ref(x, y); got[i] != want {
						t.Fatalf("%s %s n=%d: out[%d] = %v, want %v", op, mode, n, i, got[i], want)
					}
				}
			}
		}
	}
}

// TestErgExpLogF32 compares the float32 Exp and Log kernels with math.Exp and math.Log
// rounded to float32. The scalar kernels are equal to them; the vectorised ones (AVX2)
// within 2 float32 ulps, with special values (0, ±Inf, NaN, negative, subnormal,
// overflow) exactly those of math.
func TestErgExpLogF32(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	n := 200000
	in := make([]float32, n)
	for i := range in {
		switch i % 4 {
		case 0:
			in[i] = float32(rng.NormFloat64() * 30)
		case 1:
			in[i] = float32(math.Exp(rng.Float64()*170 - 85))
		case 2:
			in[i] = float32(rng.Float64()*2 - 1)
		default:
			in[i] = math.Float32frombits(rng.Uint32())
		}
	}
	in = append(in, 0, float32(math.Copysign(0, -1)), 1, -1, float32(math.Inf(1)), float32(math.Inf(-1)),
		float32(math.NaN()), 88.7, 88.8, -103, -104, -87.3, math.SmallestNonzeroFloat32, math.MaxFloat32)
	out := make([]float32, len(in))
	for _, c := range []struct {
		name    string
		kernel  func(in, out []float32)
		ref     func(float64) float64
		maxUlps int64
	}{
		{"exp scalar", ergExpF32, math.Exp, 0}, {"log scalar", ergLogF32, math.Log, 0},
		{"exp", ergExpF32Kernel, math.Exp, 2}, {"log", ergLogF32Kernel, math.Log, 2},
	} {
		c.kernel(in, out)
		worst := int64(0)
		for i, x := range in {
			want := float32(c.ref(float64(x)))
			got := out[i]
			if got == want || (got != got && want != want) {
				continue
			}
			ulps := int64(math.Float32bits(got)) - int64(math.Float32bits(want))
			if ulps < 0 {
				ulps = -ulps
			}
			const minNormal = 1.1754944e-38
			special := x != x || math.IsInf(float64(x), 0) || want == 0 || math.IsInf(float64(want), 0) ||
				math.Abs(float64(want)) < minNormal || // exp's subnormal results
				(c.name[:3] == "log" && (x <= 0 || x < minNormal))
			if special || ulps > c.maxUlps || math.Signbit(float64(got)) != math.Signbit(float64(want)) {
				t.Fatalf("%s(%g) = %g, math gives %g (%d ulps)", c.name, x, got, want, ulps)
			}
			worst = max(worst, ulps)
		}
		t.Logf("%s: worst %d ulps from math's", c.name, worst)
	}
}

// TestErgReduce compares the trailing/leading-axes reductions with the generic
// iterator-based ones, bit for bit, on random shapes and axes (and NaN).
func TestErgReduce(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	ops := []compute.OpType{compute.OpTypeReduceSum, compute.OpTypeReduceMax, compute.OpTypeReduceMin}
	fast := 0
	for trial := range 600 {
		rank := 1 + rng.IntN(4)
		dims := make([]int, rank)
		size := 1
		for i := range dims {
			dims[i] = 1 + rng.IntN(5)
			size *= dims[i]
		}
		var axes []int
		for a := range rank {
			if rng.IntN(2) == 0 {
				axes = append(axes, a)
			}
		}
		if len(axes) == 0 {
			continue
		}
		outSize := size
		for _, a := range axes {
			outSize /= dims[a]
		}
		in := make([]float32, size)
		for i := range in {
			in[i] = float32(rng.NormFloat64())
			if trial%50 == 0 && i == 0 {
				in[i] = float32(math.NaN())
			}
		}
		op := ops[trial%3]
		got := make([]float32, outSize)
		if !ergReduce(op, dims, axes, in, got) {
			continue
		}
		fast++
		want := make([]float32, outSize)
		operand := &gobackend.Buffer{Flat: in}
		output := &gobackend.Buffer{Flat: want}
		it := NewReduceOutputIterator(dims, axes)
		var err error
		switch op { //nolint:exhaustive
		case compute.OpTypeReduceSum:
			err = execReduceSumGeneric[float32](operand, output, it, dtypes.Float32)
		case compute.OpTypeReduceMax:
			err = execReduceMaxGeneric[float32](operand, output, it, dtypes.Float32)
		case compute.OpTypeReduceMin:
			err = execReduceMinGeneric[float32](operand, output, it, dtypes.Float32)
		}
		if err != nil {
			t.Fatal(err)
		}
		for i := range want {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) && !(got[i] != got[i] && want[i] != want[i]) {
				t.Fatalf("%s dims %v axes %v: element %d = %g, generic %g", op, dims, axes, i, got[i], want[i])
			}
		}
	}
	if fast < 200 {
		t.Errorf("only %d trials took the fast path", fast)
	}
}

// TestErgLogisticF32 compares the float32 logistic kernel with the generated
// executor's float64 formulas rounded to float32: within 3 ulps for normal results,
// the same for 0, 1, NaN and subnormal results within 1e-38 absolute; and in place.
func TestErgLogisticF32(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	in := make([]float32, 100000)
	for i := range in {
		switch i % 3 {
		case 0:
			in[i] = float32(rng.NormFloat64() * 5)
		case 1:
			in[i] = float32(rng.NormFloat64() * 60)
		default:
			in[i] = math.Float32frombits(rng.Uint32())
		}
	}
	in = append(in, 0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()), -88, -100, -104, 17, 89)
	want := make([]float32, len(in))
	execLogisticGeneric(in, want)
	for _, kernel := range []func(in, out []float32){ergLogisticF32, ergLogisticF32Kernel} {
		got := append([]float32(nil), in...)
		kernel(got, got) // in place
		for i, x := range in {
			w, g := want[i], got[i]
			if w == g || (w != w && g != g) {
				continue
			}
			if math.Abs(float64(w)) < 1.1754944e-38 {
				if math.Abs(float64(g-w)) > 1e-38 {
					t.Fatalf("logistic(%g) = %g, want %g", x, g, w)
				}
				continue
			}
			ulps := int64(math.Float32bits(g)) - int64(math.Float32bits(w))
			if ulps < -3 || ulps > 3 {
				t.Fatalf("logistic(%g) = %g, want %g (%d ulps)", x, g, w, ulps)
			}
		}
	}
}
