package mesh

import (
	"fmt"
	"math"
	"slices"
)

// Mesh is a conforming simplicial mesh: intervals in 1-D, triangles in 2-D.
//
// Node coordinates are stored flat, Dim values per node; cells list Dim+1 node
// indices each. Boundary facets (points in 1-D, edges in 2-D) carry an integer
// tag: the Gmsh physical tag when read from a file, or a side number for the
// structured meshes (see Interval and Rectangle).
type Mesh struct {
	Dim   int       // spatial and topological dimension, 1 or 2
	X     []float64 // node coordinates, Dim per node
	Cells []int32   // cell nodes, Dim+1 per cell
	// CellTags holds one tag per cell (Gmsh physical tag; 0 for generated meshes).
	CellTags []int32
	// Facets lists the boundary facets, Dim nodes per facet (a point in 1-D, an edge in 2-D).
	Facets []int32
	// FacetTags holds one tag per boundary facet.
	FacetTags []int32
}

// Side tags given by Interval and Rectangle to boundary facets.
const (
	Left   = 1 // x = x0
	Right  = 2 // x = x1
	Bottom = 3 // y = y0
	Top    = 4 // y = y1
)

// NumNodes returns the number of nodes.
func (m *Mesh) NumNodes() int { return len(m.X) / m.Dim }

// NumCells returns the number of cells.
func (m *Mesh) NumCells() int { return len(m.Cells) / (m.Dim + 1) }

// NumFacets returns the number of boundary facets.
func (m *Mesh) NumFacets() int { return len(m.Facets) / m.Dim }

// Node returns the coordinates of node i (a slice of m.X).
func (m *Mesh) Node(i int) []float64 { return m.X[i*m.Dim : (i+1)*m.Dim] }

// Cell returns the nodes of cell c (a slice of m.Cells).
func (m *Mesh) Cell(c int) []int32 { return m.Cells[c*(m.Dim+1) : (c+1)*(m.Dim+1)] }

// Interval returns the mesh of [a, b] with n equal cells. Node i is at
// a + i(b-a)/n; the boundary points are tagged Left and Right.
func Interval(n int, a, b float64) *Mesh {
	if n < 1 || !(b > a) {
		panic(fmt.Sprintf("mesh: Interval(%d, %g, %g): need n >= 1 and b > a", n, a, b))
	}
	m := &Mesh{Dim: 1, X: make([]float64, n+1), Cells: make([]int32, 2*n), CellTags: make([]int32, n)}
	for i := 0; i <= n; i++ {
		m.X[i] = a + (b-a)*float64(i)/float64(n)
	}
	m.X[n] = b
	for c := 0; c < n; c++ {
		m.Cells[2*c], m.Cells[2*c+1] = int32(c), int32(c+1)
	}
	m.Facets = []int32{0, int32(n)}
	m.FacetTags = []int32{Left, Right}
	return m
}

// Diagonal says how each rectangle of a structured triangle mesh is cut.
type Diagonal int

const (
	// DiagonalRight cuts each rectangle from lower left to upper right (FEniCS "right").
	DiagonalRight Diagonal = iota
	// DiagonalLeft cuts each rectangle from lower right to upper left (FEniCS "left").
	DiagonalLeft
)

