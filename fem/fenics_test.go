package fem

import (
	"bufio"
	"context"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ergml/erg/fem/mesh"
)

// The golden files fem/testdata/fenics_*.csv are DOLFINx 0.5.2 solutions made by
//
//	/usr/bin/python3 scripts/fem/golden.py fem/testdata
//
// The problems below mirror that script: coefficients are interpolated into the
// solution space (Nodal fields), so both programs integrate exactly and must agree
// to solver precision. fenicsTol is the relative tolerance of the task (1e-8).
const fenicsTol = 1e-8

// goldenDir holds the FEniCS outputs; TestFEniCSLive points it at fresh ones.
var goldenDir = "testdata"

func kappaExpr(x []float64) float64 {
	return 1 + 0.5*math.Sin(2*math.Pi*x[0])*math.Cos(math.Pi*x[1])
}
func fExpr(x []float64) float64 {
	return 10 * math.Exp(-20*((x[0]-0.4)*(x[0]-0.4)+(x[1]-0.6)*(x[1]-0.6)))
}
func gExpr(x []float64) float64 { return 1 + x[0]*x[0] + 2*x[1]*x[1] }
func hExpr(x []float64) float64 { return x[0]*(1-x[0]) + 0.5 }

// readGolden reads x,y,u rows.
func readGolden(t testing.TB, name string) (xy [][2]float64, u []float64) {
	t.Helper()
	path := filepath.Join(goldenDir, name+".csv")
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("golden file: %v (regenerate with /usr/bin/python3 scripts/fem/golden.py fem/testdata)", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		if line == 1 {
			continue
		}
		fs := strings.Split(sc.Text(), ",")
		if len(fs) != 3 {
			t.Fatalf("%s:%d: %d fields, want 3", path, line, len(fs))
		}
		var v [3]float64
		for k := range v {
			if v[k], err = strconv.ParseFloat(fs[k], 64); err != nil {
				t.Fatalf("%s:%d: %v", path, line, err)
			}
		}
		xy = append(xy, [2]float64{v[0], v[1]})
		u = append(u, v[2])
	}
	return xy, u
}

// compareGolden matches golden rows to dofs of s by coordinates and returns the
// relative max-norm difference max|u−u_ref|/max|u_ref|.
func compareGolden(t testing.TB, s *Space, uh []float64, name string) float64 {
	t.Helper()
	xy, ref := readGolden(t, name)
	if len(ref) != s.N {
		t.Fatalf("%s: %d dofs in golden file, %d in erg", name, len(ref), s.N)
	}
	key := func(x, y float64) [2]int64 { return [2]int64{int64(math.Round(x * 1e7)), int64(math.Round(y * 1e7))} }
	idx := make(map[[2]int64]int, s.N)
	for i := 0; i < s.N; i++ {
		x := s.Dof(i)
		y := 0.0
		if len(x) > 1 {
			y = x[1]
		}
		idx[key(x[0], y)] = i
	}
	diff, scale := 0.0, 0.0
	for k, p := range xy {
		i, ok := idx[key(p[0], p[1])]
		if !ok {
			t.Fatalf("%s: FEniCS dof at (%g, %g) has no erg dof", name, p[0], p[1])
		}
		diff = math.Max(diff, math.Abs(uh[i]-ref[k]))
		scale = math.Max(scale, math.Abs(ref[k]))
	}
	return diff / scale
}

func TestFEniCSPoisson(t *testing.T) {
	for _, tc := range []struct {
		name    string
		n, p    int
		neumann bool
	}{
		{"fenics_p1_poisson_n16", 16, 1, false},
		{"fenics_p2_poisson_n8", 8, 2, false},
		{"fenics_p1_neumann_n16", 16, 1, true},
	} {
		s := NewSpace(mesh.UnitSquare(tc.n), tc.p)
		pb := &Poisson{Space: s, Kappa: Nodal(s.Interpolate(kappaExpr)), F: Nodal(s.Interpolate(fExpr))}
		g := Nodal(s.Interpolate(gExpr))
		if tc.neumann {
			pb.Dirichlet = NewDirichlet(s, s.BoundaryDofs(mesh.Left, mesh.Right), g)
			pb.Neumann = []Neumann{{G: Nodal(s.Interpolate(hExpr)), Tags: []int32{mesh.Top, mesh.Bottom}}}
		} else {
			pb.Dirichlet = NewDirichlet(s, s.BoundaryDofs(), g)
		}
		uh, _, err := pb.Solve(SolverOptions{Tol: 1e-14})
		if err != nil {
			t.Fatal(err)
		}
		rel := compareGolden(t, s, uh, tc.name)
		t.Logf("%s: max relative difference to FEniCS %.2e", tc.name, rel)
		if rel > fenicsTol {
			t.Errorf("%s: relative difference to FEniCS %.3g > %g", tc.name, rel, fenicsTol)
		}
	}
}

