package fem_test

import (
	"fmt"
	"math"

	"github.com/ergml/erg/fem"
	"github.com/ergml/erg/fem/mesh"
)

// Solve −Δu = 2π² sin(πx) sin(πy) on the unit square with u = 0 on the
// boundary (exact solution sin(πx) sin(πy)) with P2 elements.
func Example() {
	s := fem.NewSpace(mesh.UnitSquare(16), 2)
	exact := func(x []float64) float64 { return math.Sin(math.Pi*x[0]) * math.Sin(math.Pi*x[1]) }
	p := &fem.Poisson{
		Space:     s,
		F:         fem.Func(func(x []float64) float64 { return 2 * math.Pi * math.Pi * exact(x) }),
		Dirichlet: fem.NewDirichlet(s, s.BoundaryDofs(), fem.Const(0)),
	}
	u, _, err := p.Solve(fem.SolverOptions{})
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d dofs, L2 error %.1e\n", s.N, s.ErrorL2(u, exact))
	// Output:
	// 1089 dofs, L2 error 6.9e-05
}

// The PDE residual r(u, θ) = A(θ)u − f for nodal coefficient values θ, as a
// physics-driven model evaluates it: zero at the finite-element solution.
func ExamplePoisson_Residual() {
	s := fem.NewSpace(mesh.UnitSquare(8), 1)
	theta := s.Interpolate(func(x []float64) float64 { return 1 + x[0] })
	p := &fem.Poisson{Space: s, Kappa: fem.Nodal(theta), F: fem.Const(1),
		Dirichlet: fem.NewDirichlet(s, s.BoundaryDofs(), nil)}
	u, _, _ := p.Solve(fem.SolverOptions{Method: fem.Direct})
	r := make([]float64, s.N)
	p.Residual(r, u)
	max := 0.0
	for _, v := range r {
		max = math.Max(max, math.Abs(v))
	}
	fmt.Println("residual below 1e-12:", max < 1e-12)
	// Output:
	// residual below 1e-12: true
}
