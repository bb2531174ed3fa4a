package modes

import (
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseCSVErrors(t *testing.T) {
	cases := []struct {
		name, text, column, want string
	}{
		{"empty", "", "", "empty.csv: unusable data: empty file"},
		{"header only", "x,y\n", "x", `column "x": unusable data: no values`},
		{"non-numeric", "x,y\n1,2\n3,abc\n", "y", `bad.csv:3: field "y": unusable data: "abc" is not a number`},
		{"nan", "x\n1\nNaN\n2\n", "x", `bad.csv:3: field "x": unusable data: "NaN" is not finite`},
		{"inf", "1\n2\n+Inf\n", "", `bad.csv:3: field 1: unusable data: "+Inf" is not finite`},
		{"too few", "x\n1\n2\n", "x", "unusable data: 2 values, need at least 3"},
		{"constant", "x\n5\n5\n5\n5\n", "x", "all 4 values equal 5 (constant data)"},
		{"missing column", "a,b\n1,2\n", "c", `no column "c" in header "a,b"`},
		{"short row", "a,b\n1,2\n3\n", "b", `bad.csv:3: unusable data: row has 1 fields, column "b" needs 2`},
		{"name without header", "1,2\n3,4\n", "b", "no header line"},
	}
	for _, c := range cases {
		fname := "bad.csv"
		if c.name == "empty" {
			fname = "empty.csv"
		}
		_, err := ParseCSV(strings.NewReader(c.text), fname, c.column)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to contain %q", c.name, err, c.want)
			continue
		}
		if !errors.Is(err, ErrData) {
			t.Errorf("%s: error %v does not wrap ErrData", c.name, err)
		}
	}
}

func TestReadCSV(t *testing.T) {
	p := filepath.Join(t.TempDir(), "d.csv")
	os.WriteFile(p, []byte("id,speed\n1,3.5\n2,\n3,NA\n4,-1e2\n5,7\n"), 0o644)
	x, err := ReadCSV(p, "speed")
	if err != nil {
		t.Fatal(err)
	}
	if want := []float64{3.5, -100, 7}; len(x) != 3 || x[0] != want[0] || x[1] != want[1] || x[2] != want[2] {
		t.Errorf("got %v, want %v", x, want)
	}
	x, err = ReadCSV(p, "1")
	if err != nil || len(x) != 5 {
		t.Errorf("column 1: %v %v", x, err)
	}
	if _, err := ReadCSV(filepath.Join(t.TempDir(), "none.csv"), ""); err == nil {
		t.Error("missing file: no error")
	}
}

// A mixture of N(-2,1) and N(2,1) with equal weights has modes at ±r where
// r = 2·tanh(2r) ≈ 1.99866 (setting the derivative to zero) and an antimode at 0.
func TestExtremaMixture(t *testing.T) {
	n := 4001
	x := make([]float64, n)
	y := make([]float64, n)
	for i := range x {
		x[i] = -6 + 12*float64(i)/float64(n-1)
		y[i] = math.Exp(-0.5*(x[i]-2)*(x[i]-2)) + math.Exp(-0.5*(x[i]+2)*(x[i]+2))
	}
	// solve x = 2 tanh(2x) by fixed point
	r := 2.0
	for i := 0; i < 200; i++ {
		r = 2 * math.Tanh(2*r)
	}
	e := Extrema(x, y)
	if len(e) != 3 || !e[0].Mode || e[1].Mode || !e[2].Mode {
		t.Fatalf("extrema %+v", e)
	}
	const tol = 1e-6 // parabolic refinement on a grid of spacing 0.003
	if math.Abs(e[0].X+r) > tol || math.Abs(e[2].X-r) > tol || math.Abs(e[1].X) > tol {
		t.Errorf("modes at %g, %g, antimode %g; want ±%g and 0", e[0].X, e[2].X, e[1].X, r)
	}
	if CountModes(y) != 2 {
		t.Errorf("CountModes = %d", CountModes(y))
	}
}

