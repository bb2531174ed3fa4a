package density

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMomentsMatchFFJORD compares the mean and covariance of 200,000 points of each
// density with those of 10^6 points from FFJORD's own generators (numpy and
// scikit-learn), made by scripts/ebm/density_golden.py. The tolerance is 5 combined
// standard errors.
func TestMomentsMatchFFJORD(t *testing.T) {
	const n, zmax = 200_000, 5.0
	var gold struct {
		Densities map[string]struct {
			M   []float64 `json:"mean"`
			C   []float64 `json:"cov"`
			MSE []float64 `json:"mean_se"`
			CSE []float64 `json:"cov_se"`
		}
	}
	b, err := os.ReadFile("testdata/moments.json")
	if err != nil {
		t.Fatalf("%v (regenerate with /usr/bin/python3 scripts/ebm/density_golden.py ebm/density/testdata/moments.json)", err)
	}
	if err := json.Unmarshal(b, &gold); err != nil {
		t.Fatal(err)
	}
	if len(gold.Densities) != len(Names()) {
		t.Fatalf("golden file has %d densities, package %d", len(gold.Densities), len(Names()))
	}
	ratio := math.Sqrt(1+float64(n)/1e6) * math.Sqrt(1e6/float64(n)) // SE of the difference, in golden SEs
	for _, name := range Names() {
		g, ok := gold.Densities[name]
		if !ok {
			t.Errorf("%s: not in golden file", name)
			continue
		}
		s, err := Sample(name, n, 1, 0)
		if err != nil {
			t.Fatal(err)
		}
		m, c := s.Mean(), s.Cov()
		got := []float64{m[0], m[1], c[0], c[1], c[3]}
		want := []float64{g.M[0], g.M[1], g.C[0], g.C[1], g.C[2]}
		se := []float64{g.MSE[0], g.MSE[1], g.CSE[0], g.CSE[1], g.CSE[2]}
		labels := []string{"mean x", "mean y", "var x", "cov xy", "var y"}
		for i := range got {
			if d := math.Abs(got[i] - want[i]); d > zmax*ratio*se[i] {
				t.Errorf("%s %s = %.4f, FFJORD %.4f (|diff| %.4f > %.1f SE = %.4f)", name, labels[i], got[i], want[i], d, zmax, zmax*ratio*se[i])
			}
		}
	}
}

// TestCheckerboardSquares checks that every checkerboard point lies on a dark square:
// floor(x/2)+floor(y/2) is even (derived from the generator by hand), and that the
// covariance of x and y is 1 (E[xy] = 4·¼·Σ_c mean_x(c)·mean_y(c) = 4·0.25).
func TestCheckerboardSquares(t *testing.T) {
	s, _ := Sample("checkerboard", 100_000, 3, 0)
	for i := range s.Len() {
		r := s.Row(i)
		if p := int(math.Floor(r[0]/2) + math.Floor(r[1]/2)); p%2 != 0 {
			t.Fatalf("point %v lies on a light square", r)
		}
	}
	if c := s.Cov()[1]; math.Abs(c-1) > 0.05 {
		t.Errorf("checkerboard cov(x,y) = %.3f; want 1", c)
	}
}

func TestSeedsReproducible(t *testing.T) {
	a, _ := Sample("pinwheel", 10, 5, 1)
	b, _ := Sample("pinwheel", 10, 5, 1)
	c, _ := Sample("pinwheel", 10, 5, 2)
	for i := range a.X {
		if a.X[i] != b.X[i] {
			t.Fatalf("same seed gave different points")
		}
	}
	if a.X[0] == c.X[0] {
		t.Errorf("different streams gave the same first point")
	}
	x := make([]float32, 20)
	SampleInto("pinwheel", x, 5, 1)
	if float64(x[3]) != float64(float32(a.X[3])) {
		t.Errorf("SampleInto differs from Sample: %v vs %v", x[3], a.X[3])
	}
}

func TestUnknownDensity(t *testing.T) {
	if _, err := Sample("spiral", 10, 1, 0); err == nil || !strings.Contains(err.Error(), "unknown density") {
		t.Errorf("Sample(spiral) error = %v; want unknown density", err)
	}
	if _, err := Load("spiral", 10, 1, 0); err == nil || !strings.Contains(err.Error(), "unknown density") {
		t.Errorf("Load(spiral) error = %v; want unknown density", err)
	}
}

func TestCSVRoundTripAndErrors(t *testing.T) {
	dir := t.TempDir()
	s, _ := Sample("moons", 50, 1, 0)
	p := filepath.Join(dir, "m.csv")
	if err := WriteCSV(p, s); err != nil {
		t.Fatal(err)
	}
	r, err := ReadCSV(p)
	if err != nil {
		t.Fatal(err)
	}
	if r.Dim != 2 || r.Len() != 50 {
		t.Fatalf("read %d points of dim %d; want 50 of 2", r.Len(), r.Dim)
	}
	for i := range s.X {
		if s.X[i] != r.X[i] {
			t.Fatalf("value %d: wrote %v, read %v", i, s.X[i], r.X[i])
		}
	}
	bad := map[string]string{
		"1,2\n3,4,5\n":    ":2: 3 fields",
		"a,b\n1,2\n3,x\n": ":3: field 2",
		"1\n2\n":          "at least 2",
		"# only\n":        "no points",
		"1,2\n3,NaN\n":    "not finite",
	}
	for text, want := range bad {
		p := filepath.Join(dir, "bad.csv")
		os.WriteFile(p, []byte(text), 0o644)
		_, err := ReadCSV(p)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ReadCSV(%q) error = %v; want it to mention %q", text, err, want)
		}
	}
	// A 3-D file with a header.
	os.WriteFile(p, []byte("a,b,c\n1,2,3\n4,5,6\n"), 0o644)
	if r, err := ReadCSV(p); err != nil || r.Dim != 3 || r.Len() != 2 {
		t.Errorf("3-D read: %v, %+v", err, r)
	}
}
