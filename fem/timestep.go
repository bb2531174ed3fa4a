package fem

import (
	"fmt"

	"github.com/ergml/erg/fem/sparse"
)

// Lift imposes the condition on a right-hand side b for a matrix a that is
// not itself modified: b_i −= Σ_{j∈D} a_ij g_j on free rows, b_D = g. Together
// with ApplyMatrix on a copy of a, it reproduces Apply while letting the
// constrained matrix (and its preconditioner) be reused across time steps.
func (bc Dirichlet) Lift(a *sparse.CSR, b []float64) {
	if len(bc.Dofs) == 0 {
		return
	}
	n := a.Rows
	fixed := bc.Mask(n)
	g := make([]float64, n)
	for k, i := range bc.Dofs {
		g[i] = bc.Values[k]
	}
	for i := 0; i < n; i++ {
		if fixed[i] {
			continue
		}
		for p := a.RowPtr[i]; p < a.RowPtr[i+1]; p++ {
			if j := a.ColIdx[p]; fixed[j] {
				b[i] -= a.Val[p] * g[j]
			}
		}
	}
	bc.Set(b)
}

// Heat is the heat equation u_t − ∇·(κ∇u) = f(t) with u = g(t) on Dirichlet
// dofs, discretised in time by the θ-method (implicit: θ = 1 backward Euler,
// θ = ½ Crank–Nicolson):
//
//	(M + θΔt K) uⁿ⁺¹ = (M − (1−θ)Δt K) uⁿ + Δt (θ fⁿ⁺¹ + (1−θ) fⁿ).
//
// The matrix is assembled and preconditioned once.
type Heat struct {
	Space *Space
	Kappa Field // nil: 1
	// F returns the source at time t (nil: no source).
	F func(t float64) Field
	// Dirichlet returns the boundary condition at time t (nil: none, so the
	// boundary is insulated). Its dofs must not change with t.
	Dirichlet func(t float64) Dirichlet
	Dt        float64
	// Theta is the implicitness θ in (0, 1]; zero means 1 (backward Euler).
	Theta float64
}

// Run advances u0 from time t0 by steps steps and returns u at t0 + steps·Δt.
// each, if not nil, is called after every step with the step number, time and
// solution (which it must not keep).
func (h *Heat) Run(u0 []float64, t0 float64, steps int, opt SolverOptions, each func(step int, t float64, u []float64)) ([]float64, Stats, error) {
	s := h.Space
	if h.Dt <= 0 {
		panic(fmt.Sprintf("fem: Heat.Dt = %g, want > 0", h.Dt))
	}
	theta := h.Theta
	if theta == 0 {
		theta = 1
	}
	m := s.Mass(nil)
	k := s.Stiffness(h.Kappa)
	lhs := s.Pattern()
	rhsM := s.Pattern() // M − (1−θ)Δt K
	for i := range lhs.Val {
		lhs.Val[i] = m.Val[i] + theta*h.Dt*k.Val[i]
		rhsM.Val[i] = m.Val[i] - (1-theta)*h.Dt*k.Val[i]
	}
	var bc Dirichlet
	if h.Dirichlet != nil {
		bc = h.Dirichlet(t0 + h.Dt)
	}
	nfixed := len(bc.Dofs)
	lc := lhs.Clone()
	bc.ApplyMatrix(lc)
	var pre sparse.Preconditioner
	var lu *sparse.BandLU
	var err error
	if opt.Method == Direct {
		lu, err = sparse.NewBandLU(lc, true)
	} else {
		pre, err = opt.preconditioner(lc)
	}
	if err != nil {
		return nil, Stats{}, err
	}
	u := append([]float64(nil), u0...)
	b := make([]float64, s.N)
	var work sparse.CGWork
	total := Stats{Method: opt.Method.String()}
	t := t0
	for n := 1; n <= steps; n++ {
		tn := t0 + float64(n)*h.Dt
		rhsM.MulVec(b, u)
		if h.F != nil {
			s.AddLoad(b, h.F(tn), theta*h.Dt)
			if theta < 1 {
				s.AddLoad(b, h.F(t), (1-theta)*h.Dt)
			}
		}
		if h.Dirichlet != nil {
			bc = h.Dirichlet(tn)
			if len(bc.Dofs) != nfixed {
				panic("fem: Heat: the Dirichlet dofs changed with time")
			}
			bc.Lift(lhs, b)
		}
		if lu != nil {
			lu.Solve(u, b)
		} else {
			r, err := sparse.CG(lc, b, u, pre, sparse.CGOptions{Tol: nonzero(opt.Tol, 1e-12), MaxIter: opt.MaxIter}, &work)
			total.Iterations += r.Iterations
			total.Residual = r.Residual
			if err != nil {
				return u, total, fmt.Errorf("fem: heat step %d: %w", n, err)
			}
		}
		t = tn
		if each != nil {
			each(n, t, u)
		}
	}
	return u, total, nil
}

