package ebm

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

var smallMLP = MLPConfig{Hidden: []int{8, 8}, Activation: "softplus"}

// newSmallStore makes a store holding a float64 2-8-8-1 MLP energy under /energy with
// weights from rng (or from w when given: per layer, weights [in][out] and biases).
func newSmallStore(t *testing.T, w []struct {
	W [][]float64
	B []float64
}, seed uint64) *model.Store {
	t.Helper()
	store := model.NewStore()
	r := rand.New(rand.NewPCG(seed, 1))
	sizes := [][2]int{{2, 8}, {8, 8}, {8, 1}}
	for i, sz := range sizes {
		var wt, bt *tensors.Tensor
		if w != nil {
			wt, bt = tensors.FromValue(w[i].W), tensors.FromValue(w[i].B)
		} else {
			wf := make([]float64, sz[0]*sz[1])
			for k := range wf {
				wf[k] = r.NormFloat64() / math.Sqrt(float64(sz[0]))
			}
			bf := make([]float64, sz[1])
			for k := range bf {
				bf[k] = 0.1 * r.NormFloat64()
			}
			wt, bt = tensors.FromFlatDataAndDimensions(wf, sz[0], sz[1]), tensors.FromFlatDataAndDimensions(bf, sz[1])
		}
		if _, err := store.CreateVariable(fmt.Sprintf("/energy/dense_%d/weights", i), wt); err != nil {
			t.Fatal(err)
		}
		if _, err := store.CreateVariable(fmt.Sprintf("/energy/dense_%d/biases", i), bt); err != nil {
			t.Fatal(err)
		}
	}
	return store
}

type lossBuilder func(s *model.Scope, in []*Node) *Node

// lossAndGrads evaluates a loss and its gradient w.r.t. every trainable variable.
func lossAndGrads(t *testing.T, store *model.Store, fn lossBuilder, inputs ...any) (float64, map[string][]float64) {
	t.Helper()
	be := testBackend()
	var paths []string
	exec, err := model.NewExec(be, store, func(s *model.Scope, in []*Node) []*Node {
		loss := fn(s.In("energy"), in)
		var nodes []*Node
		paths = paths[:0]
		for v := range store.IterVariables() {
			if v.Trainable && v.DType().IsFloat() && v.InUseByGraph(loss.Graph()) {
				paths = append(paths, v.Path())
				nodes = append(nodes, v.NodeValue(loss.Graph()))
			}
		}
		return append([]*Node{loss}, Gradient(loss, nodes...)...)
	})
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Exec(inputs...)
	if err != nil {
		t.Fatal(err)
	}
	grads := map[string][]float64{}
	for i, p := range paths {
		grads[p] = tensors.MustCopyFlatData[float64](out[i+1])
	}
	return out[0].Value().(float64), grads
}

// lossValue evaluates only the loss.
func lossValue(t *testing.T, store *model.Store, fn lossBuilder, inputs ...any) float64 {
	t.Helper()
	exec, err := model.NewExec(testBackend(), store, func(s *model.Scope, in []*Node) *Node { return fn(s.In("energy"), in) })
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Exec(inputs...)
	if err != nil {
		t.Fatal(err)
	}
	return out[0].Value().(float64)
}

// checkFD compares autodiff gradients with central finite differences (h = 1e-5) on
// every parameter of the small MLP; relative tolerance tol.
func checkFD(t *testing.T, name string, store *model.Store, fn lossBuilder, tol float64, inputs ...any) {
	t.Helper()
	_, grads := lossAndGrads(t, store, fn, inputs...)
	if len(grads) != 6 {
		t.Fatalf("%s: gradients for %d variables; want 6", name, len(grads))
	}
	const h = 1e-5
	checked := 0
	for path, g := range grads {
		v := store.GetVariable(path)
		base := tensors.MustCopyFlatData[float64](v.MustValue())
		dims := v.Shape().Dimensions
		for k := 0; k < len(base); k += 3 { // every third entry keeps the test short
			set := func(val float64) {
				c := append([]float64(nil), base...)
				c[k] = val
				v.MustSetValue(tensors.FromFlatDataAndDimensions(c, dims...))
			}
			set(base[k] + h)
			lp := lossValue(t, store, fn, inputs...)
			set(base[k] - h)
			lm := lossValue(t, store, fn, inputs...)
			set(base[k])
			fd := (lp - lm) / (2 * h)
			if math.Abs(fd-g[k]) > tol*(math.Abs(fd)+1e-3) {
				t.Errorf("%s: d loss / d %s[%d] = %.9g autodiff, %.9g finite differences", name, path, k, g[k], fd)
			}
			checked++
		}
	}
	if checked < 20 {
		t.Errorf("%s: only %d entries checked", name, checked)
	}
}

