package pddlvm

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/fem"
	"github.com/ergml/erg/fem/mesh"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// residualGraph evaluates Disc.Residual for one (u, θ) in float64.
func residualGraph(t *testing.T, d *Disc, u, theta []float64) []float64 {
	t.Helper()
	be := backend.Must("go")
	e := MustNewExec(be, func(u, th *Node) *Node { return d.Residual(u, th) })
	out, err := e.Exec(tensors.FromFlatDataAndDimensions(u, 1, len(u)), tensors.FromFlatDataAndDimensions(theta, 1, len(theta)))
	if err != nil {
		t.Fatal(err)
	}
	return tensors.MustCopyFlatData[float64](out[0])
}

// femResidual is fem's assembled A(θ)u − b (Poisson.Residual) at the free nodes.
func femResidual(d *Disc, uf, theta []float64) []float64 {
	p := &fem.Poisson{Space: d.Space, Kappa: fem.Func(d.KappaFunc(theta)), F: fem.Func(d.F),
		Dirichlet: fem.NewDirichlet(d.Space, d.Fixed, fem.Func(d.gOrZero()))}
	u := d.Full(uf)
	r := make([]float64, len(u))
	p.Residual(r, u)
	out := make([]float64, len(d.Free))
	for k, i := range d.Free {
		out[k] = r[i]
	}
	return out
}

// TestResidualMatchesFEM compares the in-graph residual with fem's assembled matrix
// and load vector on the same mesh (1-D intervals and 2-D triangles).
func TestResidualMatchesFEM(t *testing.T) {
	const tol = 1e-11
	rng := rand.New(rand.NewPCG(1, 2))
	cases := []struct {
		name string
		m    *mesh.Mesh
		kl   *KL
	}{
		{"interval", mesh.Interval(9, 0, 1), NewKL(1, 4, 0.2, 1, 0.3, SquaredExponential)},
		{"square", mesh.UnitSquare(5), NewKL(2, 5, 0, 0.8, 0.4, Exponential)},
	}
	for _, c := range cases {
		f := func(x []float64) float64 { return 1 + x[0] }
		g := func(x []float64) float64 { return 0.5 * x[0] }
		d := NewDisc(c.m, c.kl, nil, f, g)
		for trial := 0; trial < 3; trial++ {
			u := make([]float64, d.NumFree())
			for i := range u {
				u[i] = rng.NormFloat64()
			}
			th := make([]float64, d.NumParams())
			for i := range th {
				th[i] = rng.NormFloat64()
			}
			got := residualGraph(t, d, u, th)
			want := femResidual(d, u, th)
			for i := range want {
				if math.Abs(got[i]-want[i]) > tol*(1+math.Abs(want[i])) {
					t.Errorf("%s trial %d: r[%d] = %.15g, fem %.15g", c.name, trial, i, got[i], want[i])
				}
			}
		}
	}
}
