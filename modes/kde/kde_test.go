package kde

import (
	"encoding/csv"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// The golden files in testdata are made by R 4.2 with scripts/modes/golden.R (run
// "Rscript scripts/modes/golden.R" from the repository root).

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

func samples(t *testing.T) map[string][]float64 {
	s := map[string][]float64{}
	for _, r := range readCSV(t, "testdata/samples.csv") {
		s[r["name"]] = append(s[r["name"]], num(t, r["value"]))
	}
	return s
}

func TestBandwidthsMatchR(t *testing.T) {
	const tol = 1e-12 // relative; same arithmetic as R
	s := samples(t)
	for _, r := range readCSV(t, "testdata/bandwidths.csv") {
		x := s[r["name"]]
		check := func(what string, got, want float64, tol float64) {
			if math.Abs(got-want) > tol*math.Abs(want) {
				t.Errorf("%s %s: got %.17g, R %.17g", r["name"], what, got, want)
			}
		}
		check("bw.nrd0", Silverman(x), num(t, r["nrd0"]), tol)
		check("bw.nrd", Scott(x), num(t, r["nrd"]), tol)
		sj, err := SheatherJones(x, SJConfig{})
		if err != nil {
			t.Fatal(err)
		}
		check("bw.SJ", sj, num(t, r["sj"]), 1e-9)
		sjx, err := SheatherJones(x, SJConfig{Tol: 1e-12})
		if err != nil {
			t.Fatal(err)
		}
		check("bw.SJ(tol=1e-12)", sjx, num(t, r["sj_exact"]), 1e-9)
	}
}

func TestBinnedMatchesRDensity(t *testing.T) {
	s := samples(t)
	type key struct {
		name string
		bw   float64
		n    int
	}
	want := map[key][]float64{}
	var order []key
	for _, r := range readCSV(t, "testdata/density.csv") {
		k := key{r["name"], num(t, r["bw"]), int(num(t, r["n"]))}
		if _, ok := want[k]; !ok {
			order = append(order, k)
		}
		want[k] = append(want[k], num(t, r["y"]))
	}
	for _, k := range order {
		e := Density(s[k.name], k.bw, Grid{N: k.n, Method: Binned})
		w := want[k]
		peak := 0.0
		for _, v := range w {
			peak = math.Max(peak, v)
		}
		for i := range w {
			if math.Abs(e.Y[i]-w[i]) > 1e-12*peak {
				t.Errorf("%s bw=%g: y[%d] = %.17g, R density() %.17g", k.name, k.bw, i, e.Y[i], w[i])
				break
			}
		}
		// The exact sum differs from binning only by the binning error, O(delta^2/h^2).
		ex := Density(s[k.name], k.bw, Grid{N: k.n, Method: Exact})
		for i := range w {
			if math.Abs(ex.Y[i]-w[i]) > 2e-3*peak {
				t.Errorf("%s bw=%g: exact y[%d] = %g, binned %g", k.name, k.bw, i, ex.Y[i], w[i])
				break
			}
		}
	}
}

// The estimate integrates to one and its modes of a two-point sample follow the
// closed form: two modes while h < d/2 (d the distance), one above.
func TestTwoPointCriticalBandwidth(t *testing.T) {
	x := []float64{-1, 1, -1, 1}
	h := CriticalBandwidth(x, 1, CritConfig{Grid: Grid{N: 4096, Method: Exact}})
	if math.Abs(h-1) > 2e-3 { // the mixture of N(±1, h²) is bimodal iff h < 1
		t.Errorf("critical bandwidth of {-1,1}: got %g, want 1", h)
	}
	e := Density([]float64{0, 1, 3}, 0.4, Grid{N: 2048})
	integral := 0.0
	for i := 1; i < len(e.X); i++ {
		integral += (e.X[i] - e.X[i-1]) * (e.Y[i] + e.Y[i-1]) / 2
	}
	// The grid stops 3h beyond the extreme points, so the estimate misses the outer
	// tails: mass (Φ(-3) + Φ(-3) + Φ(-(3+1/0.4)) + ...)/3 ≈ 2Φ(-3)/3.
	tail := func(d float64) float64 { return 0.5 * math.Erfc((3+d/0.4)/math.Sqrt2) }
	// left tails of the points 0, 1, 3 beyond min-3h; right tails beyond max+3h
	want := 1 - (tail(0)+tail(1)+tail(3)+tail(3)+tail(2)+tail(0))/3
	if math.Abs(integral-want) > 2e-6 { // trapezoid error O(dx²)
		t.Errorf("integral of estimate = %.8f, want %.8f", integral, want)
	}
}

func TestCriticalBandwidthMonotone(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, 300)
	for i := range x {
		x[i] = rng.NormFloat64()
		if i%3 == 0 {
			x[i] += 4
		}
		if i%3 == 1 {
			x[i] = x[i]*0.5 + 9
		}
	}
	g := Grid{N: 1024}
	prev := math.Inf(1)
	for k := 1; k <= 4; k++ {
		h := CriticalBandwidth(x, k, CritConfig{})
		if h >= prev {
			t.Errorf("h_%d = %g not below h_%d = %g", k, h, k-1, prev)
		}
		if m := NModes(x, h, g); m > k {
			t.Errorf("at h_%d the estimate has %d modes", k, m)
		}
		if m := NModes(x, h*(1-1e-4), g); m <= k {
			t.Errorf("just below h_%d the estimate has %d modes, want > %d", k, m, k)
		}
		prev = h
	}
}

