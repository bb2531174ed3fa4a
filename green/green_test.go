package green

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ergml/erg/run"
)

func TestParseEnv(t *testing.T) {
	f, err := ParseEnv([]string{"batch=64,256", "threads=1,2", "dtype=float32,float64", "backend=go,xla"})
	if err != nil {
		t.Fatal(err)
	}
	if len(f) != 4 || f[0].Key != "threads" || f[2].Key != "batch" {
		t.Fatalf("factors %+v: want EnvKeys order", f)
	}
	base, all := Envs(f)
	if base != DefaultEnv || len(all) != 16 || all[0] != base {
		t.Errorf("base %v, %d environments (first %v): want DefaultEnv, 16, the base first", base, len(all), all[0])
	}
	for _, c := range []struct{ tok, want string }{
		{"gpu=1", `unknown key "gpu" (valid: threads, dtype, batch, backend)`},
		{"threads", "malformed"},
		{"threads=0", `level "0" of threads`},
		{"dtype=float16", `level "float16" of dtype`},
		{"batch=64,64", "repeated level"},
	} {
		_, err := ParseEnv([]string{c.tok})
		var fe *run.FieldError
		if !errors.As(err, &fe) || fe.Field != "env" || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), c.tok) {
			t.Errorf("%q: error %v, want a FieldError of env naming the token and %q", c.tok, err, c.want)
		}
	}
	if _, err := ParseEnv([]string{"threads=1", "threads=2"}); err == nil {
		t.Error("a key given twice: no error")
	}
}

// TestCells: the grid: 5 models × 3 seeds, mlp and cnn in all 16
// environments; float64 and xla cells are planned as skipped with a reason.
func TestCells(t *testing.T) {
	env, _ := ParseEnv([]string{"threads=1,2", "dtype=float32,float64", "batch=64,256", "backend=go,xla"})
	cells, err := StudyConfig{Seeds: 3, Env: env}.Cells()
	if err != nil {
		t.Fatal(err)
	}
	if want := 2*16*3 + 3*3; len(cells) != want {
		t.Fatalf("%d cells, want %d", len(cells), want)
	}
	var run, dtype, xla int
	ids := map[string]bool{}
	for _, c := range cells {
		ids[c.ID] = true
		switch {
		case c.Skip == "":
			run++
		case c.Skip == SkipDType:
			dtype++
		case strings.Contains(c.Skip, "xla"):
			xla++
		}
	}
	if len(ids) != len(cells) || run != 2*4*3+9 || dtype != 2*8*3 || xla != 2*4*3 {
		t.Errorf("%d unique ids, %d to run, %d float64, %d xla", len(ids), run, dtype, xla)
	}
	if _, err := (StudyConfig{Models: []string{"alexnet"}}).Cells(); err == nil || !strings.Contains(err.Error(), "mlp, cnn") {
		t.Errorf("unknown model: %v, want the valid ones listed", err)
	}
}

func sampleRows() []Row {
	mk := func(model string, threads, batch int, seed uint64, acc, cpu, wall float64) Row {
		c, _ := ModelCost(model, 28, 28, 1, 10)
		j := 12.5*cpu + 0.1*wall
		return Row{Cell: CellID(model, Env{threads, "float32", batch, "go"}, seed), Model: model, Threads: threads, DType: "float32", Batch: batch, Backend: "go",
			Seed: seed, Data: "fashion", Status: StatusOK, TestAccuracy: acc, MacroF1: acc - 0.01, Epochs: 2, ImagesSeen: 1000,
			WallSeconds: wall, CPUSeconds: cpu, Joules: j, JPerImage: j / 1000, EnergyStatus: "estimated",
			EnergyMethod: "cpu: cpu-time x 12.5 W/core", WattsPerCore: 12.5, MachineCPUs: 2, Params: c.Params, FLOPs: c.FLOPs, RunDir: "runs/" + model}
	}
	var rows []Row
	for s := uint64(0); s < 3; s++ {
		d := float64(s)
		rows = append(rows,
			mk("mlp", 1, 64, s, 0.880+0.001*d, 10+d, 10.5+d),
			mk("cnn", 1, 64, s, 0.905+0.001*d, 60+d, 61+d),
			mk("resnet8", 1, 64, s, 0.896+0.001*d, 150+d, 151+d),
			// two threads: more CPU seconds, less wall time (race to idle)
			mk("mlp", 2, 64, s, 0.880+0.001*d, 12+d, 6.5+d),
			mk("cnn", 2, 64, s, 0.905+0.001*d, 66+d, 34+d),
		)
	}
	sk := skippedRow(StudyConfig{Data: "fashion"}, Cell{ID: "mlp-t1-float64-b64-go-s0", Model: "mlp", Env: Env{1, "float64", 64, "go"}, Skip: SkipDType})
	return append(rows, sk)
}

