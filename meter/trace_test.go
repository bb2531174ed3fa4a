package meter

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

// TestIntegrateTraceSEAA integrates the first 20 samples of a real nvidia-smi trace
// of the paper's replication package (GAISSA-UPC/seaa2023_ect,
// data/metrics/raw/cloud/mobilenet_v2/gpu-power-20221205T095541.csv, CC BY 4.0):
// numpy.trapz of the same samples gives 2356.92039 J (float timestamps; 19.02 s),
// and the paper's first formula, sum × duration, 47197.179.
func TestIntegrateTraceSEAA(t *testing.T) {
	e, err := IntegrateTraceFile("testdata/gpu-power-seaa2023.csv", TraceConfig{Time: "timestamp", Power: "gpu_power_draw"})
	if err != nil {
		t.Fatal(err)
	}
	const tol = 1e-6
	if e.Samples != 20 || math.Abs(e.Seconds-19.02) > 1e-9 {
		t.Errorf("%d samples over %v s, want 20 over 19.02", e.Samples, e.Seconds)
	}
	// numpy's float64 epoch timestamps lose ~2e-8 s per sample; compare relatively.
	if rel := math.Abs(e.Joules-2356.9203931188586) / 2356.92; rel > tol {
		t.Errorf("trapezoid %v J, numpy.trapz 2356.9204 (rel. diff %.2g)", e.Joules, rel)
	}
	if rel := math.Abs(e.SumTimesDuration-47197.178952670096) / 47197.18; rel > tol {
		t.Errorf("sum × duration %v, numpy 47197.179", e.SumTimesDuration)
	}
}

// TestIntegrateTraceNvidiaSMI: nvidia-smi's own CSV (units in the values, an [N/A]
// row, a gap), integrated by hand: 11.205 + 32.5 + 231 + 12 = 286.705 J; with
// MaxGap 10 s the 16.5 s gap (231 J) is left out.
func TestIntegrateTraceNvidiaSMI(t *testing.T) {
	e, err := IntegrateTraceFile("testdata/nvidia-smi.csv", TraceConfig{Time: "timestamp", Power: "power.draw"})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(e.Joules-286.705) > 1e-9 || e.Skipped != 1 || e.Samples != 5 || e.Gaps != 1 || e.GapSeconds != 16.5 {
		t.Errorf("got %+v, want 286.705 J, 1 skipped, 5 samples, 1 gap of 16.5 s", e)
	}
	e, err = IntegrateTraceFile("testdata/nvidia-smi.csv", TraceConfig{Time: "1", Power: "2", MaxGap: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(e.Joules-55.705) > 1e-9 || math.Abs(e.MeanW-55.705/4.5) > 1e-9 {
		t.Errorf("MaxGap 10 s: %v J, mean %v W; want 55.705 J over 4.5 s", e.Joules, e.MeanW)
	}
}

// TestTraceDoubling: a trace twice as long at the same (irregularly sampled) power
// gives exactly twice the trapezoid energy; sum × duration gives about four times.
func TestTraceDoubling(t *testing.T) {
	mk := func(n int) string {
		var b strings.Builder
		b.WriteString("t,p\n")
		tt := 1700000000.0
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "%.3f,%g W\n", tt, 100.0)
			tt += []float64{1, 0.5, 2, 1}[i%4]
		}
		return b.String()
	}
	short, err := IntegrateTrace(strings.NewReader(mk(41)), "short", TraceConfig{Time: "t", Power: "p"})
	if err != nil {
		t.Fatal(err)
	}
	long, err := IntegrateTrace(strings.NewReader(mk(81)), "long", TraceConfig{Time: "t", Power: "p"})
	if err != nil {
		t.Fatal(err)
	}
	if long.Joules != 2*short.Joules || short.Joules != 100*short.Seconds {
		t.Errorf("short %v J over %v s, long %v J: want exactly twice", short.Joules, short.Seconds, long.Joules)
	}
	if r := long.SumTimesDuration / short.SumTimesDuration; r < 3.9 {
		t.Errorf("sum × duration ratio %v, want ≈ 4 (the flawed formula)", r)
	}
}

func TestTraceErrors(t *testing.T) {
	for _, c := range []struct{ body, want string }{
		{"t,p\n1,5\n0.5,5\n", "x:3: column t: time goes back"},
		{"t,p\nnoon,5\n2,5\n", "x:2: column t: \"noon\" is neither"},
		{"t,q\n1,5\n", "x:1: column p: no column \"p\" (have t, q)"},
		{"t,p\n1,5\n", "need at least 2"},
	} {
		_, err := IntegrateTrace(strings.NewReader(c.body), "x", TraceConfig{Time: "t", Power: "p"})
		var te *TraceError
		if err == nil || !errors.As(err, &te) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want a TraceError containing %q", c.body, err, c.want)
		}
	}
	for s, w := range map[string]float64{"10.41 W": 10.41, "250 mW": 0.25, "1.5kW": 1500, " 7 ": 7} {
		if v, err := ParseWatts(s); err != nil || math.Abs(v-w) > 1e-12 {
			t.Errorf("ParseWatts(%q) = %v, %v; want %v", s, v, err, w)
		}
	}
}

func ExampleIntegrateTrace() {
	trace := "timestamp, power.draw [W]\n" +
		"2024/01/10 12:00:00.000, 100.00 W\n" +
		"2024/01/10 12:00:01.000, 120.00 W\n" +
		"2024/01/10 12:00:03.000, 120.00 W\n"
	e, err := IntegrateTrace(strings.NewReader(trace), "gpu.csv", TraceConfig{Time: "timestamp", Power: "power.draw"})
	if err != nil {
		panic(err)
	}
	fmt.Printf("%.1f J over %.0f s (mean %.1f W)\n", e.Joules, e.Seconds, e.MeanW)
	// Output:
	// 350.0 J over 3 s (mean 116.7 W)
}