func randTensor(seed uint64, scale float64, dims ...int) *tensors.Tensor {
	r := rand.New(rand.NewPCG(seed, 2))
	n := 1
	for _, d := range dims {
		n *= d
	}
	f := make([]float64, n)
	for i := range f {
		f[i] = scale * r.NormFloat64()
	}
	return tensors.FromFlatDataAndDimensions(f, dims...)
}

// TestEDMatchesPaperCode compares the ED loss and its gradients with the paper's own
// PyTorch function on the same network, data and noise (golden file from
// scripts/ebm/loss_golden.py): erg's value is the code's minus log M.
func TestEDMatchesPaperCode(t *testing.T) {
	const tol = 1e-10
	var gold struct {
		X       [][]float64
		Weights []struct {
			W [][]float64
			B []float64
		}
		Cases []struct {
			T, W     float64
			M        int
			Xi       [][]float64
			Xij      [][][]float64
			CodeLoss float64 `json:"code_loss"`
			Grads    []struct {
				W [][]float64
				B []float64
			}
		}
	}
	b, err := os.ReadFile("testdata/ed_golden.json")
	if err != nil {
		t.Fatalf("%v (regenerate with /usr/bin/python3 scripts/ebm/loss_golden.py ebm/testdata/ed_golden.json)", err)
	}
	if err := json.Unmarshal(b, &gold); err != nil {
		t.Fatal(err)
	}
	ws := make([]struct {
		W [][]float64
		B []float64
	}, len(gold.Weights))
	for i, w := range gold.Weights {
		ws[i].W, ws[i].B = w.W, w.B
	}
	for _, c := range gold.Cases {
		store := newSmallStore(t, ws, 0)
		cfg := EDConfig{T: c.T, M: c.M, W: c.W, Unstabilised: c.W == 0}
		fn := func(s *model.Scope, in []*Node) *Node {
			return EDLossWithNoise(s, MLP(smallMLP), in[0], in[1], in[2], cfg)
		}
		loss, grads := lossAndGrads(t, store, fn, tensors.FromValue(gold.X), tensors.FromValue(c.Xi), tensors.FromValue(c.Xij))
		want := c.CodeLoss - math.Log(float64(c.M))
		if math.Abs(loss-want) > tol*(1+math.Abs(want)) {
			t.Errorf("t=%g M=%d w=%g: ED = %.12g; paper code %.12g − log M = %.12g", c.T, c.M, c.W, loss, c.CodeLoss, want)
		}
		for i, gw := range c.Grads {
			var flat []float64
			for _, row := range gw.W {
				flat = append(flat, row...)
			}
			got := grads[fmt.Sprintf("/energy/dense_%d/weights", i)]
			for k := range flat {
				if math.Abs(got[k]-flat[k]) > 1e-9*(1+math.Abs(flat[k])) {
					t.Fatalf("t=%g M=%d w=%g: dL/dW%d[%d] = %.12g, PyTorch %.12g", c.T, c.M, c.W, i, k, got[k], flat[k])
				}
			}
			gb := grads[fmt.Sprintf("/energy/dense_%d/biases", i)]
			for k := range gw.B {
				if math.Abs(gb[k]-gw.B[k]) > 1e-9*(1+math.Abs(gw.B[k])) {
					t.Fatalf("t=%g M=%d w=%g: dL/db%d[%d] = %.12g, PyTorch %.12g", c.T, c.M, c.W, i, k, gb[k], gw.B[k])
				}
			}
		}
	}
}

