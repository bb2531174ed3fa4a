package fem

// A Field is a scalar coefficient of a form — κ(x; θ), f, a source or a
// boundary value: a constant (Const), a function of position (Func), or
// values at the dofs of the space being assembled (Nodal), interpolated with
// its basis. Nodal fields are how parameters θ enter: κ = Σ θ_a φ_a.
type Field interface {
	// degree returns the polynomial degree used to choose quadrature, for a space of degree p.
	degree(p int) int
	// evalCell sets out[q] to the field at the quadrature points of cell c.
	evalCell(s *Space, c int, g *geom, t *tab, out []float64)
}

// Const is a constant field.
type Const float64

// Func is a field given by a function of position x (Dim coordinates).
type Func func(x []float64) float64

// Nodal is a field given by its values at the dofs of the space it is assembled on.
type Nodal []float64

var (
	_ Field = Const(0)
	_ Field = Func(nil)
	_ Field = Nodal(nil)
)

func (Const) degree(int) int { return 0 }
func (f Const) evalCell(_ *Space, _ int, _ *geom, t *tab, out []float64) {
	for q := range t.q.Weights {
		out[q] = float64(f)
	}
}

func (Func) degree(p int) int { return p + 2 }
func (f Func) evalCell(s *Space, _ int, g *geom, t *tab, out []float64) {
	d := s.Mesh.Dim
	var x [2]float64
	for q := range t.q.Weights {
		g.phys(d, t.q.Points[q*d:(q+1)*d], x[:d])
		out[q] = f(x[:d])
	}
}

func (Nodal) degree(p int) int { return p }
func (f Nodal) evalCell(s *Space, c int, _ *geom, t *tab, out []float64) {
	if len(f) != s.N {
		panic("fem: Nodal field has the wrong length for the space")
	}
	dofs := s.Cell(c)
	nd := t.nd
	for q := range t.q.Weights {
		phi := t.phi[q*nd : (q+1)*nd]
		v := 0.0
		for a, i := range dofs {
			v += phi[a] * f[i]
		}
		out[q] = v
	}
}

func fieldDegree(f Field, p int) int {
	if f == nil {
		return 0
	}
	return f.degree(p)
}

// at returns the value of a Field at a point x that is a dof of s (used for
// boundary values): Nodal fields give their dof value.
func fieldAtDof(f Field, s *Space, i int) float64 {
	switch f := f.(type) {
	case nil:
		return 0
	case Const:
		return float64(f)
	case Func:
		return f(s.Dof(i))
	case Nodal:
		return f[i]
	}
	panic("fem: unknown Field type")
}