// Live comparison with R's density() and bw.SJ on fresh data when Rscript is installed.
func TestLiveR(t *testing.T) {
	if _, err := exec.LookPath("Rscript"); err != nil {
		t.Skip("Rscript not installed (Debian r-base-core); skipping live comparison")
	}
	rng := rand.New(rand.NewPCG(99, 1))
	x := make([]float64, 237)
	var sb strings.Builder
	for i := range x {
		x[i] = rng.NormFloat64()*2 + float64(i%2)*5
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(strconv.FormatFloat(x[i], 'g', 17, 64))
	}
	out, err := exec.Command("Rscript", "-e", "x <- c("+sb.String()+"); cat(sprintf('%.17g', c(bw.SJ(x), density(x, bw=0.4, n=700)$y)), sep='\\n')").Output()
	if err != nil {
		t.Fatalf("Rscript: %v", err)
	}
	f := strings.Fields(string(out))
	sj, _ := SheatherJones(x, SJConfig{})
	if w := num(t, f[0]); math.Abs(sj-w) > 1e-9*w {
		t.Errorf("bw.SJ: got %.17g, R %.17g", sj, w)
	}
	e := Density(x, 0.4, Grid{N: 700, Method: Binned})
	for i, s := range f[1:] {
		if w := num(t, s); math.Abs(e.Y[i]-w) > 1e-12 {
			t.Fatalf("density y[%d]: got %.17g, R %.17g", i, e.Y[i], w)
		}
	}
}

// Critical bandwidths of the first 20 Old Faithful eruptions computed in R 4.2 with the
// same rule on density(x, bw, n = 1024) (bisection to 1e-7; modes counted as sign
// changes of diff):
//
//	nm <- function(h) { d <- diff(density(x, bw=h, n=1024)$y); sum(d[-1] < 0 & d[-length(d)] > 0) }
//
// gives h_1 = 0.9120, h_2 = 0.2625.
func TestCriticalBandwidthMatchesR(t *testing.T) {
	x := []float64{3.6, 1.8, 3.333, 2.283, 4.533, 2.883, 4.7, 3.6, 1.95, 4.35,
		1.833, 3.917, 4.2, 1.75, 4.7, 2.167, 1.75, 4.8, 1.6, 4.25}
	for k, want := range []float64{0.9120, 0.2625} {
		got := CriticalBandwidth(x, k+1, CritConfig{Grid: Grid{N: 1024, Method: Binned}})
		if math.Abs(got-want) > 1e-4 {
			t.Errorf("h_%d = %.5f, R %.4f", k+1, got, want)
		}
	}
}
