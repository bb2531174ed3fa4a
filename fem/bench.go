package fem

import (
	"math"
	"slices"
	"time"

	"github.com/ergml/erg/fem/mesh"
	"github.com/ergml/erg/fem/sparse"
)

// BenchProblem is the 2-D P1 Poisson problem of `erg bench fem` and of
// bench/peers/fem.py: −∇·(κ∇u) = f on the unit square (n×n, right diagonals),
// u = g on the boundary, with κ = 1 + ½sin(2πx)cos(πy), f = 10exp(−20|x−(0.4,0.6)|²),
// g = 1 + x² + 2y² interpolated into P1.
func BenchProblem(n int) *Poisson {
	s := NewSpace(mesh.UnitSquare(n), 1)
	return &Poisson{
		Space: s,
		Kappa: Nodal(s.Interpolate(func(x []float64) float64 {
			return 1 + 0.5*math.Sin(2*math.Pi*x[0])*math.Cos(math.Pi*x[1])
		})),
		F: Nodal(s.Interpolate(func(x []float64) float64 {
			dx, dy := x[0]-0.4, x[1]-0.6
			return 10 * math.Exp(-20*(dx*dx+dy*dy))
		})),
		Dirichlet: NewDirichlet(s, s.BoundaryDofs(), Func(func(x []float64) float64 { return 1 + x[0]*x[0] + 2*x[1]*x[1] })),
	}
}

// LinearSolver assembles and solves one Poisson problem repeatedly, reusing
// the matrix, vectors and solver workspace (as DOLFINx's LinearProblem does):
// the warm path that `erg bench fem` times.
type LinearSolver struct {
	P    *Poisson
	Opt  SolverOptions
	a    *sparse.CSR
	b, u []float64
	work sparse.CGWork
	pcg  pcg
}

// Solve assembles A and b, applies the Dirichlet condition, builds the
// preconditioner and solves from a zero start (boundary values set). The returned
// slice is owned by the solver and overwritten by the next call.
func (ls *LinearSolver) Solve() ([]float64, Stats, error) {
	p := ls.P
	if ls.a == nil {
		ls.a = p.Space.Pattern()
		ls.b = make([]float64, p.Space.N)
		ls.u = make([]float64, p.Space.N)
	}
	p.AssembleInto(ls.a, ls.b)
	clear(ls.u)
	p.Dirichlet.Set(ls.u)
	if m := ls.Opt.Method; m != CGIC && m != CGMIC {
		st, err := linearSolve(ls.a, ls.b, ls.u, ls.Opt, &ls.work)
		return ls.u, st, err
	}
	// Same pattern every call: reuse the ordering and symbolic factorisation.
	st, err := ls.pcg.solve(ls.a, ls.b, ls.u, ls.Opt)
	return ls.u, st, err
}

// Timing is the result of TimeSolve.
type Timing struct {
	N          int     // mesh size n (n×n squares)
	Dofs       int     // unknowns
	MedianMS   float64 // median wall time of one warm solve
	MinMS      float64
	Iterations int
	UMax       float64 // max of the solution (a check that both programs solved the same problem)
}

// TimeSolve times warm assemble+solve calls of the bench problem: one untimed
// call, then reps timed ones; it reports the median.
func TimeSolve(n, reps int, opt SolverOptions) (Timing, error) {
	ls := &LinearSolver{P: BenchProblem(n), Opt: opt}
	u, st, err := ls.Solve()
	if err != nil {
		return Timing{}, err
	}
	ts := make([]float64, reps)
	for i := range ts {
		t0 := time.Now()
		u, st, err = ls.Solve()
		ts[i] = float64(time.Since(t0).Nanoseconds()) / 1e6
		if err != nil {
			return Timing{}, err
		}
	}
	slices.Sort(ts)
	med := ts[len(ts)/2]
	if len(ts)%2 == 0 {
		med = (ts[len(ts)/2-1] + ts[len(ts)/2]) / 2
	}
	return Timing{N: n, Dofs: ls.P.Space.N, MedianMS: med, MinMS: ts[0], Iterations: st.Iterations, UMax: slices.Max(u)}, nil
}
