package pddlvm

import (
	"fmt"
	"testing"

	"github.com/ergml/erg/backend"
	"github.com/gomlx/gomlx/ml/model"
)

// BenchmarkForwardMap times the forward map (mean and standard deviation) of the
// poisson2d model (benchCells squares per side; default network, untrained
// parameters: the cost does not depend on their values) on a batch of 1000 θ, as
// `erg pde pddlvm eval` does, and reports µs per θ. BenchmarkFEMSolve is the FEM
// solve it is compared with.
func BenchmarkForwardMap(b *testing.B) {
	for _, cells := range benchCells {
		for _, n := range []int{100, 1000} {
			b.Run(fmt.Sprintf("cells=%d/batch=%d", cells, n), func(b *testing.B) { benchForward(b, cells, n) })
		}
	}
}

// benchCells are the mesh sizes timed: 24 (the default, 529 unknowns), 64 (3969),
// 96 (9025) and 128 (16129).
var benchCells = []int{24, 64, 96, 128}

// benchProblem is the poisson2d problem with cells squares per side.
func benchProblem(b *testing.B, cells int) *Problem {
	p, err := NewProblem("poisson2d", Options{Cells: cells})
	if err != nil {
		b.Fatal(err)
	}
	return p
}

func benchForward(b *testing.B, cells, n int) {
	p := benchProblem(b, cells)
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
	for _, cells := range benchCells {
		b.Run(fmt.Sprintf("cells=%d", cells), func(b *testing.B) { benchSolve(b, cells) })
	}
}

func benchSolve(b *testing.B, cells int) {
	p := benchProblem(b, cells)
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
