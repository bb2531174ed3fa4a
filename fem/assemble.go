package fem

import (
	"fmt"
	"math"

	"github.com/ergml/erg/fem/sparse"
)

// qdeg returns the quadrature degree for a cell integral of polynomial degree base
// times coefficient f.
func (s *Space) qdeg(base int, f Field) int {
	if s.QuadDegree > 0 {
		return s.QuadDegree
	}
	return max(1, base+fieldDegree(f, s.Elem.Degree))
}

// cellWork holds per-cell scratch.
type cellWork struct {
	g    geom
	coef []float64
	grad []float64
	x    [2]float64
}

func (s *Space) newWork(t *tab) *cellWork {
	return &cellWork{coef: make([]float64, t.q.NumPoints()), grad: make([]float64, s.Local*s.Mesh.Dim)}
}

// ElementStiffness sets ke (Local×Local, row-major) to the element stiffness
// matrix of cell c, ∫_c κ ∇φ_a·∇φ_b dx; kappa nil means κ = 1.
func (s *Space) ElementStiffness(c int, kappa Field, ke []float64) {
	t := s.tab(s.qdeg(2*(s.Elem.Degree-1), kappa))
	s.elementStiffness(c, kappa, ke, t, s.newWork(t))
}

func (s *Space) elementStiffness(c int, kappa Field, ke []float64, t *tab, w *cellWork) {
	d, nd := s.Mesh.Dim, s.Local
	s.geom(c, &w.g)
	if kappa == nil {
		kappa = Const(1)
	}
	kappa.evalCell(s, c, &w.g, t, w.coef)
	clear(ke[:nd*nd])
	for q, wq := range t.q.Weights {
		w.g.grads(d, nd, t.dphi[q*nd*d:(q+1)*nd*d], w.grad)
		f := wq * w.g.det * w.coef[q]
		gr := w.grad
		if d == 1 {
			for a := 0; a < nd; a++ {
				fa := f * gr[a]
				for b := 0; b < nd; b++ {
					ke[a*nd+b] += fa * gr[b]
				}
			}
			continue
		}
		for a := 0; a < nd; a++ {
			ax, ay := f*gr[2*a], f*gr[2*a+1]
			for b := 0; b < nd; b++ {
				ke[a*nd+b] += ax*gr[2*b] + ay*gr[2*b+1]
			}
		}
	}
}

// ElementMass sets me to the element mass matrix ∫_c ρ φ_a φ_b dx (rho nil: 1).
func (s *Space) ElementMass(c int, rho Field, me []float64) {
	t := s.tab(s.qdeg(2*s.Elem.Degree, rho))
	s.elementMass(c, rho, me, t, s.newWork(t))
}

func (s *Space) elementMass(c int, rho Field, me []float64, t *tab, w *cellWork) {
	nd := s.Local
	s.geom(c, &w.g)
	if rho == nil {
		rho = Const(1)
	}
	rho.evalCell(s, c, &w.g, t, w.coef)
	clear(me[:nd*nd])
	for q, wq := range t.q.Weights {
		f := wq * w.g.det * w.coef[q]
		phi := t.phi[q*nd : (q+1)*nd]
		for a := 0; a < nd; a++ {
			fa := f * phi[a]
			for b := 0; b < nd; b++ {
				me[a*nd+b] += fa * phi[b]
			}
		}
	}
}

// ElementLoad sets fe to the element load vector ∫_c f φ_a dx.
func (s *Space) ElementLoad(c int, f Field, fe []float64) {
	t := s.tab(s.qdeg(s.Elem.Degree, f))
	s.elementLoad(c, f, fe, t, s.newWork(t))
}

func (s *Space) elementLoad(c int, f Field, fe []float64, t *tab, w *cellWork) {
	nd := s.Local
	s.geom(c, &w.g)
	f.evalCell(s, c, &w.g, t, w.coef)
	clear(fe[:nd])
	for q, wq := range t.q.Weights {
		v := wq * w.g.det * w.coef[q]
		phi := t.phi[q*nd : (q+1)*nd]
		for a := 0; a < nd; a++ {
			fe[a] += v * phi[a]
		}
	}
}

func (s *Space) checkMatrix(a *sparse.CSR) {
	s.setup()
	if a.Rows != s.N || len(a.Val) != len(s.pattern.Val) || &a.RowPtr[0] != &s.pattern.RowPtr[0] {
		panic(fmt.Sprintf("fem: matrix %dx%d was not made by this space's Pattern", a.Rows, a.Cols))
	}
}

