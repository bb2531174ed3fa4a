package fem

import (
	"github.com/ergml/erg/fem/sparse"
)

// Neumann is a flux condition κ ∂u/∂n = G on the boundary facets whose tag is
// in Tags (all boundary facets when Tags is empty).
type Neumann struct {
	G    Field
	Tags []int32
}

// Poisson is the linear problem −∇·(κ∇u) = f in Ω with u = g on the Dirichlet
// dofs and κ ∂u/∂n = h on Neumann facets. Its weak form is
//
//	∫ κ ∇u·∇v dx = ∫ f v dx + ∫_Γ_N h v ds   for all v vanishing on Γ_D.
type Poisson struct {
	Space     *Space
	Kappa     Field // nil: κ = 1
	F         Field // nil: f = 0
	Dirichlet Dirichlet
	Neumann   []Neumann
}

// Assemble returns A(κ) and b with the Dirichlet condition applied symmetrically.
func (p *Poisson) Assemble() (*sparse.CSR, []float64) {
	a := p.Space.Pattern()
	b := make([]float64, p.Space.N)
	p.AssembleInto(a, b)
	return a, b
}

// AssembleInto overwrites a (from Space.Pattern) and b with the system, Dirichlet applied.
func (p *Poisson) AssembleInto(a *sparse.CSR, b []float64) {
	a.Zero()
	clear(b)
	p.Space.AddStiffness(a, p.Kappa, 1)
	p.rhs(b)
	p.Dirichlet.Apply(a, b)
}

func (p *Poisson) rhs(b []float64) {
	p.Space.AddLoad(b, p.F, 1)
	for _, n := range p.Neumann {
		p.Space.AddNeumann(b, n.G, n.Tags...)
	}
}

// Residual sets r = A(κ)u − b(f) on the free dofs and r = u − g on the
// Dirichlet dofs: the discrete PDE residual used by physics-driven models
// (PDDLVM, PINN-FEM hybrids). It is zero exactly at the Galerkin solution.
func (p *Poisson) Residual(r, u []float64) {
	a := p.Space.Pattern()
	p.Space.AddStiffness(a, p.Kappa, 1)
	a.MulVec(r, u)
	b := make([]float64, p.Space.N)
	p.rhs(b)
	for i := range r {
		r[i] -= b[i]
	}
	for k, i := range p.Dirichlet.Dofs {
		r[i] = u[i] - p.Dirichlet.Values[k]
	}
}

// Solve assembles and solves the problem.
func (p *Poisson) Solve(opt SolverOptions) ([]float64, Stats, error) {
	a, b := p.Assemble()
	u := make([]float64, p.Space.N)
	p.Dirichlet.Set(u)
	st, err := LinearSolve(a, b, u, opt)
	return u, st, err
}

// KappaGradient returns g_a = ∂(wᵀ A(κ) u)/∂κ_a = ∫ φ_a ∇u·∇w dx for a Nodal κ
// in this space: the adjoint building block for gradients of the residual with
// respect to nodal coefficient values θ.
func (s *Space) KappaGradient(u, w []float64) []float64 {
	g := make([]float64, s.N)
	d, nd := s.Mesh.Dim, s.Local
	t := s.tab(s.qdeg(2*(s.Elem.Degree-1), Nodal(nil)))
	wk := s.newWork(t)
	for c := 0; c < s.Mesh.NumCells(); c++ {
		s.geom(c, &wk.g)
		dofs := s.Cell(c)
		for q, wq := range t.q.Weights {
			wk.g.grads(d, nd, t.dphi[q*nd*d:(q+1)*nd*d], wk.grad)
			var gu, gw [2]float64
			for a, i := range dofs {
				for k := 0; k < d; k++ {
					gu[k] += u[i] * wk.grad[a*d+k]
					gw[k] += w[i] * wk.grad[a*d+k]
				}
			}
			dot := gu[0]*gw[0] + gu[1]*gw[1]
			f := wq * wk.g.det * dot
			phi := t.phi[q*nd : (q+1)*nd]
			for a, i := range dofs {
				g[i] += f * phi[a]
			}
		}
	}
	return g
}