func TestFEniCSInterval(t *testing.T) {
	for _, tc := range []struct {
		name string
		n, p int
	}{{"fenics_p1_interval_n20", 20, 1}, {"fenics_p2_interval_n10", 10, 2}} {
		s := NewSpace(mesh.Interval(tc.n, 0, 1), tc.p)
		pb := &Poisson{Space: s,
			Kappa:     Nodal(s.Interpolate(func(x []float64) float64 { return 1 + x[0]*x[0] })),
			F:         Nodal(s.Interpolate(func(x []float64) float64 { return math.Sin(3 * x[0]) })),
			Dirichlet: NewDirichlet(s, s.BoundaryDofs(), Func(func(x []float64) float64 { return x[0] })),
		}
		uh, _, err := pb.Solve(SolverOptions{Method: Direct})
		if err != nil {
			t.Fatal(err)
		}
		if rel := compareGolden(t, s, uh, tc.name); rel > fenicsTol {
			t.Errorf("%s: relative difference to FEniCS %.3g > %g", tc.name, rel, fenicsTol)
		}
	}
}

// Unstructured Gmsh mesh (rectangle with a hole): u = g on the outer boundary
// (physical tag 1), κ∂u/∂n = h on the hole (tag 2).
func TestFEniCSGmsh(t *testing.T) {
	path := filepath.Join(goldenDir, "hole_v4.msh")
	if _, err := os.Stat(path); err != nil && goldenDir != "testdata" {
		t.Skipf("%s not made (gmsh not installed)", path)
	}
	m, err := mesh.ReadGmshFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		p    int
	}{{"fenics_p1_hole", 1}, {"fenics_p2_hole", 2}} {
		s := NewSpace(m, tc.p)
		pb := &Poisson{Space: s, Kappa: Nodal(s.Interpolate(kappaExpr)), F: Nodal(s.Interpolate(fExpr)),
			Dirichlet: NewDirichlet(s, s.BoundaryDofs(1), Nodal(s.Interpolate(gExpr))),
			Neumann:   []Neumann{{G: Nodal(s.Interpolate(hExpr)), Tags: []int32{2}}}}
		uh, _, err := pb.Solve(SolverOptions{Tol: 1e-14})
		if err != nil {
			t.Fatal(err)
		}
		rel := compareGolden(t, s, uh, tc.name)
		t.Logf("%s: max relative difference to FEniCS %.2e", tc.name, rel)
		if rel > fenicsTol {
			t.Errorf("%s: relative difference to FEniCS %.3g > %g", tc.name, rel, fenicsTol)
		}
	}
}

// TestFEniCSLive reruns scripts/fem/golden.py with DOLFINx (when installed) into
// a temporary directory and repeats the comparisons against its fresh output.
func TestFEniCSLive(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the live FEniCS run in -short mode")
	}
	if err := exec.Command("/usr/bin/python3", "-c", "import dolfinx").Run(); err != nil {
		t.Skip("FEniCS not installed (Debian python3-dolfinx-real); the golden-file tests cover the comparison")
	}
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "/usr/bin/python3", "../scripts/fem/golden.py", dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("golden.py: %v\n%s", err, out)
	}
	goldenDir = dir
	defer func() { goldenDir = "testdata" }()
	for name, f := range map[string]func(*testing.T){
		"poisson": TestFEniCSPoisson, "interval": TestFEniCSInterval, "gmsh": TestFEniCSGmsh,
		"nonlinear": TestFEniCSNonlinear, "heat": TestFEniCSHeat, "allencahn": TestFEniCSAllenCahn,
	} {
		t.Run(name, f)
	}
}
