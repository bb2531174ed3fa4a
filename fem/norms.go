package fem

import "math"

// ErrorL2 returns ‖u_h − u‖_L2 for the finite-element function u_h (dof values)
// and the exact solution u, with a quadrature of degree 2p+4.
func (s *Space) ErrorL2(uh []float64, exact func(x []float64) float64) float64 {
	d, nd := s.Mesh.Dim, s.Local
	t := s.tab(2*s.Elem.Degree + 4)
	var g geom
	var x [2]float64
	sum := 0.0
	for c := 0; c < s.Mesh.NumCells(); c++ {
		s.geom(c, &g)
		dofs := s.Cell(c)
		for q, wq := range t.q.Weights {
			g.phys(d, t.q.Points[q*d:(q+1)*d], x[:d])
			v := 0.0
			for a, i := range dofs {
				v += t.phi[q*nd+a] * uh[i]
			}
			e := v - exact(x[:d])
			sum += wq * g.det * e * e
		}
	}
	return math.Sqrt(sum)
}

// ErrorH1 returns the H1 seminorm error ‖∇u_h − ∇u‖_L2; grad sets the exact
// gradient at x into its second argument.
func (s *Space) ErrorH1(uh []float64, grad func(x, g []float64)) float64 {
	d, nd := s.Mesh.Dim, s.Local
	t := s.tab(2*s.Elem.Degree + 4)
	w := s.newWork(t)
	var x, ge [2]float64
	sum := 0.0
	for c := 0; c < s.Mesh.NumCells(); c++ {
		s.geom(c, &w.g)
		dofs := s.Cell(c)
		for q, wq := range t.q.Weights {
			w.g.phys(d, t.q.Points[q*d:(q+1)*d], x[:d])
			w.g.grads(d, nd, t.dphi[q*nd*d:(q+1)*nd*d], w.grad)
			grad(x[:d], ge[:d])
			e2 := 0.0
			for k := 0; k < d; k++ {
				v := 0.0
				for a, i := range dofs {
					v += w.grad[a*d+k] * uh[i]
				}
				e2 += (v - ge[k]) * (v - ge[k])
			}
			sum += wq * w.g.det * e2
		}
	}
	return math.Sqrt(sum)
}
