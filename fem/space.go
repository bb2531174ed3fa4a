package fem

import (
	"fmt"
	"slices"
	"sync"

	"github.com/ergml/erg/fem/mesh"
	"github.com/ergml/erg/fem/sparse"
)

// Space is a continuous Lagrange finite-element space (P1 or P2) on a mesh.
//
// Degrees of freedom: P1 dofs are the mesh nodes (dof i is node i). P2 adds one
// dof per edge (2-D) or per cell (1-D), numbered after the nodes in order of
// first appearance over the cells.
type Space struct {
	Mesh   *mesh.Mesh
	Elem   Element
	N      int       // number of dofs
	Local  int       // dofs per cell
	Cells  []int32   // cell dofs, Local per cell, in the Element's local order
	X      []float64 // dof coordinates, Mesh.Dim per dof
	Facets []int32   // dofs of each boundary facet of Mesh.Facets (Dim + Degree - 1 per facet)

	// QuadDegree, if positive, fixes the quadrature degree of every cell
	// integral; zero chooses one per form (exact for polynomial coefficients).
	QuadDegree int

	once    sync.Once
	pattern *sparse.CSR
	pos     []int32 // per cell, Local×Local positions in pattern.Val
	tabs    sync.Map
}

// NewSpace returns the degree-p Lagrange space on m (p = 1 or 2).
func NewSpace(m *mesh.Mesh, p int) *Space {
	checkElement(m.Dim, p)
	s := &Space{Mesh: m, Elem: Element{Dim: m.Dim, Degree: p}}
	s.Local = s.Elem.NumDofs()
	nn, nc, d := m.NumNodes(), m.NumCells(), m.Dim
	if p == 1 {
		s.N = nn
		s.Cells = m.Cells
		s.X = m.X
		s.Facets = m.Facets
		return s
	}
	s.Cells = make([]int32, s.Local*nc)
	if d == 1 {
		s.N = nn + nc
		s.X = make([]float64, s.N)
		copy(s.X, m.X)
		for c := 0; c < nc; c++ {
			v := m.Cell(c)
			s.Cells[3*c], s.Cells[3*c+1], s.Cells[3*c+2] = v[0], v[1], int32(nn+c)
			s.X[nn+c] = (m.X[v[0]] + m.X[v[1]]) / 2
		}
		s.Facets = m.Facets
		return s
	}
	edges, ce := m.Edges()
	s.N = nn + len(edges)
	s.X = make([]float64, 2*s.N)
	copy(s.X, m.X)
	for i, e := range edges {
		s.X[2*(nn+i)] = (m.X[2*e.A] + m.X[2*e.B]) / 2
		s.X[2*(nn+i)+1] = (m.X[2*e.A+1] + m.X[2*e.B+1]) / 2
	}
	for c := 0; c < nc; c++ {
		v := m.Cell(c)
		copy(s.Cells[6*c:], v)
		for k := 0; k < 3; k++ {
			s.Cells[6*c+3+k] = int32(nn) + ce[3*c+k]
		}
	}
	// facet dofs: the two nodes and the edge dof
	eid := make(map[mesh.Edge]int32, 4*len(m.Facets)/2)
	for _, f := range facetPairs(m.Facets) {
		eid[f] = -1
	}
	for i, e := range edges {
		if _, ok := eid[e]; ok {
			eid[e] = int32(nn + i)
		}
	}
	s.Facets = make([]int32, 0, 3*m.NumFacets())
	for i, f := range facetPairs(m.Facets) {
		e := eid[f]
		if e < 0 {
			panic(fmt.Sprintf("fem: boundary facet %d (%d,%d) is not an edge of any cell", i, f.A, f.B))
		}
		s.Facets = append(s.Facets, m.Facets[2*i], m.Facets[2*i+1], e)
	}
	return s
}

func facetPairs(f []int32) []mesh.Edge {
	out := make([]mesh.Edge, len(f)/2)
	for i := range out {
		a, b := f[2*i], f[2*i+1]
		if a > b {
			a, b = b, a
		}
		out[i] = mesh.Edge{A: a, B: b}
	}
	return out
}

// Cell returns the dofs of cell c.
func (s *Space) Cell(c int) []int32 { return s.Cells[c*s.Local : (c+1)*s.Local] }

// Dof returns the coordinates of dof i.
func (s *Space) Dof(i int) []float64 { return s.X[i*s.Mesh.Dim : (i+1)*s.Mesh.Dim] }

// FacetDofs returns the dofs per boundary facet.
func (s *Space) FacetDofs() int {
	if s.Mesh.Dim == 1 {
		return 1
	}
	return 1 + s.Elem.Degree
}

