package fem

import (
	"math"
	"testing"

	"github.com/ergml/erg/fem/mesh"
)

// Manufactured solution (Roache 2002): u = sin(πx)cos(πy), κ = 1 + xy, so
// f = −∇·(κ∇u) = 2π²κu − (y u_x + x u_y); Dirichlet data u on the whole boundary.
func ms2D() (u Func, grad func(x, g []float64), kappa, f Func) {
	u = func(x []float64) float64 { return math.Sin(math.Pi*x[0]) * math.Cos(math.Pi*x[1]) }
	grad = func(x, g []float64) {
		g[0] = math.Pi * math.Cos(math.Pi*x[0]) * math.Cos(math.Pi*x[1])
		g[1] = -math.Pi * math.Sin(math.Pi*x[0]) * math.Sin(math.Pi*x[1])
	}
	kappa = func(x []float64) float64 { return 1 + x[0]*x[1] }
	f = func(x []float64) float64 {
		var g [2]float64
		grad(x, g[:])
		return 2*math.Pi*math.Pi*kappa(x)*u(x) - (x[1]*g[0] + x[0]*g[1])
	}
	return
}

// slope fits log e = a + r log h by least squares and returns r.
func slope(h, e []float64) float64 {
	var sx, sy, sxx, sxy float64
	n := float64(len(h))
	for i := range h {
		x, y := math.Log(h[i]), math.Log(e[i])
		sx += x
		sy += y
		sxx += x * x
		sxy += x * y
	}
	return (n*sxy - sx*sy) / (n*sxx - sx*sx)
}

func TestConvergence2D(t *testing.T) {
	const tol = 0.15 // allowed deviation of the fitted order
	u, grad, kappa, f := ms2D()
	for _, tc := range []struct {
		p      int
		ns     []int
		l2, h1 float64
	}{
		{1, []int{8, 16, 32, 64}, 2, 1},
		{2, []int{4, 8, 16, 32}, 3, 2},
	} {
		var hs, el2, eh1 []float64
		for _, n := range tc.ns {
			s := NewSpace(mesh.UnitSquare(n), tc.p)
			pb := &Poisson{Space: s, Kappa: kappa, F: f, Dirichlet: NewDirichlet(s, s.BoundaryDofs(), u)}
			uh, _, err := pb.Solve(SolverOptions{Tol: 1e-13})
			if err != nil {
				t.Fatal(err)
			}
			hs = append(hs, 1/float64(n))
			el2 = append(el2, s.ErrorL2(uh, u))
			eh1 = append(eh1, s.ErrorH1(uh, grad))
		}
		r2, r1 := slope(hs, el2), slope(hs, eh1)
		t.Logf("P%d: L2 errors %.3g, order %.3f; H1 errors %.3g, order %.3f", tc.p, el2, r2, eh1, r1)
		if math.Abs(r2-tc.l2) > tol {
			t.Errorf("P%d L2 order = %.3f, want %g ± %g", tc.p, r2, tc.l2, tol)
		}
		if math.Abs(r1-tc.h1) > tol {
			t.Errorf("P%d H1 order = %.3f, want %g ± %g", tc.p, r1, tc.h1, tol)
		}
	}
}

// 1-D: −(κu')' = f on [0,1], u = exp(x)sin(3x), κ = 2 + sin(x).
func TestConvergence1D(t *testing.T) {
	const tol = 0.15
	u := func(x []float64) float64 { return math.Exp(x[0]) * math.Sin(3*x[0]) }
	du := func(x float64) float64 { return math.Exp(x) * (math.Sin(3*x) + 3*math.Cos(3*x)) }
	d2u := func(x float64) float64 { return math.Exp(x) * (-8*math.Sin(3*x) + 6*math.Cos(3*x)) }
	kappa := func(x []float64) float64 { return 2 + math.Sin(x[0]) }
	f := func(x []float64) float64 { return -(math.Cos(x[0])*du(x[0]) + kappa(x)*d2u(x[0])) }
	grad := func(x, g []float64) { g[0] = du(x[0]) }
	for _, tc := range []struct {
		p      int
		l2, h1 float64
	}{{1, 2, 1}, {2, 3, 2}} {
		var hs, el2, eh1 []float64
		for _, n := range []int{8, 16, 32, 64} {
			s := NewSpace(mesh.Interval(n, 0, 1), tc.p)
			pb := &Poisson{Space: s, Kappa: Func(kappa), F: Func(f), Dirichlet: NewDirichlet(s, s.BoundaryDofs(), Func(u))}
			uh, _, err := pb.Solve(SolverOptions{Method: Direct})
			if err != nil {
				t.Fatal(err)
			}
			hs = append(hs, 1/float64(n))
			el2 = append(el2, s.ErrorL2(uh, u))
			eh1 = append(eh1, s.ErrorH1(uh, grad))
		}
		r2, r1 := slope(hs, el2), slope(hs, eh1)
		t.Logf("1-D P%d: L2 order %.3f, H1 order %.3f", tc.p, r2, r1)
		if math.Abs(r2-tc.l2) > tol || math.Abs(r1-tc.h1) > tol {
			t.Errorf("1-D P%d orders L2 %.3f H1 %.3f, want %g and %g ± %g", tc.p, r2, r1, tc.l2, tc.h1, tol)
		}
	}
}
