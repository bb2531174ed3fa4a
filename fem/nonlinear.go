package fem

import (
	"fmt"
	"math"

	"github.com/ergml/erg/fem/sparse"
)

// NewtonOptions configures Newton's method. The zero value iterates until the
// residual norm falls below 1e-10 times its initial value (or 1e-13 absolute),
// at most 30 steps, solving each linear system directly when it has at most
// 5,000 unknowns and otherwise by BiCGSTAB with IC(0) to 1e-12.
type NewtonOptions struct {
	RTol, ATol float64
	MaxIter    int
	// Linear selects the linear solver of each step; its zero value means the
	// automatic choice above (Direct or BiCGSTAB). Direct, CGIC, CGMIC, CGJacobi
	// may be given (CG only for symmetric Jacobians).
	Linear *SolverOptions
}

// NewtonStats reports a Newton solve.
type NewtonStats struct {
	Iterations int
	// Residuals holds ‖F(u_k)‖₂ for k = 0..Iterations (Dirichlet rows included).
	Residuals []float64
	// LinearIterations sums the iterations of iterative linear solves.
	LinearIterations int
}

// nonlinearForm is a residual with its Jacobian on a space.
type nonlinearForm interface {
	space() *Space
	residual(r, u []float64)
	jacobian(j *sparse.CSR, u []float64)
	dirichlet() Dirichlet
	symmetric() bool
}

// newton solves F(u) = 0 starting from u (modified in place).
func newton(f nonlinearForm, u []float64, opt NewtonOptions) (NewtonStats, error) {
	s := f.space()
	if opt.RTol == 0 {
		opt.RTol = 1e-10
	}
	if opt.ATol == 0 {
		opt.ATol = 1e-13
	}
	if opt.MaxIter == 0 {
		opt.MaxIter = 30
	}
	f.dirichlet().Set(u)
	r := make([]float64, s.N)
	du := make([]float64, s.N)
	j := s.Pattern()
	var st NewtonStats
	f.residual(r, u)
	r0 := norm2(r)
	st.Residuals = append(st.Residuals, r0)
	for k := 0; k < opt.MaxIter; k++ {
		if rn := st.Residuals[k]; rn <= opt.ATol || rn <= opt.RTol*r0 {
			return st, nil
		}
		j.Zero()
		f.jacobian(j, u)
		// u = g holds on the Dirichlet dofs, so the correction vanishes there:
		// zero those columns too, which keeps the symmetric part definite for
		// incomplete-Cholesky preconditioning.
		f.dirichlet().ApplyMatrix(j)
		clear(du)
		var err error
		switch {
		case opt.Linear != nil:
			var ls Stats
			ls, err = LinearSolve(j, r, du, SolverOptions{Method: opt.Linear.Method, Tol: nonzero(opt.Linear.Tol, 1e-12), MaxIter: opt.Linear.MaxIter})
			st.LinearIterations += ls.Iterations
		case s.N <= 5000:
			_, err = LinearSolve(j, r, du, SolverOptions{Method: Direct})
		default:
			var ic *sparse.IC0
			ic, err = sparse.NewIC0(j, sparse.ICOptions{})
			if err == nil {
				var res sparse.Result
				res, err = sparse.BiCGSTAB(j, r, du, ic, sparse.CGOptions{Tol: 1e-12})
				st.LinearIterations += res.Iterations
			}
		}
		if err != nil {
			return st, fmt.Errorf("fem: Newton step %d: %w", k+1, err)
		}
		for i := range u {
			u[i] -= du[i]
		}
		f.residual(r, u)
		st.Iterations++
		st.Residuals = append(st.Residuals, norm2(r))
		if math.IsNaN(st.Residuals[k+1]) {
			return st, fmt.Errorf("fem: Newton diverged (NaN residual) at step %d", k+1)
		}
	}
	last := st.Residuals[len(st.Residuals)-1]
	if last <= opt.ATol || last <= opt.RTol*r0 {
		return st, nil
	}
	return st, fmt.Errorf("fem: Newton did not converge in %d steps: residual %.3g (initial %.3g)", opt.MaxIter, last, r0)
}

func nonzero(x, def float64) float64 {
	if x == 0 {
		return def
	}
	return x
}

func norm2(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v * v
	}
	return math.Sqrt(s)
}

// rowsToIdentity replaces the Dirichlet rows of j by unit rows.
func rowsToIdentity(j *sparse.CSR, bc Dirichlet) {
	for _, i := range bc.Dofs {
		for p := j.RowPtr[i]; p < j.RowPtr[i+1]; p++ {
			if j.ColIdx[p] == i {
				j.Val[p] = 1
			} else {
				j.Val[p] = 0
			}
		}
	}
}

