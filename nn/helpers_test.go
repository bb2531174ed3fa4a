package nn

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"sort"
	"testing"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/ergml/erg/backend"
)

// array is a float64 tensor as stored in testdata/golden.json.
type array struct {
	Shape []int     `json:"shape"`
	Data  []float64 `json:"data"`
}

func (a array) tensor() *tensors.Tensor {
	return tensors.FromFlatDataAndDimensions(append([]float64(nil), a.Data...), a.Shape...)
}

type goldenCase struct {
	Config  map[string]any   `json:"config"`
	Inputs  map[string]array `json:"inputs"`
	Outputs map[string]array `json:"outputs"`
}

// loadGolden reads testdata/golden.json, made by scripts/nn/make_golden.py with
// PyTorch (see that script for how to regenerate it).
func loadGolden(t *testing.T) map[string]goldenCase {
	t.Helper()
	raw, err := os.ReadFile("testdata/golden.json")
	if err != nil {
		t.Fatalf("reading golden file: %v", err)
	}
	var g struct {
		Cases map[string]goldenCase `json:"cases"`
	}
	if err := json.Unmarshal(raw, &g); err != nil {
		t.Fatalf("testdata/golden.json: %v", err)
	}
	return g.Cases
}

// layerFn builds the layer under test in scope s on input x.
type layerFn func(s *model.Scope, x *Node) *Node

// harness evaluates a layer in a fresh store whose variables under "/layer/" are set
// from vars, with L = sum(y * r).
type harness struct {
	t     *testing.T
	store *model.Store
	fn    layerFn
	grads []string // variable paths (relative to /layer) to differentiate
	exec  *model.Exec
	loss  *model.Exec
}

func newHarness(t *testing.T, store *model.Store, fn layerFn, vars map[string]*tensors.Tensor, grads []string) *harness {
	t.Helper()
	if store == nil {
		store = newStore(t)
	}
	for p, v := range vars {
		if _, err := store.CreateVariable("/layer/"+p, v); err != nil {
			t.Fatal(err)
		}
	}
	h := &harness{t: t, store: store, fn: fn, grads: grads}
	be := testBackend()
	h.exec = model.MustNewExec(be, store, func(s *model.Scope, in []*Node) []*Node {
		x, r := in[0], in[1]
		y := fn(s.In("layer"), x)
		loss := ReduceAllSum(Mul(y, r))
		nodes := []*Node{x}
		for _, p := range grads {
			v := store.GetVariable("/layer/" + p)
			if v == nil {
				panic(fmt.Sprintf("no variable /layer/%s", p))
			}
			nodes = append(nodes, v.NodeValue(x.Graph()))
		}
		return append([]*Node{y, loss}, Gradient(loss, nodes...)...)
	})
	h.loss = model.MustNewExec(be, store, func(s *model.Scope, in []*Node) []*Node {
		return []*Node{ReduceAllSum(Mul(fn(s.In("layer"), in[0]), in[1]))}
	})
	return h
}

func newStore(t *testing.T) *model.Store {
	store := model.NewStore()
	if err := store.SetRNGStateFromSeed(1); err != nil {
		t.Fatal(err)
	}
	return store
}

// initLayer runs fn once on x in a new store, creating and initialising its variables,
// and returns the store and the output shape.
func initLayer(t *testing.T, fn layerFn, x *tensors.Tensor) (*model.Store, []int) {
	t.Helper()
	store := newStore(t)
	e := model.MustNewExec(testBackend(), store, func(s *model.Scope, x *Node) *Node { return fn(s.In("layer"), x) })
	out, err := e.Exec(x)
	if err != nil {
		t.Fatal(err)
	}
	return store, out[0].Shape().Dimensions
}

