package pinn

import (
	"context"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/fem"
	"github.com/ergml/erg/fem/mesh"
	"github.com/ergml/erg/run"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// TestBurgersMaxSlope checks the Cole–Hopf solution against the published value of
// the benchmark: for ν = 0.01/π the largest slope |∂u/∂x| at x = 0 is 152.00516,
// reached at t = 1.6037/π (Basdevant et al., "Spectral and finite difference
// solutions of the Burgers equation", Computers & Fluids 14 (1986) 23–41).
func TestBurgersMaxSlope(t *testing.T) {
	const tolSlope, tolTime = 2e-6, 2e-4
	slope := func(tt float64) float64 { _, ux := BurgersExact(0, tt, BurgersNu); return -ux }
	// golden-section search for the maximum on [0.49, 0.53]
	a, b := 0.49, 0.53
	r := (math.Sqrt(5) - 1) / 2
	c, d := b-r*(b-a), a+r*(b-a)
	for i := 0; i < 60; i++ {
		if slope(c) > slope(d) {
			b, d = d, c
			c = b - r*(b-a)
		} else {
			a, c = c, d
			d = a + r*(b-a)
		}
	}
	tm := (a + b) / 2
	if s := slope(tm); math.Abs(s-152.00516) > tolSlope*152 {
		t.Errorf("max slope %.6f, Basdevant et al. 152.00516", s)
	}
	if math.Abs(tm*math.Pi-1.6037) > tolTime*1.6 {
		t.Errorf("at t = %.5f/π, Basdevant et al. 1.6037/π", tm*math.Pi)
	}
}

// TestBurgersQuadratureConverged compares the default quadrature with one of 4x as
// many panels, and the initial condition.
func TestBurgersQuadratureConverged(t *testing.T) {
	const tol = 1e-11
	for _, p := range [][2]float64{{0, 0.5}, {0.003, 0.7}, {-0.4, 0.2}, {0.9, 1}, {-0.02, 0.99}, {0.5, 1e-3}} {
		u1, ux1 := burgersExact(p[0], p[1], BurgersNu, 96)
		u2, ux2 := burgersExact(p[0], p[1], BurgersNu, 384)
		if math.Abs(u1-u2) > tol || math.Abs(ux1-ux2) > tol*(1+math.Abs(ux2)) {
			t.Errorf("u(%g, %g): %.15g / %.15g with 96 / 384 panels (slope %.12g / %.12g)", p[0], p[1], u1, u2, ux1, ux2)
		}
	}
	if u, _ := BurgersExact(0.3, 1e-9, BurgersNu); math.Abs(u+math.Sin(0.3*math.Pi)) > 1e-6 {
		t.Errorf("u(0.3, 1e-9) = %g, initial −sin(0.3π) = %g", u, -math.Sin(0.3*math.Pi))
	}
}

// TestPoissonSeriesMatchesFEM compares the series solution of −Δu = 1 on the unit
// square with a fine P2 finite-element solution from package fem.
func TestPoissonSeriesMatchesFEM(t *testing.T) {
	const tol = 2e-7
	m := mesh.UnitSquare(48)
	s := fem.NewSpace(m, 2)
	p := &fem.Poisson{Space: s, F: fem.Const(1), Dirichlet: fem.NewDirichlet(s, s.BoundaryDofs(), nil)}
	u, _, err := p.Solve(fem.SolverOptions{Tol: 1e-13})
	if err != nil {
		t.Fatal(err)
	}
	for _, xy := range [][2]float64{{0.5, 0.5}, {0.25, 0.75}, {0.125, 0.0625}} {
		k := -1
		for i := 0; i < s.N; i++ {
			if d := s.Dof(i); math.Abs(d[0]-xy[0]) < 1e-12 && math.Abs(d[1]-xy[1]) < 1e-12 {
				k = i
			}
		}
		want := u[k]
		got := PoissonSquareExact([]float64{xy[0]}, []float64{xy[1]}, 400)[0]
		if math.Abs(got-want) > tol {
			t.Errorf("u(%g, %g): series %.10f, fem P2 %.10f", xy[0], xy[1], got, want)
		}
	}
}

// TestFieldDerivatives checks Field's nested autodiff on u = sin(x)·y² + x³y against
// its exact derivatives.
func TestFieldDerivatives(t *testing.T) {
	const tol = 1e-12
	be := backend.Must("go")
	pts := []float64{0.3, -0.7, 1.2, 0.5, -0.4, 2.0}
	exec := MustNewExec(be, func(x *Node) []*Node {
		x0, x1 := col(x, 0), col(x, 1)
		u := Add(Mul(Sin(x0), Square(x1)), Mul(Mul(Square(x0), x0), x1))
		f := NewField(x, u)
		return []*Node{f.D(0), f.D(1), f.D2(0, 0), f.D2(0, 1), f.D2(1, 1), f.Laplacian()}
	})
	out, err := exec.Exec(tensors.FromFlatDataAndDimensions(pts, 3, 2))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		x, y := pts[2*i], pts[2*i+1]
		want := []float64{math.Cos(x)*y*y + 3*x*x*y, 2*y*math.Sin(x) + x*x*x, -math.Sin(x)*y*y + 6*x*y,
			2*y*math.Cos(x) + 3*x*x, 2 * math.Sin(x), -math.Sin(x)*y*y + 6*x*y + 2*math.Sin(x)}
		for k, w := range want {
			if g := tensors.MustCopyFlatData[float64](out[k])[i]; math.Abs(g-w) > tol*(1+math.Abs(w)) {
				t.Errorf("point %d derivative %d: %.15g, exact %.15g", i, k, g, w)
			}
		}
	}
}

