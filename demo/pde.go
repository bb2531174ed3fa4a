package demo

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"time"

	"github.com/ergml/erg/fem"
	"github.com/ergml/erg/fem/femplot"
	"github.com/ergml/erg/fem/mesh"
)

func init() {
	Register(Step{Name: "fem", Title: "Finite elements (papers 02, 08): P2 Poisson with a varying conductivity, manufactured solution", Run: femStep})
}

// femStep solves −∇·(κ∇u) = f on the unit square with κ = 1 + x·y and the manufactured
// solution u = sin(πx) sin(πy), reports the L2 error and time, and plots u.
func femStep(ctx context.Context, dir string, opt Options) (Result, error) {
	exact := func(x []float64) float64 { return math.Sin(math.Pi*x[0]) * math.Sin(math.Pi*x[1]) }
	kappa := func(x []float64) float64 { return 1 + x[0]*x[1] }
	f := func(x []float64) float64 {
		// −∇·(κ∇u) = −(κ_x u_x + κ_y u_y) − κ Δu
		ux := math.Pi * math.Cos(math.Pi*x[0]) * math.Sin(math.Pi*x[1])
		uy := math.Pi * math.Sin(math.Pi*x[0]) * math.Cos(math.Pi*x[1])
		return -(x[1]*ux + x[0]*uy) + kappa(x)*2*math.Pi*math.Pi*exact(x)
	}
	res := Result{Numbers: map[string]any{}}
	var line string
	for _, n := range []int{16, 32, 64} {
		s := fem.NewSpace(mesh.UnitSquare(n), 2)
		p := &fem.Poisson{Space: s, Kappa: fem.Func(kappa), F: fem.Func(f), Dirichlet: fem.NewDirichlet(s, s.BoundaryDofs(), fem.Const(0))}
		t0 := time.Now()
		u, _, err := p.Solve(fem.SolverOptions{})
		if err != nil {
			return res, err
		}
		ms := float64(time.Since(t0).Microseconds()) / 1000
		e := s.ErrorL2(u, exact)
		res.Numbers[fmt.Sprintf("n%d", n)] = map[string]float64{"dofs": float64(s.N), "l2_error": e, "ms": ms}
		line += fmt.Sprintf("n=%d: %d dofs, L2 error %.2e, %.1f ms; ", n, s.N, e, ms)
		if n == 64 {
			file := "poisson-p2.png"
			if err := femplot.Save(filepath.Join(dir, file), s, u, femplot.Options{Title: "u, -div((1+xy) grad u) = f, P2, 64x64"}); err != nil {
				return res, err
			}
			res.Figures = append(res.Figures, Figure{File: file, Caption: "P2 solution on the 64x64 FEniCS-layout mesh"})
		}
	}
	res.Headline = line + "(P2: L2 error falls ~8x per halving of h)"
	return res, nil
}
