package tsc

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ergml/erg/ucr"
)

// nearestMean is a tiny test model: it predicts the class whose mean first value is
// closest. fits counts calls to Fit; failOn makes Fit fail on a dataset name.
type nearestMean struct {
	means   map[string]float64
	classes []string
}

var fits atomic.Int64

func (m *nearestMean) Fit(ctx context.Context, d *ucr.Dataset, opt FitOptions) error {
	fits.Add(1)
	if d.Name == "Broken" {
		return errors.New("cannot fit Broken")
	}
	m.means, m.classes = map[string]float64{}, d.Classes
	n := map[string]int{}
	for i, y := range d.Y {
		m.means[y] += d.X[i][0][0]
		n[y]++
	}
	for y := range m.means {
		m.means[y] /= float64(n[y])
	}
	time.Sleep(5 * time.Millisecond)
	return nil
}

func (m *nearestMean) Predict(ctx context.Context, X [][][]float64) ([]string, error) {
	out := make([]string, len(X))
	for i, x := range X {
		best := math.Inf(1)
		for _, c := range m.classes {
			if d := math.Abs(x[0][0] - m.means[c]); d < best {
				best, out[i] = d, c
			}
		}
	}
	return out, nil
}

func init() {
	Register("test-nearest-mean", func(p Params) (Classifier, error) {
		if err := p.Check("test-nearest-mean"); err != nil {
			return nil, err
		}
		return &nearestMean{}, nil
	})
}

// writeProblem writes NAME_TRAIN.ts and NAME_TEST.ts under dir: class "a" near 0,
// class "b" near 10; the test split has one case of "b" at 4 (misclassified).
func writeProblem(t *testing.T, dir, name string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	os.MkdirAll(p, 0o755)
	head := "@problemName " + name + "\n@classLabel true a b\n@data\n"
	os.WriteFile(filepath.Join(p, name+"_TRAIN.ts"), []byte(head+"0,1:a\n1,1:a\n10,1:b\n11,1:b\n"), 0o644)
	os.WriteFile(filepath.Join(p, name+"_TEST.ts"), []byte(head+"0.5,1:a\n10.5,1:b\n4,1:b\n2,2:a\n"), 0o644)
	return p
}

