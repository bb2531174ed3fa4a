package fem

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ergml/erg/fem/mesh"
)

func TestFEniCSNonlinear(t *testing.T) {
	s := NewSpace(mesh.UnitSquare(16), 1)
	p := &NonlinearPoisson{Space: s, F: Nodal(s.Interpolate(fExpr)),
		Dirichlet: NewDirichlet(s, s.BoundaryDofs(), Nodal(s.Interpolate(gExpr)))}
	u, st, err := p.Solve(nil, NewtonOptions{RTol: 1e-14})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Newton residuals %.3g", st.Residuals)
	if rel := compareGolden(t, s, u, "fenics_p1_nonlinear_n16"); rel > fenicsTol {
		t.Errorf("relative difference to FEniCS %.3g > %g", rel, fenicsTol)
	}
}

// Newton's method with the exact Jacobian converges quadratically: in the
// asymptotic regime r_{k+1} ≈ C r_k², so the observed order
// log(r_{k+1}/r_k)/log(r_k/r_{k-1}) approaches 2.
func TestNewtonQuadratic(t *testing.T) {
	for _, deg := range []int{1, 2} {
		s := NewSpace(mesh.UnitSquare(12), deg)
		p := &NonlinearPoisson{Space: s, F: Func(fExpr), Dirichlet: NewDirichlet(s, s.BoundaryDofs(), Func(gExpr))}
		_, st, err := p.Solve(nil, NewtonOptions{RTol: 1e-15, ATol: 1e-300, MaxIter: 12})
		if err != nil && st.Iterations < 4 {
			t.Fatal(err)
		}
		r := st.Residuals
		best := 0.0
		for k := 1; k+1 < len(r); k++ {
			if r[k+1] < 1e-11*r[0] { // below this, round-off dominates
				break
			}
			best = math.Max(best, math.Log(r[k+1]/r[k])/math.Log(r[k]/r[k-1]))
		}
		t.Logf("P%d residuals %.3g; best observed order %.2f", deg, r, best)
		if best < 1.8 {
			t.Errorf("P%d Newton order %.2f, want >= 1.8 (quadratic)", deg, best)
		}
	}
}

// The Jacobian matches central finite differences of the residual.
func TestNonlinearJacobianFD(t *testing.T) {
	const tol = 1e-6 // relative; central differences with h=1e-6 are accurate to ~1e-9
	for _, deg := range []int{1, 2} {
		s := NewSpace(mesh.Rectangle(0, 0, 2, 1, 3, 2, mesh.DiagonalLeft), deg)
		p := &NonlinearPoisson{Space: s, F: Func(fExpr), Dirichlet: NewDirichlet(s, s.BoundaryDofs(mesh.Left), Func(gExpr))}
		rng := rand.New(rand.NewPCG(1, 2))
		u := make([]float64, s.N)
		for i := range u {
			u[i] = rng.NormFloat64()
		}
		j := s.Pattern()
		p.Jacobian(j, u)
		rp, rm := make([]float64, s.N), make([]float64, s.N)
		const h = 1e-6
		maxErr, scale := 0.0, 0.0
		for col := 0; col < s.N; col++ {
			u[col] += h
			p.Residual(rp, u)
			u[col] -= 2 * h
			p.Residual(rm, u)
			u[col] += h
			for row := 0; row < s.N; row++ {
				fd := (rp[row] - rm[row]) / (2 * h)
				maxErr = math.Max(maxErr, math.Abs(fd-j.At(row, col)))
				scale = math.Max(scale, math.Abs(fd))
			}
		}
		if maxErr > tol*scale {
			t.Errorf("P%d: Jacobian differs from finite differences by %.3g (scale %.3g)", deg, maxErr, scale)
		}
	}
}
