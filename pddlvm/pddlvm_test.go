package pddlvm

import (
	"context"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/fem"
	"github.com/ergml/erg/fem/mesh"
	"github.com/ergml/erg/run"
	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"gonum.org/v1/gonum/mat"
)

// smallProblem is a 1-D problem small enough for finite differences.
func smallProblem(cells int) *Problem {
	kl := NewKL(1, 2, 0, 0.5, 0.3, SquaredExponential)
	d := NewDisc(mesh.Interval(cells, 0, 1), kl, nil,
		func([]float64) float64 { return 1 }, func(x []float64) float64 { return 0.5 * x[0] })
	return &Problem{Name: "small", Disc: d, UScale: 0.5}
}

// TestELBOGradientFD checks the gradient of the ELBO (with fixed reparameterisation
// noise) with respect to every network parameter against central finite differences.
func TestELBOGradientFD(t *testing.T) {
	const tol = 1e-6 // relative, float64
	for _, whiten := range []bool{false, true} {
		p := smallProblem(6)
		m := New(p, Config{Hidden: []int{8, 8}, Rank: 2, DType: "float64", Whiten: new(whiten), CoupledInverse: true})
		be := backend.Must("go")
		store := model.NewStore()
		if err := store.SetRNGStateFromSeed(3); err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(5, 6))
		b, nf := 3, p.Disc.NumFree()
		randn := func(n int) []float64 {
			x := make([]float64, n)
			for i := range x {
				x[i] = rng.NormFloat64()
			}
			return x
		}
		theta := tensors.FromFlatDataAndDimensions(randn(b*2), b, 2)
		e1 := tensors.FromFlatDataAndDimensions(randn(b*nf), b, nf)
		e2 := tensors.FromFlatDataAndDimensions(randn(b*2), b, 2)
		var vars []*model.Variable
		elbo := model.MustNewExec(be, store, func(s *model.Scope, th, a, c *Node) *Node {
			return ReduceAllSum(m.ELBO(s, th, a, c, a).ELBO)
		})
		if _, err := elbo.Exec(theta, e1, e2); err != nil { // creates the variables
			t.Fatal(err)
		}
		for v := range store.IterVariables() {
			if v.Trainable && v.DType().IsFloat() {
				vars = append(vars, v)
			}
		}
		grad := model.MustNewExec(be, store, func(s *model.Scope, th, a, c *Node) []*Node {
			l := ReduceAllSum(m.ELBO(s, th, a, c, a).ELBO)
			var nodes []*Node
			for _, v := range vars {
				nodes = append(nodes, v.ValueGraph(th.Graph()))
			}
			return Gradient(l, nodes...)
		})
		gs, err := grad.Exec(theta, e1, e2)
		if err != nil {
			t.Fatal(err)
		}
		f := func() float64 {
			out, err := elbo.Exec(theta, e1, e2)
			if err != nil {
				t.Fatal(err)
			}
			return out[0].Value().(float64)
		}
		checked := 0
		for k, v := range vars {
			val := tensors.MustCopyFlatData[float64](v.MustValue())
			g := tensors.MustCopyFlatData[float64](gs[k])
			dims := v.Shape().Dimensions
			for _, i := range []int{0, len(val) / 2, len(val) - 1} {
				h := 1e-5 * math.Max(1, math.Abs(val[i]))
				set := func(x float64) {
					w := append([]float64(nil), val...)
					w[i] = x
					v.MustSetValue(tensors.FromFlatDataAndDimensions(w, dims...))
				}
				set(val[i] + h)
				fp := f()
				set(val[i] - h)
				fm := f()
				set(val[i])
				fd := (fp - fm) / (2 * h)
				if math.Abs(fd-g[i]) > tol*(math.Abs(fd)+math.Abs(f())*1e-3+1) {
					t.Errorf("whiten=%v %s[%d]: autodiff %.10g, central difference %.10g", whiten, v.Path(), i, g[i], fd)
				}
				checked++
			}
		}
		if checked < 20 {
			t.Errorf("checked only %d gradient components", checked)
		}
	}
}