// Pattern returns a new zero matrix with the sparsity of the space's
// bilinear forms (computed once, shared between the matrices).
func (s *Space) Pattern() *sparse.CSR {
	s.setup()
	return s.pattern.CloneStructure()
}

func (s *Space) setup() {
	s.once.Do(func() {
		s.pattern = sparse.NewPattern(s.N, s.Local, s.Cells)
		nc := len(s.Cells) / s.Local
		L := s.Local
		s.pos = make([]int32, nc*L*L)
		for c := 0; c < nc; c++ {
			dofs := s.Cell(c)
			for a, i := range dofs {
				row := s.pattern.ColIdx[s.pattern.RowPtr[i]:s.pattern.RowPtr[i+1]]
				for b, j := range dofs {
					k, _ := slices.BinarySearch(row, j)
					s.pos[(c*L+a)*L+b] = s.pattern.RowPtr[i] + int32(k)
				}
			}
		}
	})
}

// Interpolate returns the nodal interpolant of f: its values at the dofs.
func (s *Space) Interpolate(f func(x []float64) float64) []float64 {
	u := make([]float64, s.N)
	for i := range u {
		u[i] = f(s.Dof(i))
	}
	return u
}

// BoundaryDofs returns the sorted dofs on the boundary facets whose tag is in
// tags (all boundary facets when tags is empty).
func (s *Space) BoundaryDofs(tags ...int32) []int32 {
	fd := s.FacetDofs()
	var out []int32
	for i, t := range s.Mesh.FacetTags {
		if len(tags) == 0 || slices.Contains(tags, t) {
			out = append(out, s.Facets[i*fd:(i+1)*fd]...)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// LocateDofs returns the sorted dofs whose coordinates satisfy marker.
func (s *Space) LocateDofs(marker func(x []float64) bool) []int32 {
	var out []int32
	for i := 0; i < s.N; i++ {
		if marker(s.Dof(i)) {
			out = append(out, int32(i))
		}
	}
	return out
}

func (s *Space) tab(deg int) *tab {
	if v, ok := s.tabs.Load(deg); ok {
		return v.(*tab)
	}
	t := s.Elem.tabulate(QuadratureRule(s.Mesh.Dim, deg))
	s.tabs.Store(deg, t)
	return t
}

// geom holds the affine map of one cell: x = x0 + J ξ.
type geom struct {
	x0   [2]float64
	j    [4]float64 // J row-major (Dim×Dim)
	kinv [4]float64 // J⁻ᵀ row-major: ∇φ = J⁻ᵀ ∇̂φ
	det  float64    // |det J|
}

func (s *Space) geom(c int, g *geom) {
	m := s.Mesh
	v := m.Cell(c)
	if m.Dim == 1 {
		a, b := m.X[v[0]], m.X[v[1]]
		g.x0[0] = a
		g.j[0] = b - a
		g.kinv[0] = 1 / (b - a)
		g.det = abs(b - a)
		return
	}
	x0, y0 := m.X[2*v[0]], m.X[2*v[0]+1]
	j00, j01 := m.X[2*v[1]]-x0, m.X[2*v[2]]-x0
	j10, j11 := m.X[2*v[1]+1]-y0, m.X[2*v[2]+1]-y0
	det := j00*j11 - j01*j10
	g.x0 = [2]float64{x0, y0}
	g.j = [4]float64{j00, j01, j10, j11}
	// J⁻¹ = [j11 -j01; -j10 j00]/det; J⁻ᵀ = [j11 -j10; -j01 j00]/det
	g.kinv = [4]float64{j11 / det, -j10 / det, -j01 / det, j00 / det}
	g.det = abs(det)
}

// phys maps reference point p to physical x.
func (g *geom) phys(dim int, p, x []float64) {
	if dim == 1 {
		x[0] = g.x0[0] + g.j[0]*p[0]
		return
	}
	x[0] = g.x0[0] + g.j[0]*p[0] + g.j[1]*p[1]
	x[1] = g.x0[1] + g.j[2]*p[0] + g.j[3]*p[1]
}

// grads sets physical gradients from reference gradients (nd×dim each).
func (g *geom) grads(dim, nd int, ref, out []float64) {
	if dim == 1 {
		for a := 0; a < nd; a++ {
			out[a] = g.kinv[0] * ref[a]
		}
		return
	}
	k := g.kinv
	for a := 0; a < nd; a++ {
		r0, r1 := ref[2*a], ref[2*a+1]
		out[2*a] = k[0]*r0 + k[1]*r1
		out[2*a+1] = k[2]*r0 + k[3]*r1
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