// scatter adds the element matrix ke of cell c into a.
func (s *Space) scatter(a *sparse.CSR, c int, ke []float64) {
	L := s.Local
	pos := s.pos[c*L*L : (c+1)*L*L]
	for k, p := range pos {
		a.Val[p] += ke[k]
	}
}

// Stiffness returns the stiffness matrix K_ij = ∫ κ ∇φ_j·∇φ_i dx (kappa nil: 1).
func (s *Space) Stiffness(kappa Field) *sparse.CSR {
	a := s.Pattern()
	s.AddStiffness(a, kappa, 1)
	return a
}

// AddStiffness adds scale·K(κ) into a, which must come from s.Pattern.
func (s *Space) AddStiffness(a *sparse.CSR, kappa Field, scale float64) {
	s.checkMatrix(a)
	if s.Mesh.Dim == 2 && s.Elem.Degree == 1 && s.QuadDegree == 0 {
		s.addStiffnessP1(a, kappa, scale)
		return
	}
	t := s.tab(s.qdeg(2*(s.Elem.Degree-1), kappa))
	w := s.newWork(t)
	ke := make([]float64, s.Local*s.Local)
	nc := s.Mesh.NumCells()
	for c := 0; c < nc; c++ {
		s.elementStiffness(c, kappa, ke, t, w)
		if scale != 1 {
			for k := range ke {
				ke[k] *= scale
			}
		}
		s.scatter(a, c, ke)
	}
}

// addStiffnessP1 is the closed form for P1 triangles: ∇φ is constant, so
// K_e = |T|·mean(κ)·G Gᵀ, exact for constant and P1 nodal κ (the same
// as the one-point rule the generic path would use).
func (s *Space) addStiffnessP1(a *sparse.CSR, kappa Field, scale float64) {
	x := s.Mesh.X
	cells := s.Cells
	nc := len(cells) / 3
	var nodal Nodal
	kc := 1.0
	var fn Func
	switch k := kappa.(type) {
	case nil:
	case Const:
		kc = float64(k)
	case Nodal:
		if len(k) != s.N {
			panic("fem: Nodal field has the wrong length for the space")
		}
		nodal = k
	case Func:
		fn = k
	}
	val := a.Val
	pos := s.pos
	if fn != nil {
		// one-point rule is exact only for P1 κ; use the generic degree (3) rule
		t := s.tab(s.qdeg(0, kappa))
		w := s.newWork(t)
		ke := make([]float64, 9)
		for c := 0; c < nc; c++ {
			s.elementStiffness(c, kappa, ke, t, w)
			p := pos[9*c : 9*c+9]
			for k := range 9 {
				val[p[k]] += scale * ke[k]
			}
		}
		return
	}
	for c := 0; c < nc; c++ {
		i0, i1, i2 := cells[3*c], cells[3*c+1], cells[3*c+2]
		x0, y0 := x[2*i0], x[2*i0+1]
		x1, y1 := x[2*i1], x[2*i1+1]
		x2, y2 := x[2*i2], x[2*i2+1]
		// gradients times 2|T|: ∇λ0 ∝ (y1-y2, x2-x1), etc.
		g0x, g0y := y1-y2, x2-x1
		g1x, g1y := y2-y0, x0-x2
		g2x, g2y := y0-y1, x1-x0
		det := g2y*g1x - g1y*g2x // = 2|T| with sign
		k := kc
		if nodal != nil {
			k = (nodal[i0] + nodal[i1] + nodal[i2]) / 3
		}
		f := scale * k / (2 * abs(det)) // |T| / (2|T|)² = 1/(4|T|) = 1/(2|det|)
		k00 := f * (g0x*g0x + g0y*g0y)
		k01 := f * (g0x*g1x + g0y*g1y)
		k02 := f * (g0x*g2x + g0y*g2y)
		k11 := f * (g1x*g1x + g1y*g1y)
		k12 := f * (g1x*g2x + g1y*g2y)
		k22 := f * (g2x*g2x + g2y*g2y)
		p := pos[9*c : 9*c+9 : 9*c+9]
		val[p[0]] += k00
		val[p[1]] += k01
		val[p[2]] += k02
		val[p[3]] += k01
		val[p[4]] += k11
		val[p[5]] += k12
		val[p[6]] += k02
		val[p[7]] += k12
		val[p[8]] += k22
	}
}

// Mass returns the mass matrix M_ij = ∫ ρ φ_j φ_i dx (rho nil: 1).
func (s *Space) Mass(rho Field) *sparse.CSR {
	a := s.Pattern()
	s.AddMass(a, rho, 1)
	return a
}