// TestDetachedInverseGradient checks the default (Config.CoupledInverse false)
// gradient: the forward map's parameters get the gradient of the residual
// likelihood and entropy only, the inverse map's that of log p(θ | y); and the
// coupled gradient differs from it in the forward map (so the check can fail).
func TestDetachedInverseGradient(t *testing.T) {
	p := smallProblem(6)
	be := backend.Must("go")
	rng := rand.New(rand.NewPCG(7, 8))
	b, nf := 4, p.Disc.NumFree()
	randn := func(dims ...int) *tensors.Tensor {
		n := 1
		for _, d := range dims {
			n *= d
		}
		x := make([]float64, n)
		for i := range x {
			x[i] = rng.NormFloat64()
		}
		return tensors.FromFlatDataAndDimensions(x, dims...)
	}
	theta, e1, e3 := randn(b, 2), randn(b, nf), randn(b, nf)
	store := model.NewStore()
	if err := store.SetRNGStateFromSeed(3); err != nil {
		t.Fatal(err)
	}
	grads := func(coupled bool) (full, parts map[string][]float64) {
		m := New(p, Config{Hidden: []int{8, 8}, DType: "float64", ObsNoise: new(0.05), Whiten: new(false), CoupledInverse: coupled})
		init := model.MustNewExec(be, store, func(s *model.Scope, th, a, c *Node) *Node {
			return ReduceAllSum(m.ELBO(s, th, a, nil, c).ELBO)
		})
		if _, err := init.Exec(theta, e1, e3); err != nil {
			t.Fatal(err)
		}
		var vars []*model.Variable
		for v := range store.IterVariables() {
			if v.Trainable && v.DType().IsFloat() {
				vars = append(vars, v)
			}
		}
		g := model.MustNewExec(be, store, func(s *model.Scope, th, a, c *Node) []*Node {
			tm := m.ELBO(s, th, a, nil, c)
			var nodes []*Node
			for _, v := range vars {
				nodes = append(nodes, v.ValueGraph(th.Graph()))
			}
			out := Gradient(ReduceAllSum(tm.ELBO), nodes...)
			fwd := Gradient(ReduceAllSum(Add(tm.LogResidual, tm.Entropy)), nodes...)
			inv := Gradient(ReduceAllSum(tm.LogInverse), nodes...)
			for k, v := range vars {
				if strings.Contains(v.Path(), "forward") {
					out = append(out, fwd[k])
				} else {
					out = append(out, inv[k])
				}
			}
			return out
		})
		res, err := g.Exec(theta, e1, e3)
		if err != nil {
			t.Fatal(err)
		}
		full, parts = map[string][]float64{}, map[string][]float64{}
		for k, v := range vars {
			full[v.Path()] = tensors.MustCopyFlatData[float64](res[k])
			parts[v.Path()] = tensors.MustCopyFlatData[float64](res[len(vars)+k])
		}
		return full, parts
	}
	det, parts := grads(false)
	cpl, _ := grads(true)
	var fwdDiff float64
	n := 0
	for path, g := range det {
		for i := range g {
			if d := math.Abs(g[i] - parts[path][i]); d > 1e-9*(1+math.Abs(g[i])) {
				t.Fatalf("%s[%d]: detached gradient %.10g, expected %.10g", path, i, g[i], parts[path][i])
			}
			if strings.Contains(path, "forward") {
				fwdDiff = math.Max(fwdDiff, math.Abs(g[i]-cpl[path][i]))
			}
			n++
		}
	}
	if n < 50 {
		t.Fatalf("checked only %d gradient components", n)
	}
	if fwdDiff < 1e-6 {
		t.Errorf("coupled and detached forward-map gradients agree (max difference %.3g): the inverse term does not reach the forward map when coupled", fwdDiff)
	}
}