// Rectangle returns a structured triangle mesh of [x0,x1]×[y0,y1] with nx×ny
// rectangles, each cut in two triangles along diag.
//
// The node and cell order is that of DOLFINx's create_rectangle (and
// create_unit_square) with the same diagonal, before DOLFINx reorders them:
// node iy*(nx+1)+ix is at (x0+ix·dx, y0+iy·dy), and rectangle (ix, iy) with
// corners v0 = iy*(nx+1)+ix, v1 = v0+1, v2 = v0+nx+1, v3 = v2+1 gives cells
// 2(iy*nx+ix) = {v0,v1,v3} and 2(iy*nx+ix)+1 = {v0,v2,v3} for DiagonalRight
// ({v0,v1,v2}, {v1,v2,v3} for DiagonalLeft). Boundary edges are tagged
// Left, Right, Bottom and Top (corners belong to both sides' edges).
func Rectangle(x0, y0, x1, y1 float64, nx, ny int, diag Diagonal) *Mesh {
	if nx < 1 || ny < 1 || !(x1 > x0) || !(y1 > y0) {
		panic(fmt.Sprintf("mesh: Rectangle(%g,%g,%g,%g,%d,%d): need nx, ny >= 1 and a non-empty box", x0, y0, x1, y1, nx, ny))
	}
	nn := (nx + 1) * (ny + 1)
	m := &Mesh{Dim: 2, X: make([]float64, 2*nn), Cells: make([]int32, 0, 6*nx*ny), CellTags: make([]int32, 2*nx*ny)}
	dx, dy := (x1-x0)/float64(nx), (y1-y0)/float64(ny)
	for iy := 0; iy <= ny; iy++ {
		for ix := 0; ix <= nx; ix++ {
			v := iy*(nx+1) + ix
			m.X[2*v] = x0 + dx*float64(ix)
			m.X[2*v+1] = y0 + dy*float64(iy)
		}
	}
	for iy := 0; iy < ny; iy++ {
		for ix := 0; ix < nx; ix++ {
			v0 := int32(iy*(nx+1) + ix)
			v1 := v0 + 1
			v2 := v0 + int32(nx+1)
			v3 := v1 + int32(nx+1)
			if diag == DiagonalLeft {
				m.Cells = append(m.Cells, v0, v1, v2, v1, v2, v3)
			} else {
				m.Cells = append(m.Cells, v0, v1, v3, v0, v2, v3)
			}
		}
	}
	idx := func(ix, iy int) int32 { return int32(iy*(nx+1) + ix) }
	for ix := 0; ix < nx; ix++ {
		m.Facets = append(m.Facets, idx(ix, 0), idx(ix+1, 0))
		m.FacetTags = append(m.FacetTags, Bottom)
	}
	for iy := 0; iy < ny; iy++ {
		m.Facets = append(m.Facets, idx(nx, iy), idx(nx, iy+1))
		m.FacetTags = append(m.FacetTags, Right)
	}
	for ix := 0; ix < nx; ix++ {
		m.Facets = append(m.Facets, idx(ix, ny), idx(ix+1, ny))
		m.FacetTags = append(m.FacetTags, Top)
	}
	for iy := 0; iy < ny; iy++ {
		m.Facets = append(m.Facets, idx(0, iy), idx(0, iy+1))
		m.FacetTags = append(m.FacetTags, Left)
	}
	return m
}

// UnitSquare returns Rectangle(0, 0, 1, 1, n, n, DiagonalRight), the layout of
// DOLFINx's create_unit_square(comm, n, n, diagonal=DiagonalType.right).
func UnitSquare(n int) *Mesh { return Rectangle(0, 0, 1, 1, n, n, DiagonalRight) }

// Edge is an undirected mesh edge with A < B.
type Edge struct{ A, B int32 }

// Edges numbers the edges of a 2-D mesh: it returns the edge list (in order of
// first appearance over cells, local edges (1,2), (0,2), (0,1) of each cell) and,
// per cell, the indices of its three edges in that local order (opposite to
// local vertex 0, 1, 2).
func (m *Mesh) Edges() (edges []Edge, cellEdges []int32) {
	if m.Dim != 2 {
		panic("mesh: Edges needs a 2-D mesh")
	}
	nc := m.NumCells()
	cellEdges = make([]int32, 3*nc)
	// Count edges per smaller vertex to hash without maps.
	nn := m.NumNodes()
	start := make([]int32, nn+1)
	for c := 0; c < nc; c++ {
		v := m.Cell(c)
		for k := 0; k < 3; k++ {
			a, b := v[(k+1)%3], v[(k+2)%3]
			if a > b {
				a = b
			}
			start[a+1]++
		}
	}
	for i := 0; i < nn; i++ {
		start[i+1] += start[i]
	}
	// slots hold candidate partner vertex and edge id; at most start[a+1]-start[a] per a.
	other := make([]int32, start[nn])
	id := make([]int32, start[nn])
	fill := make([]int32, nn)
	edges = make([]Edge, 0, nn*3)
	for c := 0; c < nc; c++ {
		v := m.Cell(c)
		for k := 0; k < 3; k++ {
			a, b := v[(k+1)%3], v[(k+2)%3]
			if a > b {
				a, b = b, a
			}
			s := start[a]
			e := int32(-1)
			for j := s; j < s+fill[a]; j++ {
				if other[j] == b {
					e = id[j]
					break
				}
			}
			if e < 0 {
				e = int32(len(edges))
				edges = append(edges, Edge{a, b})
				other[s+fill[a]] = b
				id[s+fill[a]] = e
				fill[a]++
			}
			cellEdges[3*c+k] = e
		}
	}
	return edges, cellEdges
}

