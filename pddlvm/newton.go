package pddlvm

import (
	"fmt"
	"math"

	"github.com/ergml/erg/fem"
	"github.com/ergml/erg/fem/sparse"
	"github.com/ergml/erg/pinn"
)

// solveNonlinear solves the discrete nonlinear problem r(u, θ) = 0 (the same P1
// discretisation as Disc.Residual, with κ(x; θ)q(u) at the degree-3 quadrature
// points) by Newton's method with the exact Jacobian, each linear system solved by
// fem's direct band solver. fem.NonlinearPoisson covers q(u) without a spatial κ;
// the two agree at κ = 1 (TestNonlinearSolveZeroesResidual).
func (p *Problem) solveNonlinear(theta []float64, opt fem.SolverOptions) ([]float64, error) {
	d := p.Disc
	nn := d.Mesh.NumNodes()
	u := d.Full(make([]float64, len(d.Free)))
	// κ at the quadrature points
	nt := d.Field.Terms
	kq := make([]float64, d.nc*d.nq)
	for i := range kq {
		s := d.basisMean
		for k := 0; k < nt; k++ {
			s += theta[k] * d.basis[i*nt+k]
		}
		kq[i] = pinn.ExpGo(s)
	}
	load := make([]float64, nn)
	for k, i := range d.Free {
		load[i] = d.Load[k]
	}
	bc := fem.NewDirichlet(d.Space, d.Fixed, nil) // corrections vanish on the boundary
	jac := d.Space.Pattern()
	r := make([]float64, nn)
	beta := d.Nonlin.Beta
	nd, dim := d.nd, d.dim
	assemble := func(withJ bool) float64 {
		clear(r)
		if withJ {
			jac.Zero()
		}
		var gu [2]float64
		for c := 0; c < d.nc; c++ {
			cell := d.Mesh.Cell(c)
			gr := d.grads[c*nd*dim : (c+1)*nd*dim]
			gu = [2]float64{}
			for a, i := range cell {
				for k := 0; k < dim; k++ {
					gu[k] += u[i] * gr[a*dim+k]
				}
			}
			ce := 0.0
			var dce [3]float64 // ∂c_e/∂u_b
			for q := 0; q < d.nq; q++ {
				phi := d.qphi[q*nd : (q+1)*nd]
				uq := 0.0
				for a, i := range cell {
					uq += phi[a] * u[i]
				}
				w := d.qw[q] * kq[c*d.nq+q]
				ce += w * (1 + beta*uq*uq)
				for b := 0; b < nd; b++ {
					dce[b] += w * 2 * beta * uq * phi[b]
				}
			}
			m := d.meas[c]
			for a, i := range cell {
				ga := 0.0
				for k := 0; k < dim; k++ {
					ga += gu[k] * gr[a*dim+k]
				}
				r[i] += m * ce * ga
				if !withJ {
					continue
				}
				for b, j := range cell {
					gab := 0.0
					for k := 0; k < dim; k++ {
						gab += gr[a*dim+k] * gr[b*dim+k]
					}
					jac.Val[jac.Index(int(i), int(j))] += m * (ce*gab + dce[b]*ga)
				}
			}
		}
		n2 := 0.0
		for i := range r {
			r[i] -= load[i]
		}
		for _, i := range d.Fixed {
			r[i] = 0
		}
		for _, v := range r {
			n2 += v * v
		}
		return math.Sqrt(n2)
	}
	r0 := assemble(true)
	res := r0
	// banded LU in the RCM order of the Jacobian's pattern, computed once per problem
	p.ref.mu.Lock()
	if p.ref.nlPerm == nil {
		p.ref.nlPerm = sparse.RCM(jac)
	}
	perm := p.ref.nlPerm
	p.ref.mu.Unlock()
	for it := 0; it < 40; it++ {
		if res <= 1e-11*r0 || res < 1e-14 {
			out := make([]float64, len(d.Free))
			for k, i := range d.Free {
				out[k] = u[i]
			}
			return out, nil
		}
		rhs := make([]float64, nn)
		for i := range rhs {
			rhs[i] = -r[i]
		}
		bc.Apply(jac, rhs)
		du := make([]float64, nn)
		lu, err := sparse.NewBandLUPerm(jac, perm)
		if err != nil {
			return nil, fmt.Errorf("pddlvm: Newton step %d: fem: direct solve: %w", it+1, err)
		}
		lu.Solve(du, rhs)
		for i := range u {
			u[i] += du[i]
		}
		res = assemble(true)
	}
	return nil, fmt.Errorf("pddlvm: Newton did not converge: residual %.3g from %.3g", res, r0)
}