// TestMeanFieldOptimum trains the forward map alone for one fixed θ on a linear
// problem. For a Gaussian target the optimal diagonal Gaussian has the exact mean,
// A⁻¹b here (the FEM solution), and variances σ_r²/(AᵀA)_ii (mean-field VI of a
// Gaussian with precision AᵀA/σ_r²; Bishop, PRML §10.1.2).
func TestMeanFieldOptimum(t *testing.T) {
	p := smallProblem(5)
	sr := 0.05
	m := New(p, Config{Hidden: []int{16, 16}, SigmaR: sr, Batch: 64, Steps: 3000, LR: 3e-3, Seed: 2, DType: "float64", ForwardOnly: true, Whiten: new(false)})
	th := []float64{0.7, -0.3}
	fixed := fixedTheta{th: th, n: 64}
	be := backend.Must("go")
	store, err := trainWith(m, be, fixed)
	if err != nil {
		t.Fatal(err)
	}
	pr, err := NewPredictor(be, m, store)
	if err != nil {
		t.Fatal(err)
	}
	mean, std, err := pr.Forward(th)
	if err != nil {
		t.Fatal(err)
	}
	ref, err := p.Solve(th)
	if err != nil {
		t.Fatal(err)
	}
	// A at θ from fem, free rows/columns
	d := p.Disc
	k := d.Space.Stiffness(fem.Func(d.KappaFunc(th)))
	nf := d.NumFree()
	a := mat.NewDense(nf, nf, nil)
	for r, i := range d.Free {
		for c, j := range d.Free {
			a.Set(r, c, k.At(int(i), int(j)))
		}
	}
	var ata mat.Dense
	ata.Mul(a.T(), a)
	for i := 0; i < nf; i++ {
		if e := math.Abs(mean[i] - ref[i]); e > 2e-3*math.Abs(ref[i])+2e-4 {
			t.Errorf("mean[%d] = %.6g, FEM %.6g", i, mean[i], ref[i])
		}
		want := sr / math.Sqrt(ata.At(i, i))
		if r := std[i] / want; r < 0.8 || r > 1.25 {
			t.Errorf("std[%d] = %.4g, mean-field optimum %.4g (ratio %.3f)", i, std[i], want, r)
		}
	}
}

type fixedTheta struct {
	th []float64
	n  int
}

func (f fixedTheta) Batch(int) ([]*tensors.Tensor, error) {
	x := make([]float64, 0, f.n*len(f.th))
	for i := 0; i < f.n; i++ {
		x = append(x, f.th...)
	}
	return []*tensors.Tensor{tensors.FromFlatDataAndDimensions(x, f.n, len(f.th))}, nil
}

// TestKLExponentialEigenvalues compares the Nyström eigenvalues of the exponential
// kernel on [0, 1] with the analytic ones, λ = 2ℓ/(1 + ℓ²ω²) with ω the roots of
// tan ω = 2ℓω/(ℓ²ω² − 1) (Ghanem & Spanos, "Stochastic finite elements", 1991, §2.3.3).
func TestKLExponentialEigenvalues(t *testing.T) {
	const tol = 1e-3 // relative; Nyström with 200 Gauss points on a kernel with a kink
	l := 0.5
	kl := NewKL(1, 5, 0, 1, l, Exponential)
	got := kl.Eigenvalues()
	g := func(w float64) float64 { return (l*l*w*w-1)*math.Sin(w) - 2*l*w*math.Cos(w) }
	var want []float64
	for a := 1e-6; len(want) < 5; a += 0.01 {
		if g(a)*g(a+0.01) < 0 {
			lo, hi := a, a+0.01
			for it := 0; it < 100; it++ {
				mid := (lo + hi) / 2
				if g(lo)*g(mid) <= 0 {
					hi = mid
				} else {
					lo = mid
				}
			}
			w := (lo + hi) / 2
			want = append(want, 2*l/(1+l*l*w*w))
		}
	}
	for i := range want {
		if math.Abs(got[i]-want[i]) > tol*want[i] {
			t.Errorf("λ_%d = %.6g, analytic %.6g", i+1, got[i], want[i])
		}
	}
}

// TestNonlinearResidualMatchesFEM compares the in-graph residual of
// −∇·((1+u²)∇u) = f (κ = 1: θ = 0 and zero mean) with fem.NonlinearPoisson.
func TestNonlinearResidualMatchesFEM(t *testing.T) {
	const tol = 1e-11
	kl := NewKL(2, 3, 0, 0.5, 0.5, Exponential)
	f := func(x []float64) float64 { return 10 * x[0] }
	d := NewDisc(mesh.UnitSquare(4), kl, &Nonlinearity{Beta: 1}, f, nil)
	rng := rand.New(rand.NewPCG(9, 9))
	u := make([]float64, d.NumFree())
	for i := range u {
		u[i] = rng.NormFloat64()
	}
	got := residualGraph(t, d, u, make([]float64, 3))
	np := &fem.NonlinearPoisson{Space: d.Space, F: fem.Func(f), Dirichlet: fem.NewDirichlet(d.Space, d.Fixed, nil)}
	full := d.Full(u)
	r := make([]float64, len(full))
	np.Residual(r, full)
	for k, i := range d.Free {
		if math.Abs(got[k]-r[i]) > tol*(1+math.Abs(r[i])) {
			t.Errorf("r[%d] = %.15g, fem %.15g", k, got[k], r[i])
		}
	}
}