func TestCountModesEdgeCases(t *testing.T) {
	cases := []struct {
		y    []float64
		want int
	}{
		{[]float64{0, 1, 1, 1, 0}, 1},             // plateau
		{[]float64{3, 2, 1}, 1},                   // maximum at the left end
		{[]float64{1, 2, 3}, 1},                   // maximum at the right end
		{[]float64{0, 0, 0}, 0},                   // flat
		{[]float64{0, 2, 1, 1, 2, 0}, 2},          // flat-bottomed antimode
		{[]float64{0, 1, 1 + 1e-14, 1, 0}, 1},     // below the noise floor
		{[]float64{1e-20, 0, 1e-20, 1, 0}, 1},     // round-off in tails
		{[]float64{0, 1, 0, 1, 0, 1, 0, 1, 0}, 4}, // comb
	}
	for _, c := range cases {
		if got := CountModes(c.y); got != c.want {
			t.Errorf("CountModes(%v) = %d, want %d", c.y, got, c.want)
		}
	}
}

func TestReplicatesDeterministic(t *testing.T) {
	run := func(workers int) []float64 {
		out := make([]float64, 257)
		Replicates(len(out), 42, workers, func(i int, rng *rand.Rand) {
			out[i] = rng.Float64() + float64(rng.IntN(1000))
		})
		return out
	}
	a, b := run(1), run(5)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("replicate %d: %g with 1 worker, %g with 5", i, a[i], b[i])
		}
	}
	if a[0] == a[1] {
		t.Error("replicates share a stream")
	}
}

// For independent draws R̂ ≈ 1 and ESS ≈ the number of draws; for an AR(1) chain with
// coefficient φ the ESS is n(1-φ)/(1+φ) (the integrated autocorrelation time).
func TestRHatESS(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 1))
	const n, m = 4000, 4
	iid := make([][]float64, m)
	ar := make([][]float64, m)
	const phi = 0.8
	for c := range iid {
		iid[c] = make([]float64, n)
		ar[c] = make([]float64, n)
		v := rng.NormFloat64() / math.Sqrt(1-phi*phi)
		for i := range iid[c] {
			iid[c][i] = rng.NormFloat64()
			v = phi*v + rng.NormFloat64()
			ar[c][i] = v
		}
	}
	if r := RHat(iid); math.Abs(r-1) > 0.01 {
		t.Errorf("R̂ of iid chains = %g", r)
	}
	if e := ESS(iid); math.Abs(e/(n*m)-1) > 0.1 {
		t.Errorf("ESS of iid = %g, want ≈ %d", e, n*m)
	}
	want := float64(n*m) * (1 - phi) / (1 + phi)
	if e := ESS(ar); math.Abs(e/want-1) > 0.2 {
		t.Errorf("ESS of AR(0.8) = %g, want ≈ %g", e, want)
	}
	shifted := [][]float64{iid[0], iid[1], iid[2], append([]float64(nil), iid[3]...)}
	for i := range shifted[3] {
		shifted[3][i] += 3
	}
	if r := RHat(shifted); r < 1.2 {
		t.Errorf("R̂ with a shifted chain = %g, want large", r)
	}
}

// A bump of mass 0.01 on a unit Gaussian is kept when the threshold is below 0.01 and
// merged away above; the antimode goes with it.
func TestPruneModes(t *testing.T) {
	n := 4001
	x := make([]float64, n)
	y := make([]float64, n)
	for i := range x {
		x[i] = -5 + 10*float64(i)/float64(n-1)
		y[i] = 0.99*math.Exp(-x[i]*x[i]/2)/math.Sqrt(2*math.Pi) + 0.01*math.Exp(-(x[i]-3)*(x[i]-3)/(2*0.01))/math.Sqrt(2*math.Pi*0.01)
	}
	if got := len(PruneModes(x, y, 0)); got != 3 { // 2 modes + 1 antimode
		t.Fatalf("no pruning: %d extrema", got)
	}
	e := PruneModes(x, y, 0.005)
	if len(e) != 3 {
		t.Errorf("threshold 0.005: %d extrema, want 3", len(e))
	}
	e = PruneModes(x, y, 0.02)
	if len(e) != 1 || !e[0].Mode || math.Abs(e[0].X) > 0.01 {
		t.Errorf("threshold 0.02: %+v, want the mode at 0 only", e)
	}
}
