package fem

import (
	"fmt"
	"testing"
)

// BenchmarkPoissonP1 times one warm assemble+solve of the `erg bench fem`
// problem (CG + IC(0) or MIC(0), relative residual 1e-10).
func BenchmarkPoissonP1(b *testing.B) {
	for _, c := range []struct {
		n int
		m Method
	}{{64, CGIC}, {64, CGMIC}, {256, CGIC}, {256, CGMIC}} {
		n := c.n
		b.Run(fmt.Sprintf("n=%d/%s", n, c.m), func(b *testing.B) {
			ls := &LinearSolver{P: BenchProblem(n), Opt: SolverOptions{Method: c.m}}
			if _, _, err := ls.Solve(); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			var its int
			for i := 0; i < b.N; i++ {
				_, st, err := ls.Solve()
				if err != nil {
					b.Fatal(err)
				}
				its = st.Iterations
			}
			b.ReportMetric(float64(its), "cg-iters")
			b.ReportMetric(float64(ls.P.Space.N), "dofs")
		})
	}
}

// BenchmarkAssembleP1 times stiffness assembly alone on the 256×256 mesh.
func BenchmarkAssembleP1(b *testing.B) {
	p := BenchProblem(256)
	a := p.Space.Pattern()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		a.Zero()
		p.Space.AddStiffness(a, p.Kappa, 1)
	}
}
