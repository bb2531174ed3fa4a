package nn

import (
	"math"
	"testing"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// TestGeometry checks output lengths and paddings against the formulas of Keras /
// TensorFlow (Same: ceil(L/s), extra padding on the right) and PyTorch (Valid).
func TestGeometry(t *testing.T) {
	for _, c := range []struct {
		cfg                  Conv1DConfig
		in, out, left, right int
	}{
		{Conv1DConfig{Filters: 1, Kernel: 3}, 10, 10, 1, 1},
		{Conv1DConfig{Filters: 1, Kernel: 8}, 150, 150, 3, 4},
		{Conv1DConfig{Filters: 1, Kernel: 4, Dilation: 2}, 9, 9, 3, 3},
		{Conv1DConfig{Filters: 1, Kernel: 5, Stride: 2}, 11, 6, 2, 2},
		{Conv1DConfig{Filters: 1, Kernel: 3, Stride: 2, Padding: Valid}, 10, 4, 0, 0},
		{Conv1DConfig{Filters: 1, Kernel: 3, Dilation: 2, Padding: Causal}, 8, 8, 4, 0},
		{Conv1DConfig{Filters: 1, Kernel: 3, Stride: 3, Padding: Causal}, 8, 3, 2, 0},
	} {
		out, l, r := c.cfg.Geometry(c.in)
		if out != c.out || l != c.left || r != c.right {
			t.Errorf("%+v on %d: got (%d, %d, %d), want (%d, %d, %d)", c.cfg, c.in, out, l, r, c.out, c.left, c.right)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("Geometry accepted an input shorter than a Valid kernel")
		}
	}()
	Conv1DConfig{Filters: 1, Kernel: 5, Padding: Valid}.Geometry(3)
}

// TestDropout checks the zero fraction, the 1/(1-rate) scaling and the gradient
// (the same mask), and that inference mode is the identity.
func TestDropout(t *testing.T) {
	const rate, n = 0.3, 20000
	store := newStore(t)
	exec := model.MustNewExec(testBackend(), store, func(s *model.Scope, x *Node) []*Node {
		y := Dropout(s, x, rate, true)
		return []*Node{y, Gradient(ReduceAllSum(Mul(y, x)), x)[0], Dropout(s, x, rate, false)}
	})
	x := make([]float64, n)
	for i := range x {
		x[i] = 1 + float64(i%7)
	}
	out := exec.MustExec(x)
	y := tensors.MustCopyFlatData[float64](out[0])
	dx := tensors.MustCopyFlatData[float64](out[1])
	id := tensors.MustCopyFlatData[float64](out[2])
	zeros := 0
	for i := range y {
		switch {
		case y[i] == 0:
			zeros++
			if dx[i] != 0 {
				t.Fatalf("dropped element %d has gradient %g", i, dx[i])
			}
		case math.Abs(y[i]-x[i]/(1-rate)) > 1e-12:
			t.Fatalf("kept element %d: got %g, want %g", i, y[i], x[i]/(1-rate))
		case math.Abs(dx[i]-2*x[i]/(1-rate)) > 1e-12:
			t.Fatalf("kept element %d: gradient %g, want %g", i, dx[i], 2*x[i]/(1-rate))
		}
		if id[i] != x[i] {
			t.Fatalf("inference dropout changed element %d", i)
		}
	}
	// Binomial(n, 0.3): standard deviation sqrt(n p (1-p)) ≈ 65; allow 5 of them.
	if got := float64(zeros); math.Abs(got-rate*n) > 5*math.Sqrt(n*rate*(1-rate)) {
		t.Errorf("dropped %d of %d, want about %g", zeros, n, rate*n)
	}
	// A second execution draws a different mask.
	y2 := tensors.MustCopyFlatData[float64](exec.MustExec(x)[0])
	same := 0
	for i := range y {
		if (y[i] == 0) == (y2[i] == 0) {
			same++
		}
	}
	if same == n {
		t.Error("two executions dropped the same elements")
	}
}

// TestGlobalAvgPool1DMask compares the masked average with a direct computation.
func TestGlobalAvgPool1DMask(t *testing.T) {
	exec := MustNewExec(testBackend(), func(x, m *Node) *Node { return GlobalAvgPool1D(x, m) })
	x := [][][]float64{{{1, 10}, {2, 20}, {3, 30}}, {{4, 40}, {5, 50}, {6, 60}}}
	m := [][]bool{{true, false, true}, {false, false, false}}
	got := exec.MustExec(x, m)[0].Value().([][]float64)
	want := [][]float64{{2, 20}, {0, 0}}
	for b := range want {
		for c := range want[b] {
			if math.Abs(got[b][c]-want[b][c]) > 1e-12 {
				t.Errorf("[%d][%d]: got %g, want %g", b, c, got[b][c], want[b][c])
			}
		}
	}
}

// TestActivate compares each activation with its formula.
func TestActivate(t *testing.T) {
	xs := []float64{-3, -0.5, 0, 0.7, 4}
	formulas := map[string]func(float64) float64{
		"relu":       func(x float64) float64 { return math.Max(x, 0) },
		"tanh":       math.Tanh,
		"sigmoid":    func(x float64) float64 { return 1 / (1 + math.Exp(-x)) },
		"softplus":   func(x float64) float64 { return math.Log1p(math.Exp(x)) },
		"swish":      func(x float64) float64 { return x / (1 + math.Exp(-x)) },
		"elu":        func(x float64) float64 { return map[bool]float64{true: x, false: math.Expm1(x)}[x > 0] },
		"leaky_relu": func(x float64) float64 { return map[bool]float64{true: x, false: 0.01 * x}[x > 0] },
		"linear":     func(x float64) float64 { return x },
		"gelu": func(x float64) float64 {
			return 0.5 * x * (1 + math.Tanh(math.Sqrt(2/math.Pi)*(x+0.044715*x*x*x)))
		},
	}
	for name, f := range formulas {
		exec := MustNewExec(testBackend(), func(x *Node) *Node { return Activate(name, x) })
		got := exec.MustExec(xs)[0].Value().([]float64)
		for i, x := range xs {
			if math.Abs(got[i]-f(x)) > 1e-12 {
				t.Errorf("%s(%g): got %g, want %g", name, x, got[i], f(x))
			}
		}
	}
}

// TestInitialisers checks the bounds and spread of Glorot- and Kaiming-uniform
// weights: U(-b, b) has variance b²/3.
func TestInitialisers(t *testing.T) {
	for _, c := range []struct {
		init  Init
		bound float64
		bias  bool
	}{{GlorotUniform, math.Sqrt(6.0 / (400 + 300)), false}, {KaimingUniform, 1 / math.Sqrt(400), true}} {
		store := newStore(t)
		exec := model.MustNewExec(testBackend(), store, func(s *model.Scope, x *Node) *Node {
			return DenseWith(s.In("d"), x, DenseConfig{Out: 300, Init: c.init})
		})
		exec.MustExec(tensors.FromShape(shapes.Make(dtypes.Float64, 1, 400)))
		w := tensors.MustCopyFlatData[float64](store.GetVariable("/d/weights").MustValue())
		b := tensors.MustCopyFlatData[float64](store.GetVariable("/d/biases").MustValue())
		var sum2 float64
		for _, v := range w {
			if math.Abs(v) > c.bound {
				t.Fatalf("%v: weight %g outside ±%g", c.init, v, c.bound)
			}
			sum2 += v * v
		}
		// Relative standard error of a variance estimate from 120000 uniforms ≈ 0.3%.
		if got, want := sum2/float64(len(w)), c.bound*c.bound/3; math.Abs(got-want) > 0.02*want {
			t.Errorf("%v: weight variance %g, want %g", c.init, got, want)
		}
		nonzero := false
		for _, v := range b {
			nonzero = nonzero || v != 0
		}
		if nonzero != c.bias {
			t.Errorf("%v: non-zero biases %v, want %v", c.init, nonzero, c.bias)
		}
	}
}

// TestPanics checks that misuse is reported with the package prefix.
func TestPanics(t *testing.T) {
	g := NewGraph(testBackend(), "panics")
	x := Zeros(g, shapes.Make(dtypes.Float32, 2, 3))
	s := model.NewStore().RootScope()
	for name, f := range map[string]func(){
		"conv rank":    func() { Conv1D(s.In("c"), x, Conv1DConfig{Filters: 1, Kernel: 1}) },
		"conv filters": func() { Conv1D(s.In("c2"), Reshape(x, 2, 3, 1), Conv1DConfig{Kernel: 1}) },
		"dropout rate": func() { Dropout(s, x, 1, true) },
		"activation":   func() { Activate("nope", x) },
		"dense out":    func() { Dense(s.In("d"), x, 0) },
		"bn batch":     func() { BatchNorm(s.In("b"), Zeros(g, shapes.Make(dtypes.Float32, 1, 3)), true) },
	} {
		func() {
			defer func() {
				r := recover()
				if msg, _ := r.(string); len(msg) < 4 || msg[:4] != "nn: " {
					t.Errorf("%s: panic %v, want one starting with \"nn: \"", name, r)
				}
			}()
			f()
		}()
	}
}
