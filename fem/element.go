package fem

import "fmt"

// Element is a Lagrange element on a reference cell: the unit interval [0,1] or
// the triangle (0,0), (1,0), (0,1).
//
// Local degrees of freedom are ordered as in DOLFINx/Basix: vertices first, then
// for P2 the edge midpoints, edge k being opposite vertex k (edges (1,2), (0,2),
// (0,1)); on the interval the P2 midpoint comes after the two end points.
type Element struct {
	Dim    int // 1 or 2
	Degree int // 1 or 2
}

// NumDofs returns the number of local degrees of freedom.
func (e Element) NumDofs() int {
	switch {
	case e.Dim == 1:
		return e.Degree + 1
	case e.Degree == 1:
		return 3
	default:
		return 6
	}
}

// Eval sets phi[a] to the value of basis function a at reference point p and,
// when grad is not nil, grad[a*Dim+d] to its derivative in reference direction d.
func (e Element) Eval(p []float64, phi, grad []float64) {
	if e.Dim == 1 {
		x := p[0]
		if e.Degree == 1 {
			phi[0], phi[1] = 1-x, x
			if grad != nil {
				grad[0], grad[1] = -1, 1
			}
			return
		}
		phi[0], phi[1], phi[2] = (1-x)*(1-2*x), x*(2*x-1), 4*x*(1-x)
		if grad != nil {
			grad[0], grad[1], grad[2] = 4*x-3, 4*x-1, 4-8*x
		}
		return
	}
	x, y := p[0], p[1]
	l0, l1, l2 := 1-x-y, x, y
	if e.Degree == 1 {
		phi[0], phi[1], phi[2] = l0, l1, l2
		if grad != nil {
			copy(grad, []float64{-1, -1, 1, 0, 0, 1})
		}
		return
	}
	phi[0] = l0 * (2*l0 - 1)
	phi[1] = l1 * (2*l1 - 1)
	phi[2] = l2 * (2*l2 - 1)
	phi[3] = 4 * l1 * l2
	phi[4] = 4 * l0 * l2
	phi[5] = 4 * l0 * l1
	if grad != nil {
		// d l0 = (-1,-1), d l1 = (1,0), d l2 = (0,1)
		g0 := 4*l0 - 1
		grad[0], grad[1] = -g0, -g0
		grad[2], grad[3] = 4*l1-1, 0
		grad[4], grad[5] = 0, 4*l2-1
		grad[6], grad[7] = 4*l2, 4*l1
		grad[8], grad[9] = -4*l2, 4*(l0-l2)
		grad[10], grad[11] = 4*(l0-l1), -4*l1
	}
}

// tab holds basis values and reference gradients at the points of a rule.
type tab struct {
	q    *Quadrature
	nd   int
	phi  []float64 // [q][a]
	dphi []float64 // [q][a][d]
}

func (e Element) tabulate(q *Quadrature) *tab {
	nd := e.NumDofs()
	t := &tab{q: q, nd: nd, phi: make([]float64, q.NumPoints()*nd), dphi: make([]float64, q.NumPoints()*nd*e.Dim)}
	for i := 0; i < q.NumPoints(); i++ {
		e.Eval(q.Points[i*e.Dim:(i+1)*e.Dim], t.phi[i*nd:(i+1)*nd], t.dphi[i*nd*e.Dim:(i+1)*nd*e.Dim])
	}
	return t
}

func checkElement(dim, degree int) {
	if (dim != 1 && dim != 2) || (degree != 1 && degree != 2) {
		panic(fmt.Sprintf("fem: no P%d element in dimension %d", degree, dim))
	}
}
