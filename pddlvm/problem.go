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
	"github.com/ergml/erg/run"
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

// Options sizes a named problem. The zero value gives the default of each problem
// (For); the heat problem has none of them.
type Options struct {
	Cells int // cells per side (1-D: cells of the interval); 0: problem default (poisson1d 32, 2-D 24)
	Terms int // KL terms d; 0: problem default (poisson1d 4, 2-D 6)
}

// For returns o with its unset fields set to the defaults of problem.
func (o Options) For(problem string) Options {
	r := registry[problem]
	if o.Cells == 0 {
		o.Cells = r.cells
	}
	if o.Terms == 0 {
		o.Terms = r.terms
	}
	return o
}

// Validate reports a bad value as a *run.FieldError named after its flag.
func (o Options) Validate() error {
	switch {
	case o.Cells < 0:
		return run.Invalid("cells", o.Cells, "want a positive number of cells (0: the problem's default)")
	case o.Terms < 0:
		return run.Invalid("terms", o.Terms, "want a positive number of terms (0: the problem's default)")
	}
	return nil
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

// registry holds the finite-element problems with their default sizes.
var registry = map[string]struct {
	build        func(Options) *Problem
	cells, terms int
}{
	"poisson1d":   {poisson1D, 32, 4},
	"poisson2d":   {poisson2D, 24, 6},
	"nonlinear2d": {nonlinear2D, 24, 6},
}

// checkProblem reports an unknown problem or bad options for it.
func checkProblem(name string, opt Options) error {
	if _, ok := registry[name]; !ok && name != "heat" {
		return run.Invalid("problem", name, "unknown problem (have %s)", strings.Join(Problems(), ", "))
	}
	if name == "heat" && opt != (Options{}) {
		return run.Invalid(map[bool]string{true: "cells", false: "terms"}[opt.Cells != 0], nil, "the heat problem has no mesh or KL expansion to size")
	}
	return opt.Validate()
}

// NewProblem returns the named problem ("poisson1d", "poisson2d", "nonlinear2d") with
// opt (unset fields: the problem's defaults).
func NewProblem(name string, opt Options) (*Problem, error) {
	if name == "heat" {
		return nil, fmt.Errorf("pddlvm: heat is not a finite-element problem (use Run or NewHeat)")
	}
	opt = opt.For(name)
	if err := checkProblem(name, opt); err != nil {
		return nil, err
	}
	return registry[name].build(opt), nil
}

// poisson1D is −(κ u')' = 1 on (0, 1), u(0) = 0, u(1) = 0.5 (the forcing and boundary
// values of the paper's code), log κ a Gaussian field with squared-exponential
// covariance (σ = 0.5, ℓ = 0.2), d = 4 KL terms, 32 cells.
func poisson1D(opt Options) *Problem {
	kl := NewKL(1, opt.Terms, 0, 0.5, 0.2, SquaredExponential)
	d := NewDisc(mesh.Interval(opt.Cells, 0, 1), kl, nil,
		func([]float64) float64 { return 1 },
		func(x []float64) float64 { return 0.5 * x[0] })
	return &Problem{Name: "poisson1d", Disc: d, UScale: 0.5}
}

// poisson2D is −∇·(κ∇u) = 1 on the unit square, u = 0 on the boundary, log κ a
// Gaussian field with exponential covariance (σ = 0.5, ℓ = 0.5), d = 6 KL terms,
// 24×24 squares cut in triangles.
func poisson2D(opt Options) *Problem {
	kl := NewKL(2, opt.Terms, 0, 0.5, 0.5, Exponential)
	d := NewDisc(mesh.UnitSquare(opt.Cells), kl, nil,
		func([]float64) float64 { return 1 }, nil)
	return &Problem{Name: "poisson2d", Disc: d, UScale: 0.07}
}

// nonlinear2D is −∇·(κ(x; θ)(1 + u²)∇u) = 10 on the unit square, u = 0 on the
// boundary, with the field of poisson2d.
func nonlinear2D(opt Options) *Problem {
	kl := NewKL(2, opt.Terms, 0, 0.5, 0.5, Exponential)
	d := NewDisc(mesh.UnitSquare(opt.Cells), kl, &Nonlinearity{Beta: 1},
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
