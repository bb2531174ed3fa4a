package pddlvm

import (
	"fmt"
	"testing"

	"github.com/ergml/erg/backend"
	"github.com/gomlx/gomlx/ml/model"
)

// BenchmarkForwardMap times the forward map (mean and standard deviation) of the
// poisson2d and nonlinear2d models (benchCases; default network, untrained
// parameters: the cost does not depend on their values) on a batch of 1000 θ, as
// `erg pde pddlvm eval` does, and reports µs per θ. BenchmarkFEMSolve is the FEM
// solve it is compared with (CG-IC for poisson2d, Newton for nonlinear2d).
func BenchmarkForwardMap(b *testing.B) {
	for _, c := range benchCases {
		for _, n := range []int{100, 1000} {
			b.Run(fmt.Sprintf("%s/cells=%d/batch=%d", c.problem, c.cells, n), func(b *testing.B) { benchForward(b, c.problem, c.cells, n) })
		}
	}
}

// benchCases are the problems and mesh sizes timed: poisson2d at 24 squares per side
// (the default, 529 unknowns), 64 (3969), 96 (9025) and 128 (16129); nonlinear2d at
// 24 (the default), 32 (961) and 40 (1521).
var benchCases = []struct {
	problem string
	cells   int
}{
	{"poisson2d", 24}, {"poisson2d", 64}, {"poisson2d", 96}, {"poisson2d", 128},
	{"nonlinear2d", 24}, {"nonlinear2d", 32}, {"nonlinear2d", 40},
}

// benchProblem is the problem with cells squares per side.
func benchProblem(b *testing.B, problem string, cells int) *Problem {
	p, err := NewProblem(problem, Options{Cells: cells})
	if err != nil {
		b.Fatal(err)
	}
	return p
}

func benchForward(b *testing.B, problem string, cells, n int) {
	p := benchProblem(b, problem, cells)
	m := New(p, Config{})
	pr, err := NewPredictor(backend.Must("go"), m, model.NewStore())
	if err != nil {
		b.Fatal(err)
	}
	theta := p.SampleTheta(n, 1, 0)
	t := pr.tensor(theta, n, pr.d)
	call := func() {
		out, err := pr.fwd.Exec(t)
		if err != nil {
			b.Fatal(err)
		}
		for _, o := range out {
			o.FinalizeAll()
		}
	}
	call()
	for b.Loop() {
		call()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/1e3/float64(b.N*n), "µs/θ")
}

func BenchmarkFEMSolve(b *testing.B) {
	for _, c := range benchCases {
		b.Run(fmt.Sprintf("%s/cells=%d", c.problem, c.cells), func(b *testing.B) { benchSolve(b, c.problem, c.cells) })
	}
}

func benchSolve(b *testing.B, problem string, cells int) {
	p := benchProblem(b, problem, cells)
	theta := p.SampleTheta(1, 1, 0)
	if _, err := p.Solve(theta); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := p.Solve(theta); err != nil {
			b.Fatal(err)
		}
	}
}