// BoundaryFacets computes the boundary facets of m from its cells: the facets
// (points in 1-D, edges in 2-D) that belong to exactly one cell. It ignores
// m.Facets, and is used to check meshes read from files.
func (m *Mesh) BoundaryFacets() []int32 {
	if m.Dim == 1 {
		count := make([]int, m.NumNodes())
		for _, v := range m.Cells {
			count[v]++
		}
		var f []int32
		for i, c := range count {
			if c == 1 {
				f = append(f, int32(i))
			}
		}
		return f
	}
	edges, ce := m.Edges()
	count := make([]int, len(edges))
	for _, e := range ce {
		count[e]++
	}
	var f []int32
	for i, e := range edges {
		if count[i] == 1 {
			f = append(f, e.A, e.B)
		}
	}
	return f
}

// Check verifies that m is well formed: dimensions, node indices in range,
// finite coordinates, and cells of non-zero measure. Meshes from files are checked
// by the readers; generated ones are correct by construction.
func (m *Mesh) Check() error {
	if m.Dim != 1 && m.Dim != 2 {
		return fmt.Errorf("mesh: dimension %d, want 1 or 2", m.Dim)
	}
	if len(m.X)%m.Dim != 0 || len(m.Cells)%(m.Dim+1) != 0 || len(m.Facets)%m.Dim != 0 {
		return fmt.Errorf("mesh: array lengths not multiples of the cell sizes")
	}
	if m.NumCells() == 0 {
		return fmt.Errorf("mesh: no cells")
	}
	for i, x := range m.X {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("mesh: node %d has non-finite coordinate %g", i/m.Dim, x)
		}
	}
	nn := int32(m.NumNodes())
	for i, v := range m.Cells {
		if v < 0 || v >= nn {
			return fmt.Errorf("mesh: cell %d refers to node %d of %d", i/(m.Dim+1), v, nn)
		}
	}
	for i, v := range m.Facets {
		if v < 0 || v >= nn {
			return fmt.Errorf("mesh: facet %d refers to node %d of %d", i/m.Dim, v, nn)
		}
	}
	for c := 0; c < m.NumCells(); c++ {
		if m.CellMeasure(c) == 0 {
			return fmt.Errorf("mesh: cell %d (nodes %v) is degenerate", c, m.Cell(c))
		}
	}
	return nil
}

// CellMeasure returns the signed length (1-D) or signed area (2-D) of cell c.
func (m *Mesh) CellMeasure(c int) float64 {
	v := m.Cell(c)
	if m.Dim == 1 {
		return m.X[v[1]] - m.X[v[0]]
	}
	ax, ay := m.X[2*v[0]], m.X[2*v[0]+1]
	bx, by := m.X[2*v[1]], m.X[2*v[1]+1]
	cx, cy := m.X[2*v[2]], m.X[2*v[2]+1]
	return 0.5 * ((bx-ax)*(cy-ay) - (cx-ax)*(by-ay))
}

// MaxCellSize returns h, the largest cell diameter (longest edge).
func (m *Mesh) MaxCellSize() float64 {
	h := 0.0
	for c := 0; c < m.NumCells(); c++ {
		v := m.Cell(c)
		for i := range v {
			for j := i + 1; j < len(v); j++ {
				d := 0.0
				for k := 0; k < m.Dim; k++ {
					t := m.X[int(v[i])*m.Dim+k] - m.X[int(v[j])*m.Dim+k]
					d += t * t
				}
				h = math.Max(h, math.Sqrt(d))
			}
		}
	}
	return h
}

// FacetsWithTag returns the boundary facets (Dim nodes each) whose tag is in tags;
// with no tags it returns all boundary facets.
func (m *Mesh) FacetsWithTag(tags ...int32) []int32 {
	if len(tags) == 0 {
		return m.Facets
	}
	var f []int32
	for i, t := range m.FacetTags {
		if slices.Contains(tags, t) {
			f = append(f, m.Facets[i*m.Dim:(i+1)*m.Dim]...)
		}
	}
	return f
}