func TestRunBenchResumes(t *testing.T) {
	dir := t.TempDir()
	dsets := []string{writeProblem(t, dir, "One"), writeProblem(t, dir, "Two")}
	out := filepath.Join(dir, "results.csv")
	var log bytes.Buffer
	cfg := BenchConfig{Datasets: dsets, Models: []string{"test-nearest-mean"}, Runs: 3, Seed: 10, Out: out, Workers: 2, Progress: &log}
	fits.Store(0)
	res, err := RunBench(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 6 || fits.Load() != 6 {
		t.Fatalf("%d results after %d fits, want 6 and 6", len(res), fits.Load())
	}
	for _, r := range res {
		if r.Accuracy != 0.75 { // 3 of 4 test cases
			t.Errorf("%+v: accuracy %v, want 0.75", r, r.Accuracy)
		}
		if r.Seed != 10+uint64(r.Run) {
			t.Errorf("run %d got seed %d, want %d", r.Run, r.Seed, 10+r.Run)
		}
		if r.EnergyStatus != "estimated" || r.EnergyJ < 0 {
			t.Errorf("energy %v %q", r.EnergyJ, r.EnergyStatus)
		}
	}
	if !strings.Contains(log.String(), "[6/6]") {
		t.Errorf("progress lacks [6/6]:\n%s", log.String())
	}
	// A second call with more runs only runs the new cells.
	cfg.Runs = 4
	fits.Store(0)
	res, err = RunBench(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 8 || fits.Load() != 2 {
		t.Errorf("resume: %d results after %d fits, want 8 and 2", len(res), fits.Load())
	}
	back, err := ReadResults(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != 8 || back[7].Dataset != "Two" || back[7].Run != 3 || back[7].Accuracy != 0.75 {
		t.Errorf("read back %d rows, last %+v", len(back), back[len(back)-1])
	}
	ds, ms, acc := MeanAccuracy(back)
	if !reflect.DeepEqual(ds, []string{"One", "Two"}) || !reflect.DeepEqual(ms, []string{"test-nearest-mean"}) || acc[1][0] != 0.75 {
		t.Errorf("MeanAccuracy = %v %v %v", ds, ms, acc)
	}
}

func TestRunBenchReportsFailures(t *testing.T) {
	dir := t.TempDir()
	dsets := []string{writeProblem(t, dir, "Broken"), writeProblem(t, dir, "Fine")}
	var log bytes.Buffer
	res, err := RunBench(context.Background(), BenchConfig{Datasets: dsets, Models: []string{"test-nearest-mean"}, Runs: 1, Out: filepath.Join(dir, "r.csv"), Progress: &log})
	if err == nil || !strings.Contains(err.Error(), "Broken/test-nearest-mean run 0: cannot fit Broken") {
		t.Errorf("error %v, want it to name the failed cell", err)
	}
	if len(res) != 1 || res[0].Dataset != "Fine" {
		t.Errorf("results %+v, want the Fine cell only", res)
	}
	if _, err := RunBench(context.Background(), BenchConfig{Datasets: dsets, Models: []string{"nope"}, Out: filepath.Join(dir, "r.csv")}); err == nil {
		t.Error("unknown model accepted")
	}
}

func TestReadResultsErrors(t *testing.T) {
	p := filepath.Join(t.TempDir(), "r.csv")
	os.WriteFile(p, []byte("dataset,model,accuracy\nA,m,0.9\nB,m,zero\n"), 0o644)
	if _, err := ReadResults(p); err == nil || !strings.Contains(err.Error(), "r.csv:3: column accuracy") {
		t.Errorf("error %v, want it to name line 3 and the column", err)
	}
	os.WriteFile(p, []byte("dataset,accuracy\nA,0.9\n"), 0o644)
	if _, err := ReadResults(p); err == nil || !strings.Contains(err.Error(), `no "model" column`) {
		t.Errorf("error %v", err)
	}
}

func TestConfusion(t *testing.T) {
	c := NewConfusion([]string{"a", "b"}, []string{"a", "b", "b", "c"}, []string{"a", "a", "b", "b"})
	want := [][]int{{1, 1, 0}, {0, 1, 1}, {0, 0, 0}}
	if !reflect.DeepEqual(c.Counts, want) || !reflect.DeepEqual(c.Classes, []string{"a", "b", "c"}) {
		t.Errorf("confusion %v %v, want %v", c.Classes, c.Counts, want)
	}
	for _, f := range []string{"cm.png", "cm.svg"} {
		p := filepath.Join(t.TempDir(), f)
		if err := c.Plot(p, "test"); err != nil {
			t.Fatal(err)
		}
		if st, err := os.Stat(p); err != nil || st.Size() < 500 {
			t.Errorf("%s not written: %v", f, err)
		}
	}
	if Accuracy([]string{"a", "b"}, []string{"a", "a"}) != 0.5 {
		t.Error("Accuracy")
	}
}

func TestParams(t *testing.T) {
	p := Params{"n": "3", "x": "0.5"}
	if n, err := p.Int("n", 1); n != 3 || err != nil {
		t.Errorf("Int = %v %v", n, err)
	}
	if _, err := (Params{"n": "x"}).Int("n", 1); err == nil {
		t.Error("Int accepted x")
	}
	if err := p.Check("m", "n"); err == nil || !strings.Contains(err.Error(), `"x"`) {
		t.Errorf("Check = %v", err)
	}
	if _, err := New("test-nearest-mean", Params{"bad": "1"}); err == nil {
		t.Error("factory accepted an unknown parameter")
	}
}