// AddMass adds scale·M(ρ) into a, which must come from s.Pattern.
func (s *Space) AddMass(a *sparse.CSR, rho Field, scale float64) {
	s.checkMatrix(a)
	t := s.tab(s.qdeg(2*s.Elem.Degree, rho))
	w := s.newWork(t)
	me := make([]float64, s.Local*s.Local)
	nc := s.Mesh.NumCells()
	for c := 0; c < nc; c++ {
		s.elementMass(c, rho, me, t, w)
		if scale != 1 {
			for k := range me {
				me[k] *= scale
			}
		}
		s.scatter(a, c, me)
	}
}

// Load returns the load vector b_i = ∫ f φ_i dx.
func (s *Space) Load(f Field) []float64 {
	b := make([]float64, s.N)
	s.AddLoad(b, f, 1)
	return b
}

// AddLoad adds scale·∫ f φ_i dx into b.
func (s *Space) AddLoad(b []float64, f Field, scale float64) {
	if f == nil {
		return
	}
	if len(b) != s.N {
		panic(fmt.Sprintf("fem: AddLoad: vector of %d for %d dofs", len(b), s.N))
	}
	if c, ok := f.(Const); ok && c == 0 {
		return
	}
	if nd, ok := f.(Nodal); ok && s.Mesh.Dim == 2 && s.Elem.Degree == 1 && s.QuadDegree == 0 {
		// exact P1 mass action: |T|/12·(2 1 1; 1 2 1; 1 1 2) f
		x := s.Mesh.X
		cells := s.Cells
		for c := 0; c < len(cells)/3; c++ {
			i0, i1, i2 := cells[3*c], cells[3*c+1], cells[3*c+2]
			x0, y0 := x[2*i0], x[2*i0+1]
			det := (x[2*i1]-x0)*(x[2*i2+1]-y0) - (x[2*i2]-x0)*(x[2*i1+1]-y0)
			a := scale * abs(det) / 24
			f0, f1, f2 := nd[i0], nd[i1], nd[i2]
			sum := f0 + f1 + f2
			b[i0] += a * (f0 + sum)
			b[i1] += a * (f1 + sum)
			b[i2] += a * (f2 + sum)
		}
		return
	}
	t := s.tab(s.qdeg(s.Elem.Degree, f))
	w := s.newWork(t)
	fe := make([]float64, s.Local)
	nc := s.Mesh.NumCells()
	for c := 0; c < nc; c++ {
		s.elementLoad(c, f, fe, t, w)
		for a, i := range s.Cell(c) {
			b[i] += scale * fe[a]
		}
	}
}

// AddNeumann adds ∫_Γ g φ_i ds over the boundary facets of the mesh whose tag is
// in tags (all boundary facets if none) into b: the natural boundary term of
// −∇·(κ∇u) = f with κ ∂u/∂n = g on Γ.
func (s *Space) AddNeumann(b []float64, g Field, tags ...int32) {
	m := s.Mesh
	fd := s.FacetDofs()
	for i, tag := range m.FacetTags {
		if len(tags) > 0 && !containsTag(tags, tag) {
			continue
		}
		dofs := s.Facets[i*fd : (i+1)*fd]
		if m.Dim == 1 {
			b[dofs[0]] += fieldAtDof(g, s, int(dofs[0]))
			continue
		}
		// edge from A to B, parametrised by t in [0,1]; P2 midpoint dof third
		a, bb := dofs[0], dofs[1]
		ax, ay := m.X[2*a], m.X[2*a+1]
		ex, ey := m.X[2*bb]-ax, m.X[2*bb+1]-ay
		length := math.Sqrt(ex*ex + ey*ey)
		e1 := Element{Dim: 1, Degree: s.Elem.Degree}
		deg := 2 * s.Elem.Degree
		if _, ok := g.(Func); ok {
			deg = s.Elem.Degree + 4
		}
		q := QuadratureRule(1, deg)
		var phi [3]float64
		for k, wq := range q.Weights {
			tq := q.Points[k]
			e1.Eval(q.Points[k:k+1], phi[:], nil)
			var gv float64
			switch g := g.(type) {
			case Const:
				gv = float64(g)
			case Func:
				gv = g([]float64{ax + tq*ex, ay + tq*ey})
			case Nodal:
				for j, d := range dofs {
					gv += phi[j] * g[d]
				}
			}
			for j, d := range dofs {
				b[d] += wq * length * gv * phi[j]
			}
		}
	}
}

func containsTag(tags []int32, t int32) bool {
	for _, x := range tags {
		if x == t {
			return true
		}
	}
	return false
}
