package fem

import (
	"math"
	"testing"

	"github.com/ergml/erg/fem/mesh"
)

func TestFEniCSHeat(t *testing.T) {
	s := NewSpace(mesh.UnitSquare(16), 1)
	u0 := s.Interpolate(func(x []float64) float64 { return math.Sin(math.Pi*x[0]) * math.Sin(math.Pi*x[1]) })
	f := Nodal(s.Interpolate(fExpr))
	bc := NewDirichlet(s, s.BoundaryDofs(), nil)
	h := &Heat{Space: s, Kappa: Nodal(s.Interpolate(kappaExpr)), F: func(float64) Field { return f },
		Dirichlet: func(float64) Dirichlet { return bc }, Dt: 0.01}
	u, _, err := h.Run(u0, 0, 10, SolverOptions{Tol: 1e-14}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rel := compareGolden(t, s, u, "fenics_p1_heat_n16"); rel > fenicsTol {
		t.Errorf("heat: relative difference to FEniCS %.3g > %g", rel, fenicsTol)
	}
}

func TestFEniCSAllenCahn(t *testing.T) {
	s := NewSpace(mesh.UnitSquare(16), 1)
	u0 := s.Interpolate(func(x []float64) float64 { return 0.5 * math.Sin(2*math.Pi*x[0]) * math.Cos(3*math.Pi*x[1]) })
	p := &ReactionDiffusion{Space: s, Kappa: Const(0.01), Dt: 0.05,
		R:  func(u float64) float64 { return u*u*u - u },
		DR: func(u float64) float64 { return 3*u*u - 1 }}
	u, err := p.Run(u0, 0, 10, NewtonOptions{RTol: 1e-14}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rel := compareGolden(t, s, u, "fenics_p1_allencahn_n16"); rel > fenicsTol {
		t.Errorf("Allen–Cahn: relative difference to FEniCS %.3g > %g", rel, fenicsTol)
	}
}

// Temporal order of the θ-method: with the mesh fixed, the difference between
// runs with Δt and Δt/2 shrinks by 2^order: 1 for backward Euler, 2 for
// Crank–Nicolson. Problem: u = e^{−2π²t} sin(πx) sin(πy) + time-dependent
// source and boundary data t·x.
func TestHeatTimeOrder(t *testing.T) {
	const tol = 0.15
	s := NewSpace(mesh.UnitSquare(8), 2)
	u0 := s.Interpolate(func(x []float64) float64 { return math.Sin(math.Pi*x[0]) * math.Sin(math.Pi*x[1]) })
	for _, tc := range []struct {
		theta, order float64
	}{{1, 1}, {0.5, 2}} {
		var sol [][]float64
		for _, steps := range []int{10, 20, 40} {
			h := &Heat{Space: s, Dt: 0.1 / float64(steps), Theta: tc.theta,
				F: func(t float64) Field { return Func(func(x []float64) float64 { return math.Cos(t) * x[0] }) },
				Dirichlet: func(t float64) Dirichlet {
					return NewDirichlet(s, s.BoundaryDofs(), Func(func(x []float64) float64 { return t * x[0] }))
				}}
			u, _, err := h.Run(u0, 0, steps, SolverOptions{Method: Direct}, nil)
			if err != nil {
				t.Fatal(err)
			}
			sol = append(sol, u)
		}
		d1, d2 := 0.0, 0.0
		for i := range sol[0] {
			d1 = math.Max(d1, math.Abs(sol[0][i]-sol[1][i]))
			d2 = math.Max(d2, math.Abs(sol[1][i]-sol[2][i]))
		}
		order := math.Log2(d1 / d2)
		t.Logf("θ = %g: observed temporal order %.3f", tc.theta, order)
		if math.Abs(order-tc.order) > tol {
			t.Errorf("θ = %g: temporal order %.3f, want %g ± %g", tc.theta, order, tc.order, tol)
		}
	}
}