// ReactionDiffusion is u_t − ∇·(κ∇u) + R(u) = f(t) with u = g(t) on Dirichlet
// dofs (nil: none, zero flux), advanced by backward Euler with Newton's method
// at every step on
//
//	G(u) = M(u − uⁿ)/Δt + K u + ∫ R(u)φ_i dx − ∫ f φ_i dx = 0,
//	J = M/Δt + K + ∫ R'(u)φ_jφ_i dx.
type ReactionDiffusion struct {
	Space *Space
	Kappa Field
	// R and DR are the reaction term and its derivative (e.g. Allen–Cahn u³ − u, 3u² − 1).
	R, DR func(u float64) float64
	// RDegree is the polynomial degree of R for an exact quadrature (0: 3).
	RDegree   int
	F         func(t float64) Field
	Dirichlet func(t float64) Dirichlet
	Dt        float64

	// per-step state
	un []float64
	m  *sparse.CSR
	k  *sparse.CSR
	fb []float64
	bc Dirichlet
}

func (p *ReactionDiffusion) space() *Space        { return p.Space }
func (p *ReactionDiffusion) dirichlet() Dirichlet { return p.bc }
func (p *ReactionDiffusion) symmetric() bool      { return true }

func (p *ReactionDiffusion) tab() *tab {
	s := p.Space
	if s.QuadDegree > 0 {
		return s.tab(s.QuadDegree)
	}
	rd := p.RDegree
	if rd == 0 {
		rd = 3
	}
	return s.tab(max(2*s.Elem.Degree, (rd+1)*s.Elem.Degree))
}

func (p *ReactionDiffusion) residual(r, u []float64) {
	s := p.Space
	p.k.MulVec(r, u)
	tmp := make([]float64, s.N)
	for i := range tmp {
		tmp[i] = (u[i] - p.un[i]) / p.Dt
	}
	mv := make([]float64, s.N)
	p.m.MulVec(mv, tmp)
	for i := range r {
		r[i] += mv[i] - p.fb[i]
	}
	// reaction
	nd := s.Local
	t := p.tab()
	w := s.newWork(t)
	for c := 0; c < s.Mesh.NumCells(); c++ {
		s.geom(c, &w.g)
		dofs := s.Cell(c)
		for q, wq := range t.q.Weights {
			phi := t.phi[q*nd : (q+1)*nd]
			uq := 0.0
			for a, i := range dofs {
				uq += phi[a] * u[i]
			}
			f := wq * w.g.det * p.R(uq)
			for a, i := range dofs {
				r[i] += f * phi[a]
			}
		}
	}
	for k, i := range p.bc.Dofs {
		r[i] = u[i] - p.bc.Values[k]
	}
}

func (p *ReactionDiffusion) jacobian(j *sparse.CSR, u []float64) {
	s := p.Space
	for i := range j.Val {
		j.Val[i] = p.m.Val[i]/p.Dt + p.k.Val[i]
	}
	nd := s.Local
	t := p.tab()
	w := s.newWork(t)
	me := make([]float64, nd*nd)
	for c := 0; c < s.Mesh.NumCells(); c++ {
		s.geom(c, &w.g)
		dofs := s.Cell(c)
		clear(me)
		for q, wq := range t.q.Weights {
			phi := t.phi[q*nd : (q+1)*nd]
			uq := 0.0
			for a, i := range dofs {
				uq += phi[a] * u[i]
			}
			f := wq * w.g.det * p.DR(uq)
			for a := 0; a < nd; a++ {
				for b := 0; b < nd; b++ {
					me[a*nd+b] += f * phi[a] * phi[b]
				}
			}
		}
		s.scatter(j, c, me)
	}
	// symmetric elimination keeps CG usable: rows and columns of Dirichlet dofs
	// become unit vectors (the Newton correction vanishes there once u = g).
	p.bc.ApplyMatrix(j)
}

// Run advances u0 from t0 by steps backward-Euler steps and returns the final u.
// each, if not nil, is called after every step. The Newton options apply per step.
func (p *ReactionDiffusion) Run(u0 []float64, t0 float64, steps int, opt NewtonOptions, each func(step int, t float64, u []float64, st NewtonStats)) ([]float64, error) {
	s := p.Space
	if p.Dt <= 0 {
		panic(fmt.Sprintf("fem: ReactionDiffusion.Dt = %g, want > 0", p.Dt))
	}
	if p.R == nil || p.DR == nil {
		panic("fem: ReactionDiffusion needs R and DR")
	}
	p.m = s.Mass(nil)
	p.k = s.Stiffness(p.Kappa)
	u := append([]float64(nil), u0...)
	p.fb = make([]float64, s.N)
	if opt.Linear == nil {
		opt.Linear = &SolverOptions{Method: CGIC, Tol: 1e-13}
		if s.N <= 5000 {
			opt.Linear = &SolverOptions{Method: Direct}
		}
	}
	for n := 1; n <= steps; n++ {
		tn := t0 + float64(n)*p.Dt
		p.un = append(p.un[:0], u...)
		clear(p.fb)
		if p.F != nil {
			s.AddLoad(p.fb, p.F(tn), 1)
		}
		p.bc = Dirichlet{}
		if p.Dirichlet != nil {
			p.bc = p.Dirichlet(tn)
		}
		st, err := newton(p, u, opt)
		if err != nil {
			return u, fmt.Errorf("fem: reaction-diffusion step %d (t = %g): %w", n, tn, err)
		}
		if each != nil {
			each(n, tn, u, st)
		}
	}
	return u, nil
}