// run returns y, the loss and the gradients (input first, then h.grads).
func (h *harness) run(x, r *tensors.Tensor) (y []float64, loss float64, grads [][]float64) {
	h.t.Helper()
	out, err := h.exec.Exec(x, r)
	if err != nil {
		h.t.Fatal(err)
	}
	y = tensors.MustCopyFlatData[float64](out[0])
	loss = tensors.MustCopyFlatData[float64](out[1])[0]
	for _, o := range out[2:] {
		grads = append(grads, tensors.MustCopyFlatData[float64](o))
	}
	return
}

func (h *harness) lossAt(x, r *tensors.Tensor) float64 {
	out, err := h.loss.Exec(x, r)
	if err != nil {
		h.t.Fatal(err)
	}
	return tensors.MustCopyFlatData[float64](out[0])[0]
}

// checkFD compares the gradients of L with central finite differences (step 1e-5)
// at up to maxElems randomly chosen elements of the input and of each variable.
func (h *harness) checkFD(x, r *tensors.Tensor, tol float64, maxElems int) {
	h.t.Helper()
	_, _, grads := h.run(x, r)
	rng := rand.New(rand.NewPCG(5, 6))
	const step = 1e-5
	pick := func(n int) []int {
		idx := rng.Perm(n)
		if len(idx) > maxElems {
			idx = idx[:maxElems]
		}
		sort.Ints(idx)
		return idx
	}
	xs := tensors.MustCopyFlatData[float64](x)
	dims := x.Shape().Dimensions
	for _, i := range pick(len(xs)) {
		at := func(d float64) float64 {
			v := append([]float64(nil), xs...)
			v[i] += d
			return h.lossAt(tensors.FromFlatDataAndDimensions(v, dims...), r)
		}
		fd := (at(step) - at(-step)) / (2 * step)
		if !near(grads[0][i], fd, tol) {
			h.t.Errorf("d/dx[%d]: got %.10g, finite difference %.10g", i, grads[0][i], fd)
		}
	}
	for k, p := range h.grads {
		v := h.store.GetVariable("/layer/" + p)
		orig := tensors.MustCopyFlatData[float64](v.MustValue())
		vd := v.Shape().Dimensions
		for _, i := range pick(len(orig)) {
			at := func(d float64) float64 {
				w := append([]float64(nil), orig...)
				w[i] += d
				v.MustSetValue(tensors.FromFlatDataAndDimensions(w, vd...))
				return h.lossAt(x, r)
			}
			fd := (at(step) - at(-step)) / (2 * step)
			v.MustSetValue(tensors.FromFlatDataAndDimensions(append([]float64(nil), orig...), vd...))
			if !near(grads[k+1][i], fd, tol) {
				h.t.Errorf("d/d%s[%d]: got %.10g, finite difference %.10g", p, i, grads[k+1][i], fd)
			}
		}
	}
}

func near(got, want, tol float64) bool {
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}

// compare reports elements of got and want that differ by more than tol (relative
// to max(1, |want|)).
func compare(t *testing.T, name string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: got %d values, want %d", name, len(got), len(want))
		return
	}
	bad := 0
	for i := range got {
		if !near(got[i], want[i], tol) {
			if bad < 5 {
				t.Errorf("%s[%d]: got %.12g, want %.12g", name, i, got[i], want[i])
			}
			bad++
		}
	}
	if bad > 5 {
		t.Errorf("%s: %d of %d values differ", name, bad, len(got))
	}
}

// randTensor returns a float64 tensor of the given shape with U(-1,1) entries.
func randTensor(seed uint64, dims ...int) *tensors.Tensor {
	rng := rand.New(rand.NewPCG(seed, 99))
	n := shapes.Make(dtypes.Float64, dims...).Size()
	v := make([]float64, n)
	for i := range v {
		v[i] = 2*rng.Float64() - 1
	}
	return tensors.FromFlatDataAndDimensions(v, dims...)
}

// testBackend is the backend the tests run on: $ERG_BACKEND or erg's default (package
// backend, which runs the pure-Go backend with unlimited workers to avoid a deadlock).
func testBackend() compute.Backend { return backend.Must("") }
