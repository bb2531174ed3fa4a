package femplot

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/ergml/erg/fem"
	"github.com/ergml/erg/fem/mesh"
)

// P1 and P2 interpolants of a linear function are exact, so the sampled grid
// must reproduce it at every pixel centre.
func TestSampleLinear(t *testing.T) {
	const tol = 1e-12
	for _, p := range []int{1, 2} {
		s := fem.NewSpace(mesh.Rectangle(-1, 0, 1, 2, 5, 7, mesh.DiagonalLeft), p)
		u := s.Interpolate(func(x []float64) float64 { return 3*x[0] - 2*x[1] + 1 })
		g := Sample(s, u, 40)
		for r := 0; r < g.NY; r++ {
			for c := 0; c < g.NX; c++ {
				want := 3*g.X(c) - 2*g.Y(r) + 1
				if got := g.Z(c, r); math.Abs(got-want) > tol {
					t.Fatalf("P%d pixel (%d,%d) = %g, want %g", p, c, r, got, want)
				}
			}
		}
	}
}

func TestSave(t *testing.T) {
	dir := t.TempDir()
	for _, m := range []*mesh.Mesh{mesh.UnitSquare(4), mesh.Interval(10, 0, 1)} {
		s := fem.NewSpace(m, 2)
		u := s.Interpolate(func(x []float64) float64 { return math.Sin(3 * x[0]) })
		path := filepath.Join(dir, "u.png")
		if err := Save(path, s, u, Options{Title: "test"}); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(path)
		if err != nil || len(b) < 1000 || string(b[1:4]) != "PNG" {
			t.Errorf("%d-D plot: not a PNG (%d bytes, %v)", m.Dim, len(b), err)
		}
	}
	if err := Save(filepath.Join(dir, "u.jpg"), fem.NewSpace(mesh.UnitSquare(1), 1), make([]float64, 4), Options{}); err == nil {
		t.Error("Save to .jpg: no error")
	}
}