func TestCSVRoundTrip(t *testing.T) {
	rows := sampleRows()
	p := filepath.Join(t.TempDir(), "s.csv")
	if err := WriteCSV(p, rows); err != nil {
		t.Fatal(err)
	}
	back, err := ReadCSV(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != len(rows) {
		t.Fatalf("%d rows back, wrote %d", len(back), len(rows))
	}
	for i := range rows {
		a, b := rows[i], back[i]
		if a.Cell != b.Cell || a.Joules != b.Joules && !(math.IsNaN(a.Joules) && math.IsNaN(b.Joules)) || a.Reason != b.Reason || a.FLOPs != b.FLOPs || a.Seed != b.Seed {
			t.Errorf("row %d: wrote %+v, read %+v", i, a, b)
		}
	}
	// a header that does not match names the column
	raw, _ := os.ReadFile(p)
	bad := strings.Replace(string(raw), "cpu_s", "cpu_seconds", 1)
	_, err = DecodeCSV(strings.NewReader(bad), "bad.csv")
	var ce *CSVError
	if !errors.As(err, &ce) || ce.Column != "cpu_seconds" || ce.Line != 1 || !strings.Contains(err.Error(), `want "cpu_s"`) {
		t.Errorf("bad header: %v", err)
	}
	bad = strings.Replace(string(raw), ",ok,", ",done,", 1)
	if _, err = DecodeCSV(strings.NewReader(bad), "bad.csv"); !errors.As(err, &ce) || ce.Column != "status" || ce.Line != 2 {
		t.Errorf("bad status: %v", err)
	}
}

// TestAnalyze: on rows where two threads use 20% and 10% more CPU time but half the
// wall time, the meter finds two threads costlier and the idle+dynamic model (idle
// 0.3 × 2 CPUs × wall) cheaper: the flip must be flagged. Architecture order,
// Pareto front and the largest reduction are checked by hand.
func TestAnalyze(t *testing.T) {
	rep, err := Analyze(sampleRows(), ReportConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK != 15 || rep.Skipped != 1 || rep.Label != "estimated" {
		t.Errorf("ok %d skipped %d label %q", rep.OK, rep.Skipped, rep.Label)
	}
	if got := modelOrder(rep.RQ1.Models); strings.Join(got, ",") != "mlp,cnn,resnet8" {
		t.Errorf("RQ1 order %v", got)
	}
	if rep.RQ1.Kruskal == nil || rep.RQ1.Kruskal.P > 0.05 || rep.RQ1.Flops == nil || rep.RQ1.Flops.Statistic < 0.9 {
		t.Errorf("RQ1 %+v %+v: want a significant KW and ρ ≈ 1 (energy grows with FLOPs here)", rep.RQ1.Kruskal, rep.RQ1.Flops)
	}
	// Pareto: mlp-t1 (cheapest), then cnn-t1 (0.906 median > 0.881); resnet8 dominated.
	if strings.Join(rep.Pareto, ",") != "mlp-t1-float32-b64-go,cnn-t1-float32-b64-go" {
		t.Errorf("Pareto front %v", rep.Pareto)
	}
	flipped := 0
	for _, e := range rep.RQ2 {
		if e.Factor == "threads" {
			if !(e.Ratio > 1 && e.AltRatio < 1 && e.Flipped) {
				t.Errorf("%s threads: ratio %v alt %v flipped %v; want > 1, < 1, flagged", e.Model, e.Ratio, e.AltRatio, e.Flipped)
			}
			flipped++
		}
	}
	if flipped != 2 || len(rep.Flips) < 2 {
		t.Errorf("%d threads effects, flips %q", flipped, rep.Flips)
	}
	// largest reduction at ≤ 1 point: mlp (0.881) is more than a point below every
	// other model, so the largest is resnet8 (0.897, 151 CPU s) → cnn-t1 (0.906, 61).
	l := rep.Largest
	if l == nil || l.From != "resnet8-t1-float32-b64-go" || l.To != "cnn-t1-float32-b64-go" {
		t.Fatalf("largest reduction %+v, want resnet8 → cnn-t1", l)
	}
	want := 1 - (12.5*61+0.1*62)/(12.5*151+0.1*152)
	if math.Abs(l.Reduction-want) > 1e-12 {
		t.Errorf("reduction %v, hand %v", l.Reduction, want)
	}
	if len(rep.SkippedLevels) != 1 || rep.SkippedLevels[0].Level != "float64" {
		t.Errorf("skipped levels %+v", rep.SkippedLevels)
	}
	if _, err := json.Marshal(rep); err != nil {
		t.Errorf("report does not encode as JSON: %v", err)
	}
	dir := t.TempDir()
	if err := rep.PlotPareto(filepath.Join(dir, "p.png")); err != nil {
		t.Fatal(err)
	}
	if err := rep.WriteHTML(filepath.Join(dir, "r.html"), filepath.Join(dir, "p.png")); err != nil {
		t.Fatal(err)
	}
}

func TestMacroF1(t *testing.T) {
	// sklearn.metrics.f1_score([0,0,0,1,1,2], [0,0,1,1,2,2], average="macro"):
	// class 0: 2TP=4, FP 0, FN 1 → 0.8; class 1: 2/(2+1+1) = 0.5; class 2: 2/(2+1+0) = 2/3.
	conf := [][]int{{2, 1, 0}, {0, 1, 1}, {0, 0, 1}}
	if got, want := MacroF1(conf), (0.8+0.5+2.0/3)/3; math.Abs(got-want) > 1e-15 {
		t.Errorf("macro-F1 %v, want %v", got, want)
	}
}

// TestPredict builds a run directory by hand: 4 epochs of 100 J after a first of
// 130 J (warm-up), and 20 J after the last epoch (the final evaluation): final 550 J.
func TestPredict(t *testing.T) {
	d, err := run.Create(t.TempDir(), "p", map[string]any{"epochs": 5})
	if err != nil {
		t.Fatal(err)
	}
	cum := 0.0
	for e := 1; e <= 5; e++ {
		if e == 1 {
			cum += 130
		} else {
			cum += 100
		}
		if err := d.Log(run.Metric{"step": e * 10, "epoch": e, "joules": cum, "seconds": float64(e) * 2}); err != nil {
			t.Fatal(err)
		}
	}
	d.Close()
	if _, err := Predict(d, []int{1}); !errors.Is(err, ErrNoEnergy) {
		t.Fatalf("no energy.json: %v, want ErrNoEnergy", err)
	}
	if err := d.WriteJSON(run.EnergyFile, map[string]any{"joules": 550.0, "seconds": 11.0, "status": "estimated"}); err != nil {
		t.Fatal(err)
	}
	res, err := Predict(d, []int{1, 2, 3})
	if err != nil {
		t.Fatal(err)
	}
	p1, p3 := res.Predictions[0], res.Predictions[2]
	if p1.Carbontracker != 650 || math.Abs(p1.CarbontrackerErr-100.0/550) > 1e-12 || p1.SkipFirst != nil {
		t.Errorf("k=1: %+v; want 5 × 130 = 650, +18.2%%, no skip variant", p1)
	}
	if *p3.SkipFirst != 530 || math.Abs(p3.Carbontracker-5*110) > 1e-9 {
		t.Errorf("k=3: carbontracker %v (want 550), skip-first %v (want 130 + 4 × 100 = 530)", p3.Carbontracker, *p3.SkipFirst)
	}
	if _, err := Predict(d, []int{6}); err == nil {
		t.Error("k beyond the run: no error")
	}
}