// TestTaylorMatchesAutodiff compares TaylorMLP's forward-mode derivatives with nested
// reverse-mode gradients of the same network (MLP2 with the same variables).
func TestTaylorMatchesAutodiff(t *testing.T) {
	const tol = 1e-11
	be := backend.Must("go")
	rng := rand.New(rand.NewPCG(1, 1))
	pts := make([]float64, 5*3)
	for i := range pts {
		pts[i] = 2*rng.Float64() - 1
	}
	scale := []float64{2, 0.5, 1}
	for _, act := range []string{"tanh", "sin"} {
		store := model.NewStore()
		if err := store.SetRNGStateFromSeed(4); err != nil {
			t.Fatal(err)
		}
		hidden := []int{7, 5}
		exec := model.MustNewExec(be, store, func(s *model.Scope, x *Node) []*Node {
			// reverse mode on y = x / scale, so ∂/∂y_i = scale_i ∂/∂x_i
			g := x.Graph()
			y := Div(x, Const(g, [][]float64{scale}))
			xin := Mul(y, Const(g, [][]float64{scale}))
			ad := NewField(y, MLP2(s.At("net"), xin, hidden, 1, act))
			tf := TaylorMLP(s.At("net"), x, scale, hidden, act, 2, nil)
			var out []*Node
			out = append(out, ad.U, tf.U)
			for i := 0; i < 3; i++ {
				out = append(out, ad.D(i), tf.D(i))
				for j := i; j < 3; j++ {
					out = append(out, ad.D2(i, j), tf.D2(j, i))
				}
			}
			return out
		})
		out, err := exec.Exec(tensors.FromFlatDataAndDimensions(pts, 5, 3))
		if err != nil {
			t.Fatal(err)
		}
		for k := 0; k < len(out); k += 2 {
			a := tensors.MustCopyFlatData[float64](out[k])
			b := tensors.MustCopyFlatData[float64](out[k+1])
			for i := range a {
				if math.Abs(a[i]-b[i]) > tol*(1+math.Abs(a[i])) {
					t.Errorf("%s output %d point %d: autodiff %.15g, Taylor %.15g", act, k/2, i, a[i], b[i])
				}
			}
		}
	}
}

// TestInverseCoefficient learns c in u” + cπ² sin(πx) = 0 on [0, 1] from samples of
// u = sin(πx) (the solution for c = 1) with the network: Adam, then L-BFGS.
func TestInverseCoefficient(t *testing.T) {
	const tol = 2e-3
	var xs, us []float64
	for i := 0; i < 16; i++ {
		x := (float64(i) + 0.5) / 16
		xs = append(xs, x)
		us = append(us, math.Sin(math.Pi*x))
	}
	p := &Problem{Name: "inverse1d", Domain: Box{Lo: []float64{0}, Hi: []float64{1}},
		Unknowns: []Unknown{{Name: "c", Init: 3, Positive: true}}}
	p.Terms = []Term{
		{Name: "pde", Order: 2, Points: Points{N: 48}, Residual: func(s *model.Scope, f *Field) *Node {
			return Add(f.D2(0, 0), Mul(p.Coef(s, f, "c"), MulScalar(Sin(MulScalar(f.Coord(0), math.Pi)), math.Pi*math.Pi)))
		}},
		{Name: "data", Points: Points{Fixed: xs}, Weight: 10, Residual: func(s *model.Scope, f *Field) *Node {
			return Sub(f.U, Const(f.X.Graph(), us))
		}},
	}
	m := New(p, Config{Hidden: []int{16, 16}, Steps: 400, LR: 1e-2, LBFGS: new(300), Seed: 3, Autodiff: os.Getenv("AD") != ""})
	be := backend.Must("go")
	store, res, err := m.Train(context.Background(), be, nil, TrainOptions{Quiet: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("adam loss %g, final %g", res.Adam.Loss, res.FinalLoss)
	c := CoefValues(store, p)["c"]
	if math.Abs(c-1) > tol {
		t.Errorf("learned c = %.6f, want 1 (final loss %.3g after %d L-BFGS iterations)", c, res.FinalLoss, res.LBFGSIters)
	}
	pr, err := NewPredictor(be, m, store)
	if err != nil {
		t.Fatal(err)
	}
	u, err := pr.U([]float64{0.25, 0.5})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(u[1]-1) > 5e-3 || math.Abs(u[0]-math.Sin(math.Pi/4)) > 5e-3 {
		t.Errorf("u(0.25), u(0.5) = %v, want %.4f, 1", u, math.Sin(math.Pi/4))
	}
}

// TestRunPoisson runs the poisson2d benchmark briefly into a run directory, with
// refinement rounds: the files of a finished run are written and the error is finite
// and below that of u = 0 (relative error 1).
func TestRunPoisson(t *testing.T) {
	be := backend.Must("go")
	out, err := Run(context.Background(), be, RunOptions{Run: run.Options{Root: t.TempDir(), Quiet: true}, Benchmark: "poisson2d",
		Options: ProblemOptions{Collocation: 200, Boundary: 20},
		Config:  Config{Hidden: []int{16, 16}, Steps: 100, LR: 5e-3, LBFGS: new(60), RAR: new(1), RARPoints: 50, RARCandidates: 500, Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range append(runFiles, "fields.png") {
		if _, err := os.Stat(filepath.Join(out.RunDir, f)); err != nil {
			t.Errorf("run directory lacks %s", f)
		}
	}
	if !(out.RelL2 < 0.5) || out.LBFGSIters < 30 {
		t.Errorf("relative L2 %g after %d L-BFGS iterations", out.RelL2, out.LBFGSIters)
	}
}

// runFiles are the files of every finished run directory.
var runFiles = []string{run.ConfigFile, run.MetricsFile, run.CheckpointFile, run.EnergyFile, run.SummaryFile, run.ReportFile}
