package rankstat

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"testing"
)

// golden holds SciPy 1.10.1's values (testdata/scipy.json, written by
// scripts/green/rankstat_golden.py).
type golden struct {
	Samples       map[string][]float64 `json:"samples"`
	RankdataAB    []float64            `json:"rankdata_ab"`
	KruskalABC    [2]float64           `json:"kruskal_abc"`
	KruskalAB     [2]float64           `json:"kruskal_ab"`
	SpearmanXY    [2]float64           `json:"spearman_xy"`
	MannWhitneyAB [2]float64           `json:"mannwhitney_ab"`
	MannWhitneyUV [2]float64           `json:"mannwhitney_uv"`
	MannWhitneyCA [2]float64           `json:"mannwhitney_ca"`
}

func readGolden(t *testing.T) golden {
	t.Helper()
	b, err := os.ReadFile("testdata/scipy.json")
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	return g
}

const tol = 1e-10 // relative; SciPy and gonum's distributions agree to ~1e-14

func close(got, want float64) bool {
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}

func TestAgainstSciPy(t *testing.T) {
	g := readGolden(t)
	s := g.Samples
	r, _ := Ranks(append(append([]float64(nil), s["a"]...), s["b"]...))
	for i := range r {
		if r[i] != g.RankdataAB[i] {
			t.Errorf("rank %d: got %v, scipy.stats.rankdata %v", i, r[i], g.RankdataAB[i])
		}
	}
	check := func(name string, got Test, want [2]float64) {
		if !close(got.Statistic, want[0]) || !close(got.P, want[1]) {
			t.Errorf("%s: got statistic %.15g p %.15g, SciPy %.15g p %.15g", name, got.Statistic, got.P, want[0], want[1])
		}
	}
	check("kruskal(a, b, c)", KruskalWallis(s["a"], s["b"], s["c"]), g.KruskalABC)
	check("kruskal(a, b)", KruskalWallis(s["a"], s["b"]), g.KruskalAB)
	check("spearmanr(x, y)", Spearman(s["x"], s["y"]), g.SpearmanXY)
	check("mannwhitneyu(a, b)", MannWhitney(s["a"], s["b"]), g.MannWhitneyAB)
	check("mannwhitneyu(u, v)", MannWhitney(s["u"], s["v"]), g.MannWhitneyUV)
	check("mannwhitneyu(c, a)", MannWhitney(s["c"], s["a"]), g.MannWhitneyCA)
}

// TestEffectSizes checks A₁₂ against U₁/(n₁n₂) from the rank sums (two independent
// computations: pair counting and ranks) and Cliff's δ on a hand-counted case.
func TestEffectSizes(t *testing.T) {
	g := readGolden(t)
	a, b := g.Samples["a"], g.Samples["b"]
	if got, want := VarghaDelaney(a, b), MannWhitney(a, b).Statistic/float64(len(a)*len(b)); !close(got, want) {
		t.Errorf("A12(a, b) = %v, U1/(n1 n2) = %v", got, want)
	}
	// x = {1, 2, 3}, y = {2, 4}: pairs x>y: (3,2); x<y: (1,2),(1,4),(2,4),(3,4); tie (2,2).
	// δ = (1 − 4)/6 = −0.5; A = (1 + 0.5)/6 = 0.25.
	if d := CliffsDelta([]float64{1, 2, 3}, []float64{2, 4}); d != -0.5 {
		t.Errorf("Cliff's delta = %v, want -0.5 (hand count)", d)
	}
	if a := VarghaDelaney([]float64{1, 2, 3}, []float64{2, 4}); a != 0.25 {
		t.Errorf("A12 = %v, want 0.25 (hand count)", a)
	}
	for _, c := range []struct {
		a    float64
		want string
	}{{0.5, "negligible"}, {0.57, "small"}, {0.36, "medium"}, {0.95, "large"}} {
		if got := Magnitude(c.a); got != c.want {
			t.Errorf("Magnitude(%v) = %s, want %s", c.a, got, c.want)
		}
	}
}

func ExampleMannWhitney() {
	fast := []float64{10.2, 11.0, 9.8, 10.5}
	slow := []float64{14.1, 13.7, 15.0, 12.9}
	r := MannWhitney(fast, slow)
	fmt.Printf("U = %g, p = %.4f, A12 = %.2f (%s)\n", r.Statistic, r.P, VarghaDelaney(fast, slow), Magnitude(VarghaDelaney(fast, slow)))
	// Output:
	// U = 0, p = 0.0304, A12 = 0.00 (large)
}
