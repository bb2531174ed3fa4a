package pddlvm_test

import (
	"fmt"
	"math"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/pddlvm"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// The discrete residual r(u, θ) built in a GoMLX graph vanishes at the finite-element
// solution computed by package fem.
func ExampleDisc_Residual() {
	p, _ := pddlvm.NewProblem("poisson1d", pddlvm.Options{Cells: 16})
	theta := []float64{0.5, -1, 0.2, 0.8}
	u, _ := p.Solve(theta)
	exec := MustNewExec(backend.Must("go"), func(u, th *Node) *Node { return p.Disc.Residual(u, th) })
	out, _ := exec.Exec(tensors.FromFlatDataAndDimensions(u, 1, len(u)), tensors.FromFlatDataAndDimensions(theta, 1, 4))
	r := tensors.MustCopyFlatData[float64](out[0])
	mx := 0.0
	for _, v := range r {
		mx = math.Max(mx, math.Abs(v))
	}
	fmt.Printf("%d unknowns, u(0.5) = %.4f, max |r(u_FEM, θ)| < 1e-12: %v\n", len(u), u[7], mx < 1e-12)
	// Output:
	// 15 unknowns, u(0.5) = 0.4176, max |r(u_FEM, θ)| < 1e-12: true
}

// A Karhunen–Loève expansion of log κ with a squared-exponential covariance.
func ExampleKL() {
	kl := pddlvm.NewKL(1, 4, 0, 1, 0.2, pddlvm.SquaredExponential)
	total := 0.0
	for _, l := range kl.Eigenvalues() {
		total += l
	}
	fmt.Printf("4 terms hold %.1f%% of the variance\n", 100*total) // the variance integrates to σ² = 1 over [0, 1]
	fmt.Printf("κ(0.5; θ=0) = %.1f\n", kl.Kappa([]float64{0.5}, make([]float64, 4)))
	// Output:
	// 4 terms hold 96.8% of the variance
	// κ(0.5; θ=0) = 1.0
}
