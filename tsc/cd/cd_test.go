package cd

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"testing"
)

// golden is testdata/golden.json, written by scripts/tsc/cd_golden.py from scipy
// 1.10 and networkx 2.8 (see the script for what each entry is).
type golden struct {
	Friedman []struct {
		Acc  [][]float64 `json:"acc"`
		Chi2 float64     `json:"chi2"`
		P    float64     `json:"p"`
	} `json:"friedman"`
	Wilcoxon []struct {
		X, Y       []float64
		ZeroMethod string  `json:"zero_method"`
		Statistic  float64 `json:"statistic"`
		P          float64 `json:"p"`
	} `json:"wilcoxon"`
	QAlpha map[string][]float64 `json:"qalpha"`
	Holm   []struct {
		Acc      [][]float64 `json:"acc"`
		Models   []string    `json:"models"`
		Alpha    float64     `json:"alpha"`
		Pairs    [][]any     `json:"pairs"`
		AvgRanks []float64   `json:"avg_ranks"`
		Cliques  [][]string  `json:"cliques"`
	} `json:"holm"`
}

func loadGolden(t *testing.T) *golden {
	b, err := os.ReadFile("testdata/golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	return &g
}

func close(a, b, rel float64) bool { return math.Abs(a-b) <= rel*math.Max(math.Abs(b), 1e-300) }

// Tolerances: statistics 1e-12 relative (same arithmetic); p-values 1e-9 relative
// (gonum's and scipy's special functions agree to about that).
func TestFriedmanMatchesScipy(t *testing.T) {
	for i, c := range loadGolden(t).Friedman {
		got, err := Friedman(c.Acc)
		if err != nil {
			t.Fatal(err)
		}
		if !close(got.ChiSquare, c.Chi2, 1e-12) || !close(got.P, c.P, 1e-9) {
			t.Errorf("case %d: chi2 %v p %v, scipy %v %v", i, got.ChiSquare, got.P, c.Chi2, c.P)
		}
	}
}

func TestWilcoxonMatchesScipy(t *testing.T) {
	zm := map[string]ZeroMethod{"pratt": Pratt, "wilcox": Wilcox, "zsplit": ZSplit}
	for i, c := range loadGolden(t).Wilcoxon {
		s, p, err := Wilcoxon(c.X, c.Y, zm[c.ZeroMethod])
		if err != nil {
			t.Fatal(err)
		}
		if !close(s, c.Statistic, 1e-12) || !close(p, c.P, 1e-9) {
			t.Errorf("case %d (%s, n=%d): T %v p %v, scipy %v %v", i, c.ZeroMethod, len(c.X), s, p, c.Statistic, c.P)
		}
	}
}

// TestQAlpha checks the Nemenyi critical values against Demšar (2006), Table 5(a)
// (k = 2..10, within 0.001: the table's last digit is not always rounded) and against scipy's studentized range (1e-6).
func TestQAlpha(t *testing.T) {
	demsar := map[float64][]float64{
		0.05: {1.960, 2.343, 2.569, 2.728, 2.850, 2.949, 3.031, 3.102, 3.164},
		0.10: {1.645, 2.052, 2.291, 2.459, 2.589, 2.693, 2.780, 2.855, 2.920},
	}
	for alpha, want := range demsar {
		for i, w := range want {
			if got := QAlpha(i+2, alpha); math.Abs(got-w) > 0.001 {
				t.Errorf("q(k=%d, alpha=%g) = %.4f, Demšar %.3f", i+2, alpha, got, w)
			}
		}
	}
	for as, want := range loadGolden(t).QAlpha {
		alpha, _ := strconv.ParseFloat(as, 64)
		for i, w := range want {
			if got := QAlpha(i+2, alpha); !close(got, w, 1e-6) {
				t.Errorf("q(k=%d, alpha=%g) = %v, scipy %v", i+2, alpha, got, w)
			}
		}
	}
	// Demšar's worked example: 4 classifiers on 14 data sets, CD = 1.25 at 0.05.
	if cd := CriticalDifference(4, 14, 0.05); math.Abs(cd-1.25) > 0.005 {
		t.Errorf("CD(4, 14) = %v, Demšar 1.25", cd)
	}
}

// TestAnalyzeMatchesHfawaz compares the Wilcoxon–Holm decisions, average ranks and
// cliques with the procedure of hfawaz/cd-diagram run by the golden script.
func TestAnalyzeMatchesHfawaz(t *testing.T) {
	for _, c := range loadGolden(t).Holm {
		ds := make([]string, len(c.Acc))
		for i := range ds {
			ds[i] = "d" + strconv.Itoa(i)
		}
		a, err := Analyze(ds, c.Models, c.Acc, Options{Alpha: c.Alpha})
		if err != nil {
			t.Fatal(err)
		}
		for i, m := range a.Models {
			j := indexOf(c.Models, m)
			if !close(a.AvgRanks[i], c.AvgRanks[j], 1e-12) {
				t.Errorf("rank of %s = %v, want %v", m, a.AvgRanks[i], c.AvgRanks[j])
			}
		}
		if len(a.Pairs) != len(c.Pairs) {
			t.Fatalf("%d pairs, want %d", len(a.Pairs), len(c.Pairs))
		}
		for i, p := range c.Pairs {
			got := a.Pairs[i]
			if got.A != p[0].(string) || got.B != p[1].(string) || !close(got.P, p[2].(float64), 1e-9) || got.Significant != p[3].(bool) {
				t.Errorf("pair %d = %+v, want %v", i, got, p)
			}
		}
		var cl [][]string
		for _, q := range a.Cliques {
			var names []string
			for _, j := range q {
				names = append(names, a.Models[j])
			}
			sort.Strings(names)
			cl = append(cl, names)
		}
		sort.Slice(cl, func(i, j int) bool { return cl[i][0] < cl[j][0] })
		if !reflect.DeepEqual(cl, c.Cliques) {
			t.Errorf("cliques %v, networkx %v", cl, c.Cliques)
		}
		// The diagram is written in both formats.
		dir := t.TempDir()
		for _, f := range []string{"cd.png", "cd.svg"} {
			if err := a.Plot(filepath.Join(dir, f)); err != nil {
				t.Fatal(err)
			}
			if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() < 1000 {
				t.Errorf("%s: %v", f, err)
			}
		}
	}
}

func TestNemenyiCliques(t *testing.T) {
	// Ranks 1, 2, 3 on every dataset: average ranks 1, 2, 3; with n = 4 datasets and
	// k = 3, CD = 2.343 * sqrt(12/24) = 1.657, so A–B and B–C are joined, A–C not.
	acc := [][]float64{{3, 2, 1}, {3, 2, 1}, {3, 2, 1}, {3, 2, 1}}
	a, err := Analyze([]string{"a", "b", "c", "d"}, []string{"A", "B", "C"}, acc, Options{Method: "nemenyi"})
	if err != nil {
		t.Fatal(err)
	}
	if want := [][]int{{0, 1}, {1, 2}}; !reflect.DeepEqual(a.Cliques, want) {
		t.Errorf("cliques %v, want %v (CD %v)", a.Cliques, want, a.CD)
	}
}

func indexOf(s []string, x string) int {
	for i, v := range s {
		if v == x {
			return i
		}
	}
	return -1
}
