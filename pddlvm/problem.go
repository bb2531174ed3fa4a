package pddlvm

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"

	"github.com/ergml/erg/fem"
	"github.com/ergml/erg/fem/mesh"
	"github.com/ergml/erg/pinn"
)

// Problem is a parametric PDE for the PDDLVM: its discretisation, the prior of θ
// (standard normal, the KL coefficients) and the scale of its solutions.
type Problem struct {
	Name   string
	Disc   *Disc
	UScale float64 // typical magnitude of u: scales the forward map's output and the inverse map's input
	// Solver of the reference solutions (fem); nil: a direct solve for small meshes,
	// CG with IC(0) otherwise.
	Solver *fem.SolverOptions

	ref refSolver // warm state of the linear reference solve
}

// refSolver is the warm state of Problem.Solve for linear problems: the assembled
// matrix's storage, its ordering and preconditioner pattern (fem.LinearSolver),
// and the KL basis at the points the assembly visits, in the order it visits them
// (recorded on the first solve; θ only changes the coefficients), as a user
// solving the same parametric problem for many θ would keep them.
type refSolver struct {
	mu  sync.Mutex
	ls  *fem.LinearSolver
	seq []float64 // visited points, 2 coordinates each (1-D: x, 0)
	bas []float64 // KL basis at them, Terms values each

	nlPerm []int32 // RCM order of the nonlinear problem's Jacobian pattern
}

// kappa returns κ(·; θ) as a fem.Func that reads the basis of the recorded
// visiting order while the points match it (and computes it otherwise); on the
// first solve it records the order into *rec.
func (r *refSolver) kappa(f *KL, theta []float64, rec *[2][]float64) fem.Func {
	th := append([]float64(nil), theta...)
	t := f.Terms
	b := make([]float64, t)
	i := 0
	return func(x []float64) float64 {
		x0, x1 := x[0], 0.0
		if len(x) > 1 {
			x1 = x[1]
		}
		bb := b
		if i < len(r.seq)/2 && r.seq[2*i] == x0 && r.seq[2*i+1] == x1 {
			bb = r.bas[i*t : (i+1)*t]
		} else {
			f.Basis(x, b)
			if rec != nil {
				rec[0] = append(rec[0], x0, x1)
				rec[1] = append(rec[1], b...)
			}
		}
		i++
		s := f.Mean // as KL.LogKappa, term by term
		for k, v := range bb {
			s += th[k] * v
		}
		return pinn.ExpGo(s)
	}
}

// Options sizes a named problem. The zero value gives the default of each problem.
type Options struct {
	Cells int // cells per side (1-D: cells of the interval); 0: problem default
	Terms int // KL terms d; 0: problem default
}

// Problems lists the names accepted by NewProblem, and "heat" (the time-dependent
// problem with the PINN discretisation, see Heat), which Run also accepts.
func Problems() []string {
	names := []string{"heat"}
	for k := range registry {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

var registry = map[string]func(Options) *Problem{
	"poisson1d":   poisson1D,
	"poisson2d":   poisson2D,
	"nonlinear2d": nonlinear2D,
}

// NewProblem returns the named problem ("poisson1d", "poisson2d", "nonlinear2d").
func NewProblem(name string, opt Options) (*Problem, error) {
	f, ok := registry[name]
	if name == "heat" {
		return nil, fmt.Errorf("pddlvm: heat is not a finite-element problem (use Run or TrainHeat)")
	}
	if !ok {
		return nil, fmt.Errorf("pddlvm: unknown problem %q (have %s)", name, strings.Join(Problems(), ", "))
	}
	return f(opt), nil
}

func orDefault(v, d int) int {
	if v <= 0 {
		return d
	}
	return v
}

// poisson1D is −(κ u')' = 1 on (0, 1), u(0) = 0, u(1) = 0.5 (the forcing and boundary
// values of the paper's code), log κ a Gaussian field with squared-exponential
// covariance (σ = 0.5, ℓ = 0.2), d = 4 KL terms, 32 cells.
func poisson1D(opt Options) *Problem {
	n := orDefault(opt.Cells, 32)
	kl := NewKL(1, orDefault(opt.Terms, 4), 0, 0.5, 0.2, SquaredExponential)
	d := NewDisc(mesh.Interval(n, 0, 1), kl, nil,
		func([]float64) float64 { return 1 },
		func(x []float64) float64 { return 0.5 * x[0] })
	return &Problem{Name: "poisson1d", Disc: d, UScale: 0.5}
}

// poisson2D is −∇·(κ∇u) = 1 on the unit square, u = 0 on the boundary, log κ a
// Gaussian field with exponential covariance (σ = 0.5, ℓ = 0.5), d = 6 KL terms,
// 24×24 squares cut in triangles.
func poisson2D(opt Options) *Problem {
	n := orDefault(opt.Cells, 24)
	kl := NewKL(2, orDefault(opt.Terms, 6), 0, 0.5, 0.5, Exponential)
	d := NewDisc(mesh.UnitSquare(n), kl, nil,
		func([]float64) float64 { return 1 }, nil)
	return &Problem{Name: "poisson2d", Disc: d, UScale: 0.07}
}

// nonlinear2D is −∇·(κ(x; θ)(1 + u²)∇u) = 10 on the unit square, u = 0 on the
// boundary, with the field of poisson2d.
func nonlinear2D(opt Options) *Problem {
	n := orDefault(opt.Cells, 24)
	kl := NewKL(2, orDefault(opt.Terms, 6), 0, 0.5, 0.5, Exponential)
	d := NewDisc(mesh.UnitSquare(n), kl, &Nonlinearity{Beta: 1},
		func([]float64) float64 { return 10 }, nil)
	return &Problem{Name: "nonlinear2d", Disc: d, UScale: 0.6}
}

// SampleTheta draws n parameter vectors from the prior N(0, I_d) with the given seed,
// row-major [n, d].
func (p *Problem) SampleTheta(n int, seed, stream uint64) []float64 {
	rng := rand.New(rand.NewPCG(seed, stream))
	out := make([]float64, n*p.Disc.NumParams())
	for i := range out {
		out[i] = rng.NormFloat64()
	}
	return out
}

// Solve returns the reference finite-element solution at the free nodes for θ,
// computed by package fem (Newton's method for the nonlinear problem).
func (p *Problem) Solve(theta []float64) ([]float64, error) {
	d := p.Disc
	opt := fem.SolverOptions{Method: fem.Direct}
	if d.Mesh.Dim == 2 {
		opt = fem.SolverOptions{Method: fem.CGIC, Tol: 1e-12}
	}
	if p.Solver != nil {
		opt = *p.Solver
	}
	if d.Nonlin != nil && d.Nonlin.Beta != 0 {
		return p.solveNonlinear(theta, opt)
	}
	r := &p.ref
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ls == nil || r.ls.Opt != opt {
		r.ls = &fem.LinearSolver{Opt: opt, P: &fem.Poisson{Space: d.Space, F: fem.Func(d.F),
			Dirichlet: fem.NewDirichlet(d.Space, d.Fixed, fem.Func(d.gOrZero()))}}
	}
	var rec *[2][]float64
	if r.seq == nil {
		rec = new([2][]float64)
	}
	r.ls.P.Kappa = r.kappa(d.Field, theta, rec)
	u, _, err := r.ls.Solve()
	if rec != nil && err == nil {
		r.seq, r.bas = rec[0], rec[1]
	}
	if err != nil {
		return nil, fmt.Errorf("pddlvm: reference solve: %w", err)
	}
	out := make([]float64, len(d.Free))
	for k, i := range d.Free {
		out[k] = u[i]
	}
	return out, nil
}