// TestNonlinearSolveZeroesResidual checks the reference Newton solve: the in-graph
// residual vanishes at its solution for random θ, and at θ = 0 it agrees with fem's
// Newton solver for q(u) = 1 + u².
func TestNonlinearSolveZeroesResidual(t *testing.T) {
	p := nonlinear2D(Options{Cells: 6, Terms: 3})
	th := []float64{0.8, -1.1, 0.4}
	u, err := p.Solve(th)
	if err != nil {
		t.Fatal(err)
	}
	r := residualGraph(t, p.Disc, u, th)
	for i, v := range r {
		if math.Abs(v) > 1e-9 {
			t.Errorf("r[%d] = %g at the Newton solution", i, v)
		}
	}
	kl0 := NewKL(2, 3, 0, 0.5, 0.5, Exponential)
	d0 := NewDisc(mesh.UnitSquare(6), kl0, &Nonlinearity{Beta: 1}, p.Disc.F, nil)
	p0 := &Problem{Name: "k1", Disc: d0, UScale: 1}
	u0, err := p0.Solve(make([]float64, 3))
	if err != nil {
		t.Fatal(err)
	}
	np := &fem.NonlinearPoisson{Space: d0.Space, F: fem.Func(d0.F), Dirichlet: fem.NewDirichlet(d0.Space, d0.Fixed, nil)}
	uf, _, err := np.Solve(nil, fem.NewtonOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for k, i := range d0.Free {
		if math.Abs(u0[k]-uf[i]) > 1e-9 {
			t.Errorf("u[%d] = %.12g, fem Newton %.12g", k, u0[k], uf[i])
		}
	}
}

func trainWith(m *Model, be compute.Backend, data fixedTheta) (*model.Store, error) {
	store, _, err := fit(context.Background(), be, m.Loss, m.Config, data, 2000, nil, TrainOptions{Quiet: true})
	return store, err
}

// TestRunAndResume runs a short training with evaluation into a run directory,
// then resumes it to more steps: the files of a run are there and the resumed run
// reaches its new step count.
func TestRunAndResume(t *testing.T) {
	root := t.TempDir()
	be := backend.Must("go")
	opt := RunOptions{Run: run.Options{Root: root, Name: "tiny", Quiet: true}, Problem: "poisson1d", Options: Options{Cells: 8, Terms: 2},
		Config: Config{Hidden: []int{16, 16}, Steps: 60, Seed: 1}, Eval: EvalOptions{Tests: 5, SpeedBatch: 10}}
	out, err := Run(context.Background(), be, opt)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range append(runFiles, "eval.json", "forward.png", "inverse.png") {
		if _, err := os.Stat(filepath.Join(out.RunDir, f)); err != nil {
			t.Errorf("run directory lacks %s", f)
		}
	}
	if out.Eval.Tests != 5 || out.Eval.ForwardRelL2.Mean <= 0 {
		t.Errorf("evaluation %+v", out.Eval)
	}
	out2, err := Run(context.Background(), be, RunOptions{Run: run.Options{Resume: out.RunDir, Quiet: true}, Steps: 100, Eval: EvalOptions{Tests: 5, SpeedBatch: 10}})
	if err != nil {
		t.Fatal(err)
	}
	if out2.Steps != 100 {
		t.Errorf("resumed run ended at step %d, want 100", out2.Steps)
	}
}

// runFiles are the files of every finished run directory.
var runFiles = []string{run.ConfigFile, run.MetricsFile, run.CheckpointFile, run.EnergyFile, run.SummaryFile, run.ReportFile}

// TestHeatReferenceConverges checks the finite-volume reference of the heat problem:
// second-order convergence in space (errors against a 512-cell solution fall by
// about 4 when the cells double) and the approach to the steady state u = 1.
func TestHeatReferenceConverges(t *testing.T) {
	ts := []float64{0.3}
	fine := HeatReference(2, 3, 512, ts)[0]
	errAt := func(n int) float64 { // against 512 cells
		u := HeatReference(2, 3, n, ts)[0]
		e := 0.0
		for i := range u {
			e = math.Max(e, math.Abs(u[i]-fine[i*512/n]))
		}
		return e
	}
	e1, e2 := errAt(64), errAt(128)
	if r := e1 / e2; r < 3.3 || r > 4.8 {
		t.Errorf("error ratio %.2f (%.3g → %.3g), want ≈ 4 for second order", r, e1, e2)
	}
	late := HeatReference(1, 5, 64, []float64{2})[0]
	for i, v := range late {
		if math.Abs(v-1) > 5e-3 {
			t.Errorf("u(x_%d, 2) = %g, want ≈ 1 (steady state)", i, v)
			break
		}
	}
}

// TestHeatTrainsAndEvaluates runs the heat model briefly: the loss decreases and the
// evaluation completes.
func TestHeatTrainsAndEvaluates(t *testing.T) {
	be := backend.Must("go")
	out, err := Run(context.Background(), be, RunOptions{Run: run.Options{Root: t.TempDir(), Quiet: true}, Problem: "heat",
		Config: Config{Hidden: []int{16, 16}, InvHidden: []int{16}, Batch: 2, Points: 32, BCPoints: 16, Steps: 150, LR: 3e-3, Seed: 1},
		Eval:   EvalOptions{Tests: 2}})
	if err != nil {
		t.Fatal(err)
	}
	rd, _ := run.Open(out.RunDir)
	ms, _ := rd.Metrics()
	first := ms[0]["loss"].(float64)
	if !(out.Loss < first) {
		t.Errorf("loss %g, first %g", out.Loss, first)
	}
	if e := out.Eval; e.Tests != 2 || math.IsNaN(e.ForwardRelL2.Mean) {
		t.Errorf("evaluation %+v", e)
	}
}

// TestRunHeatRecordsDefaults runs the heat problem through Run with most of Config
// unset: the run's config.json records the heat problem's own defaults (σ_r 0.04,
// rate halved every Steps/4, its points and inverse map), not zeros or the Poisson
// problems' defaults, so a resumed run keeps them even if the defaults change.
func TestRunHeatRecordsDefaults(t *testing.T) {
	be := backend.Must("go")
	opt := RunOptions{Run: run.Options{Root: t.TempDir(), Name: "heat", Quiet: true}, Problem: "heat", Config: Config{Hidden: []int{8}, Batch: 1, Steps: 8, Seed: 1},
		Eval: EvalOptions{Tests: 1}}
	out, err := Run(context.Background(), be, opt)
	if err != nil {
		t.Fatal(err)
	}
	rd, err := run.Open(out.RunDir)
	if err != nil {
		t.Fatal(err)
	}
	var rc RunConfig
	if err := rd.ReadJSON(run.ConfigFile, &rc); err != nil {
		t.Fatal(err)
	}
	c := rc.Config
	if c.SigmaR != 0.04 || c.DecayEvery != 2 || c.Steps != 8 || c.Batch != 1 || c.LR != 1e-3 || len(c.Hidden) != 1 || *c.ObsNoise != 0.01 ||
		c.Points != 256 || c.BCPoints != 96 || len(c.InvHidden) != 2 || c.Activation != "tanh" || *c.Whiten || c.DType != "float64" {
		t.Errorf("recorded config %+v", c)
	}
}

// TestRunPoisson2DFigures runs the 2-D pipeline on a tiny mesh through evaluation and
// figures (the 2-D heat-map panels once crashed comparing palettes).
func TestRunPoisson2DFigures(t *testing.T) {
	be := backend.Must("go")
	opt := RunOptions{Run: run.Options{Root: t.TempDir(), Name: "tiny2d", Quiet: true}, Problem: "poisson2d", Options: Options{Cells: 4, Terms: 2},
		Config: Config{Hidden: []int{8}, Steps: 20, Seed: 1}, Eval: EvalOptions{Tests: 3, SpeedBatch: 4}}
	out, err := Run(context.Background(), be, opt)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out.RunDir, "fields_1.png")); err != nil {
		t.Errorf("run directory lacks the field panels: %v", err)
	}
	if out.Eval.Tests != 3 || !(out.Eval.ForwardRelL2.Mean > 0) {
		t.Errorf("evaluation %+v", out.Eval)
	}
}

