package dip

import (
	"encoding/csv"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// testdata/samples.csv and testdata/dip.csv are made by R with diptest 0.76-0 by
// scripts/modes/golden.R (run "Rscript scripts/modes/golden.R" from the repository root).

func readCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

func num(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestStatisticMatchesR(t *testing.T) {
	s := map[string][]float64{}
	for _, r := range readCSV(t, "testdata/samples.csv") {
		s[r["name"]] = append(s[r["name"]], num(t, r["value"]))
	}
	for _, r := range readCSV(t, "testdata/dip.csv") {
		x := s[r["name"]]
		got := Statistic(x)
		want := num(t, r["dip"])
		if math.Abs(got.Dip-want) > 1e-15*want {
			t.Errorf("%s: dip = %.17g, R dip() = %.17g", r["name"], got.Dip, want)
		}
		if lo, hi := int(num(t, r["lo"]))-1, int(num(t, r["hi"]))-1; got.Lo != lo || got.Hi != hi {
			t.Errorf("%s: modal interval indices (%d,%d), R (%d,%d)", r["name"], got.Lo, got.Hi, lo, hi)
		}
	}
}

// The table was simulated by erg (internal/gentable), R's qDiptab independently with 10^6
// samples per n, so the interpolated p-values agree to Monte Carlo error.
const pTol = 0.01

func TestTablePValueMatchesR(t *testing.T) {
	s := map[string][]float64{}
	for _, r := range readCSV(t, "testdata/samples.csv") {
		s[r["name"]] = append(s[r["name"]], num(t, r["value"]))
	}
	for _, r := range readCSV(t, "testdata/dip.csv") {
		got := Test(s[r["name"]], TestConfig{})
		if want := num(t, r["p_table"]); math.Abs(got.PValue-want) > pTol {
			t.Errorf("%s: p = %.5f, R dip.test %.5f", r["name"], got.PValue, want)
		}
	}
}

func TestSimulatedPValue(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	x := make([]float64, 150)
	for i := range x {
		x[i] = rng.NormFloat64() + float64(i%2)*2.2
	}
	tab := Test(x, TestConfig{})
	const B = 4000
	a := Test(x, TestConfig{B: B, Seed: 1, Workers: 1})
	b := Test(x, TestConfig{B: B, Seed: 1, Workers: 3})
	if a.PValue != b.PValue {
		t.Errorf("simulated p depends on workers: %g vs %g", a.PValue, b.PValue)
	}
	se := math.Sqrt(tab.PValue * (1 - tab.PValue) / B)
	if math.Abs(a.PValue-tab.PValue) > 4*se+0.005 {
		t.Errorf("simulated p = %g, table p = %g (se %g)", a.PValue, tab.PValue, se)
	}
}

// Live comparison with R's diptest on fresh samples when R and diptest are installed.
func TestLiveR(t *testing.T) {
	if _, err := exec.LookPath("Rscript"); err != nil {
		t.Skip("Rscript not installed (Debian r-base-core r-cran-diptest); skipping live comparison")
	}
	if err := exec.Command("Rscript", "-e", "library(diptest)").Run(); err != nil {
		t.Skip("R package diptest not installed (Debian r-cran-diptest); skipping live comparison")
	}
	rng := rand.New(rand.NewPCG(11, 3))
	var sb strings.Builder
	var xs [][]float64
	for k, n := range []int{7, 33, 120, 800, 3000} {
		x := make([]float64, n)
		for i := range x {
			x[i] = rng.NormFloat64() + float64(i%(k+1))*1.5
			if k == 1 {
				x[i] = math.Round(x[i]*4) / 4 // ties
			}
		}
		xs = append(xs, x)
		sb.WriteString("x <- c(")
		for i, v := range x {
			if i > 0 {
				sb.WriteByte(',')
			}
			sb.WriteString(strconv.FormatFloat(v, 'g', 17, 64))
		}
		sb.WriteString("); cat(sprintf('%.17g %.17g', dip(x), dip.test(x)$p.value), '\\n')\n")
	}
	script := filepath.Join(t.TempDir(), "live.R")
	if err := os.WriteFile(script, []byte("suppressPackageStartupMessages(library(diptest))\n"+sb.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("Rscript", script).Output()
	if err != nil {
		t.Fatalf("Rscript: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	for i, x := range xs {
		f := strings.Fields(lines[i])
		got := Test(x, TestConfig{})
		if d := num(t, f[0]); math.Abs(got.Dip-d) > 1e-15*d {
			t.Errorf("n=%d: dip %.17g, R %.17g", len(x), got.Dip, d)
		}
		if p := num(t, f[1]); math.Abs(got.PValue-p) > pTol {
			t.Errorf("n=%d: p %.5f, R %.5f", len(x), got.PValue, p)
		}
	}
}

// The dip of 10^6 points (sorting included) must take well under a second.
func TestDipMillionSpeed(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, 1_000_000)
	for i := range x {
		x[i] = rng.NormFloat64()
		if i%3 == 0 {
			x[i] += 3
		}
	}
	start := time.Now()
	r := Statistic(x)
	el := time.Since(start)
	t.Logf("dip of 1e6 points: %.4f in %v (GOMAXPROCS %d)", r.Dip, el, runtime.GOMAXPROCS(0))
	if el > 2*time.Second { // target 1 s; leave room for a loaded test machine
		t.Errorf("dip of 1e6 points took %v", el)
	}
}
