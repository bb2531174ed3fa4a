package fem

import (
	"fmt"

	"github.com/ergml/erg/fem/sparse"
)

// Method selects a linear solver.
type Method int

const (
	// CGIC is conjugate gradients with incomplete-Cholesky IC(0) preconditioning (default).
	CGIC Method = iota
	// CGJacobi is conjugate gradients with Jacobi (diagonal) preconditioning.
	CGJacobi
	// CGMIC is conjugate gradients with modified incomplete Cholesky MIC(0)
	// (dropped fill moved to the diagonal), which needs O(h^-1/2) rather than
	// O(h^-1) iterations on Poisson problems.
	CGMIC
	// Direct is the band LU factorisation after reverse Cuthill–McKee ordering,
	// for small systems and non-symmetric matrices.
	Direct
)

func (m Method) String() string {
	switch m {
	case CGIC:
		return "cg+ic0"
	case CGJacobi:
		return "cg+jacobi"
	case CGMIC:
		return "cg+mic0"
	case Direct:
		return "direct"
	}
	return fmt.Sprintf("Method(%d)", int(m))
}

// ParseMethod returns the Method named by s ("cg+ic0", "cg+jacobi", "direct").
func ParseMethod(s string) (Method, error) {
	for _, m := range []Method{CGIC, CGMIC, CGJacobi, Direct} {
		if m.String() == s {
			return m, nil
		}
	}
	return 0, fmt.Errorf("fem: unknown solver %q (want cg+ic0, cg+mic0, cg+jacobi or direct)", s)
}

// SolverOptions configures linear solves. The zero value is CG with IC(0) to a
// relative residual of 1e-10.
type SolverOptions struct {
	Method  Method
	Tol     float64 // relative residual tolerance of CG (0: 1e-10)
	MaxIter int     // CG iteration limit (0: 10n+100)
}

// Stats reports a solve.
type Stats struct {
	Method     string
	Iterations int     // CG iterations (Newton: total over steps)
	Residual   float64 // final relative residual of the last linear solve
}

// LinearSolve solves A x = b with the chosen method, starting CG from x.
func LinearSolve(a *sparse.CSR, b, x []float64, opt SolverOptions) (Stats, error) {
	return linearSolve(a, b, x, opt, nil)
}

func (opt SolverOptions) preconditioner(a *sparse.CSR) (sparse.Preconditioner, error) {
	switch opt.Method {
	case CGJacobi:
		return sparse.NewJacobi(a), nil
	case CGMIC, CGIC:
		w := 0.0
		if opt.Method == CGMIC {
			w = 1
		}
		ic, err := sparse.NewIC0(a, sparse.ICOptions{Modified: w})
		if err != nil {
			return nil, fmt.Errorf("fem: %w", err)
		}
		return ic, nil
	}
	return nil, nil
}

func linearSolve(a *sparse.CSR, b, x []float64, opt SolverOptions, work *sparse.CGWork) (Stats, error) {
	st := Stats{Method: opt.Method.String()}
	switch opt.Method {
	case Direct:
		f, err := sparse.NewBandLU(a, true)
		if err != nil {
			return st, fmt.Errorf("fem: direct solve: %w", err)
		}
		f.Solve(x, b)
		return st, nil
	case CGIC, CGMIC:
		var p pcg
		return p.solve(a, b, x, opt)
	case CGJacobi:
		m, err := opt.preconditioner(a)
		if err != nil {
			return st, err
		}
		r, err := sparse.CG(a, b, x, m, sparse.CGOptions{Tol: opt.Tol, MaxIter: opt.MaxIter}, work)
		st.Iterations, st.Residual = r.Iterations, r.Residual
		if err != nil {
			return st, fmt.Errorf("fem: %w", err)
		}
		return st, nil
	}
	panic(fmt.Sprintf("fem: unknown solver method %d", opt.Method))
}

// pcg solves with CG and incomplete Cholesky in the reverse Cuthill–McKee
// order: the matrix is permuted once (and its values re-gathered on later
// calls with the same pattern), so CG and the factorisation run on P A Pᵀ
// without permuting vectors at every iteration.
type pcg struct {
	rowPtr *int32 // identity of the pattern the state was built for
	perm   []int32
	pa     *sparse.CSR
	vmap   []int32
	ic     *sparse.IC0
	work   sparse.CGWork
	bp, xp []float64
}

func (p *pcg) solve(a *sparse.CSR, b, x []float64, opt SolverOptions) (Stats, error) {
	st := Stats{Method: opt.Method.String()}
	w := 0.0
	if opt.Method == CGMIC {
		w = 1
	}
	if p.rowPtr != &a.RowPtr[0] || len(p.vmap) != len(a.Val) {
		p.perm = sparse.RCM(a)
		p.pa, p.vmap = sparse.Permute(a, p.perm)
		ic, err := sparse.NewIC0(p.pa, sparse.ICOptions{NaturalOrder: true, Modified: w})
		if err != nil {
			return st, fmt.Errorf("fem: %w", err)
		}
		p.ic = ic
		p.rowPtr = &a.RowPtr[0]
		p.bp, p.xp = make([]float64, a.Rows), make([]float64, a.Rows)
	} else {
		for q, k := range p.vmap {
			p.pa.Val[q] = a.Val[k]
		}
		if err := p.ic.Refactor(p.pa); err != nil {
			return st, fmt.Errorf("fem: %w", err)
		}
	}
	for k, o := range p.perm {
		p.bp[k], p.xp[k] = b[o], x[o]
	}
	r, err := sparse.CG(p.pa, p.bp, p.xp, p.ic, sparse.CGOptions{Tol: opt.Tol, MaxIter: opt.MaxIter}, &p.work)
	for k, o := range p.perm {
		x[o] = p.xp[k]
	}
	st.Iterations, st.Residual = r.Iterations, r.Residual
	if err != nil {
		return st, fmt.Errorf("fem: %w", err)
	}
	return st, nil
}