// TestForwardInferMatchesForward checks the prediction graph (no gradient slot,
// scalars folded into the last layers) against the training graph's Forward on
// the same parameters: mean and exp(LogVar/2) agree to rounding.
func TestForwardInferMatchesForward(t *testing.T) {
	p := smallProblem(6) // 5 unknowns: the stored last layers are padded to 16
	m := New(p, Config{Hidden: []int{8, 8}, DType: "float64"})
	be := backend.Must("go")
	store := model.NewStore()
	if err := store.SetRNGStateFromSeed(4); err != nil {
		t.Fatal(err)
	}
	theta := tensors.FromFlatDataAndDimensions([]float64{0.3, -1.2, 2, 0.5, -0.7, 0.1}, 3, 2)
	train := model.MustNewExec(be, store, func(s *model.Scope, th *Node) []*Node {
		q := m.Forward(s, th)
		return []*Node{q.Mean, Exp(MulScalar(q.LogVar, 0.5))}
	})
	want, err := train.Exec(theta)
	if err != nil {
		t.Fatal(err)
	}
	// biases start at zero: give them values so that the shift and scale folding is tested
	for v := range store.IterVariables() {
		if strings.HasSuffix(v.Path(), "biases") {
			b := tensors.MustCopyFlatData[float64](v.MustValue())
			for i := range b {
				b[i] = 0.1 * float64(i%7-3)
			}
			v.MustSetValue(tensors.FromFlatDataAndDimensions(b, len(b)))
		}
	}
	if want, err = train.Exec(theta); err != nil {
		t.Fatal(err)
	}
	pr, err := NewPredictor(be, m, store)
	if err != nil {
		t.Fatal(err)
	}
	mean, std, err := pr.Forward([]float64{0.3, -1.2, 2, 0.5, -0.7, 0.1})
	if err != nil {
		t.Fatal(err)
	}
	for k, got := range [][]float64{mean, std} {
		w := tensors.MustCopyFlatData[float64](want[k])
		if len(w) != len(got) {
			t.Fatalf("output %d: %d values, want %d", k, len(got), len(w))
		}
		for i := range w {
			if math.Abs(got[i]-w[i]) > 1e-12*(1+math.Abs(w[i])) {
				t.Errorf("output %d [%d]: predictor %.15g, Forward %.15g", k, i, got[i], w[i])
			}
		}
	}
}