// NonlinearPoisson is −∇·(q(u)∇u) = f with u = g on the Dirichlet dofs and
// q(u)∂u/∂n = h on Neumann facets; q(u) = 1 + u² unless Q is set. Its residual is
//
//	F_i(u) = ∫ q(u)∇u·∇φ_i dx − ∫ f φ_i dx − ∫_Γ_N h φ_i ds  (free dofs),
//	F_i(u) = u_i − g_i  (Dirichlet dofs),
//
// and Newton's method uses the exact Jacobian
// J_ij = ∫ q(u)∇φ_j·∇φ_i + q'(u)φ_j ∇u·∇φ_i dx.
type NonlinearPoisson struct {
	Space     *Space
	F         Field
	Dirichlet Dirichlet
	Neumann   []Neumann
	// Q and DQ are q(u) and q'(u); both nil means q = 1 + u².
	Q, DQ func(u float64) float64
	// QDegree is the polynomial degree of q in u, used to choose an exact
	// quadrature (0: 2, right for 1 + u²).
	QDegree int
}

func (p *NonlinearPoisson) space() *Space        { return p.Space }
func (p *NonlinearPoisson) dirichlet() Dirichlet { return p.Dirichlet }
func (p *NonlinearPoisson) symmetric() bool      { return false }

func (p *NonlinearPoisson) q(u float64) (float64, float64) {
	if p.Q == nil {
		return 1 + u*u, 2 * u
	}
	return p.Q(u), p.DQ(u)
}

func (p *NonlinearPoisson) tab() *tab {
	s := p.Space
	qd := p.QDegree
	if qd == 0 {
		qd = 2
	}
	if s.QuadDegree > 0 {
		return s.tab(s.QuadDegree)
	}
	return s.tab(max(1, qd*s.Elem.Degree+2*(s.Elem.Degree-1)))
}

// Residual sets r = F(u).
func (p *NonlinearPoisson) Residual(r, u []float64) { p.residual(r, u) }

func (p *NonlinearPoisson) residual(r, u []float64) {
	s := p.Space
	clear(r)
	d, nd := s.Mesh.Dim, s.Local
	t := p.tab()
	w := s.newWork(t)
	for c := 0; c < s.Mesh.NumCells(); c++ {
		s.geom(c, &w.g)
		dofs := s.Cell(c)
		for q, wq := range t.q.Weights {
			w.g.grads(d, nd, t.dphi[q*nd*d:(q+1)*nd*d], w.grad)
			phi := t.phi[q*nd : (q+1)*nd]
			uq := 0.0
			var gu [2]float64
			for a, i := range dofs {
				uq += phi[a] * u[i]
				for k := 0; k < d; k++ {
					gu[k] += u[i] * w.grad[a*d+k]
				}
			}
			qv, _ := p.q(uq)
			f := wq * w.g.det * qv
			for a, i := range dofs {
				gua := 0.0
				for k := 0; k < d; k++ {
					gua += gu[k] * w.grad[a*d+k]
				}
				r[i] += f * gua
			}
		}
	}
	b := make([]float64, s.N)
	s.AddLoad(b, p.F, 1)
	for _, n := range p.Neumann {
		s.AddNeumann(b, n.G, n.Tags...)
	}
	for i := range r {
		r[i] -= b[i]
	}
	for k, i := range p.Dirichlet.Dofs {
		r[i] = u[i] - p.Dirichlet.Values[k]
	}
}

// Jacobian overwrites j (from Space.Pattern) with ∂F/∂u at u.
func (p *NonlinearPoisson) Jacobian(j *sparse.CSR, u []float64) {
	j.Zero()
	p.jacobian(j, u)
}

func (p *NonlinearPoisson) jacobian(j *sparse.CSR, u []float64) {
	s := p.Space
	s.checkMatrix(j)
	d, nd := s.Mesh.Dim, s.Local
	t := p.tab()
	w := s.newWork(t)
	ke := make([]float64, nd*nd)
	for c := 0; c < s.Mesh.NumCells(); c++ {
		s.geom(c, &w.g)
		dofs := s.Cell(c)
		clear(ke)
		for q, wq := range t.q.Weights {
			w.g.grads(d, nd, t.dphi[q*nd*d:(q+1)*nd*d], w.grad)
			phi := t.phi[q*nd : (q+1)*nd]
			uq := 0.0
			var gu [2]float64
			for a, i := range dofs {
				uq += phi[a] * u[i]
				for k := 0; k < d; k++ {
					gu[k] += u[i] * w.grad[a*d+k]
				}
			}
			qv, dq := p.q(uq)
			f := wq * w.g.det
			gr := w.grad
			for a := 0; a < nd; a++ {
				// ∇u·∇φ_a and ∇φ_b·∇φ_a
				gua := 0.0
				for k := 0; k < d; k++ {
					gua += gu[k] * gr[a*d+k]
				}
				for b := 0; b < nd; b++ {
					gab := 0.0
					for k := 0; k < d; k++ {
						gab += gr[b*d+k] * gr[a*d+k]
					}
					ke[a*nd+b] += f * (qv*gab + dq*phi[b]*gua)
				}
			}
		}
		s.scatter(j, c, ke)
	}
	rowsToIdentity(j, p.Dirichlet)
}

// Solve runs Newton's method from u0 (nil: zero; boundary values are imposed
// first) and returns the solution.
func (p *NonlinearPoisson) Solve(u0 []float64, opt NewtonOptions) ([]float64, NewtonStats, error) {
	u := make([]float64, p.Space.N)
	if u0 != nil {
		copy(u, u0)
	}
	st, err := newton(p, u, opt)
	return u, st, err
}