// TestGradientsFiniteDifferences checks the parameter gradients of the ED, DSM, MLE,
// SSM and SM losses (float64, fixed noise) against central finite differences.
func TestGradientsFiniteDifferences(t *testing.T) {
	const tol = 1e-6
	x := randTensor(1, 1.5, 7, 2)
	e := MLP(smallMLP)
	cases := []struct {
		name   string
		fn     lossBuilder
		inputs []any
	}{
		{"ED", func(s *model.Scope, in []*Node) *Node {
			return EDLossWithNoise(s, e, in[0], in[1], in[2], EDConfig{T: 0.5, M: 3, W: 1})
		}, []any{x, randTensor(2, 1, 7, 2), randTensor(3, 1, 7, 3, 2)}},
		{"DSM", func(s *model.Scope, in []*Node) *Node {
			return DSMLossWithNoise(s, e, in[0], in[1], DSMConfig{Sigma: 0.3})
		}, []any{x, randTensor(4, 1, 7, 2)}},
		{"MLE", func(s *model.Scope, in []*Node) *Node {
			return MLELoss(s, e, in[0], Grid{Lo: [2]float64{-4, -4}, Hi: [2]float64{4, 4}, N: 16})
		}, []any{x}},
		{"SSM", func(s *model.Scope, in []*Node) *Node {
			return SSMLossWithProjections(s, e, in[0], in[1])
		}, []any{x, randTensor(5, 1, 2, 7, 2)}},
		{"SM", func(s *model.Scope, in []*Node) *Node { return SMLoss(s, e, in[0]) }, []any{x}},
	}
	for _, c := range cases {
		checkFD(t, c.name, newSmallStore(t, nil, 11), c.fn, tol, c.inputs...)
	}
}

// TestSMMatchesSSMExpectation checks the two score-matching losses against each other:
// SSM-VR with v ~ N(0, I) is unbiased for exact SM (E[vᵀHv] = tr H), so the mean of SSM
// over 400 projections must be within 4 standard errors of SM.
func TestSMMatchesSSMExpectation(t *testing.T) {
	x := randTensor(1, 1.5, 7, 2)
	e := MLP(smallMLP)
	store := newSmallStore(t, nil, 12)
	sm := lossValue(t, store, func(s *model.Scope, in []*Node) *Node { return SMLoss(s, e, in[0]) }, x)
	var vals []float64
	for k := range 40 {
		vals = append(vals, lossValue(t, store, func(s *model.Scope, in []*Node) *Node {
			return SSMLossWithProjections(s, e, in[0], in[1])
		}, x, randTensor(uint64(100+k), 1, 10, 7, 2)))
	}
	var m, v float64
	for _, a := range vals {
		m += a / float64(len(vals))
	}
	for _, a := range vals {
		v += (a - m) * (a - m) / float64(len(vals)-1)
	}
	se := math.Sqrt(v / float64(len(vals)))
	if math.Abs(m-sm) > 4*se+1e-12 {
		t.Errorf("mean SSM %.6f ± %.6f; exact SM %.6f", m, se, sm)
	}
}

// TestMLEMatchesGridIntegral checks MLELoss on the quadratic energy of N(0, I) against
// the closed form: mean ½|x|² + log 2π (the grid on [-8, 8]² with 200 cells integrates
// the Gaussian to ~1e-5 by the midpoint rule).
func TestMLEMatchesGridIntegral(t *testing.T) {
	x := randTensor(1, 1, 9, 2)
	xs := tensors.MustCopyFlatData[float64](x)
	var want float64
	for i := 0; i < len(xs); i += 2 {
		want += 0.5 * (xs[i]*xs[i] + xs[i+1]*xs[i+1]) / 9
	}
	want += math.Log(2 * math.Pi)
	store := model.NewStore()
	got := lossValue(t, store, func(s *model.Scope, in []*Node) *Node {
		return MLELoss(s, Quadratic(2), in[0], Grid{Lo: [2]float64{-8, -8}, Hi: [2]float64{8, 8}, N: 200})
	}, x)
	if math.Abs(got-want) > 1e-4 {
		t.Errorf("MLE loss %.7f; closed form %.7f", got, want)
	}
}

var _ = shapes.Make
var _ = dtypes.Float64