// TestWarmSolveMatchesColdSolve checks Problem.Solve's warm path (reused matrix,
// ordering and preconditioner; KL basis read in the recorded visiting order)
// against a cold fem solve with κ evaluated point by point, for several θ.
func TestWarmSolveMatchesColdSolve(t *testing.T) {
	p, err := NewProblem("poisson2d", Options{Cells: 8})
	if err != nil {
		t.Fatal(err)
	}
	d := p.Disc
	th := p.SampleTheta(3, 5, 0)
	k := d.NumParams()
	for i := 0; i < 3; i++ {
		theta := th[i*k : (i+1)*k]
		warm, err := p.Solve(theta)
		if err != nil {
			t.Fatal(err)
		}
		pr := &fem.Poisson{Space: d.Space, Kappa: fem.Func(d.KappaFunc(theta)), F: fem.Func(d.F),
			Dirichlet: fem.NewDirichlet(d.Space, d.Fixed, fem.Func(d.gOrZero()))}
		u, _, err := pr.Solve(fem.SolverOptions{Method: fem.CGIC, Tol: 1e-12})
		if err != nil {
			t.Fatal(err)
		}
		var e, n float64
		for j, v := range d.Free {
			e = math.Max(e, math.Abs(warm[j]-u[v]))
			n = math.Max(n, math.Abs(u[v]))
		}
		if e > 1e-10*n {
			t.Errorf("θ %d: warm and cold solves differ by %.3g (max |u| %.3g)", i, e, n)
		}
	}
	if len(p.ref.seq) == 0 {
		t.Error("the warm solve recorded no basis points")
	}
}

// TestHeatTimePower checks the early-time concentration of the heat problem's
// body points: with t = T·s² and s uniform, P(t < T/4) = 1/2 (uniform: 1/4).
func TestHeatTimePower(t *testing.T) {
	for _, c := range []struct{ power, want float64 }{{0, 0.25}, {2, 0.5}} {
		b := heatBatches{c: Config{Batch: 4, Points: 500, BCPoints: 8, TimePower: c.power}.For("heat"), f64: true}
		ts, err := b.Batch(3)
		if err != nil {
			t.Fatal(err)
		}
		body := tensors.MustCopyFlatData[float64](ts[1])
		early, n := 0, 0
		for i := 1; i < len(body); i += 2 {
			if body[i] < 0 || body[i] > heatT {
				t.Fatalf("power %g: t = %g outside [0, %g]", c.power, body[i], heatT)
			}
			if body[i] < heatT/4 {
				early++
			}
			n++
		}
		if f := float64(early) / float64(n); math.Abs(f-c.want) > 0.03 {
			t.Errorf("power %g: fraction of points with t < T/4 = %.3f, want %.2f", c.power, f, c.want)
		}
	}
}
