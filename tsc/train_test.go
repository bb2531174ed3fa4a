package tsc_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ergml/erg/run"
	"github.com/ergml/erg/run/runtest"
	"github.com/ergml/erg/train"
	"github.com/ergml/erg/tsc"
	_ "github.com/ergml/erg/tsc/deep" // registers fcn
	_ "github.com/ergml/erg/tsc/minirocket"
	"github.com/ergml/erg/ucr"
	"github.com/gomlx/gomlx/ml/model"
)

// writeSynth writes a small two-class problem Synth (NAME_TRAIN.ts, NAME_TEST.ts) under
// dir: class "up" is a noisy rising ramp with a bump, "down" a falling one.
func writeSynth(t testing.TB, dir string, n, length int) string {
	t.Helper()
	p := filepath.Join(dir, "Synth")
	if err := os.MkdirAll(p, 0o755); err != nil {
		t.Fatal(err)
	}
	seed := uint64(12345)
	noise := func() float64 {
		seed = seed*6364136223846793005 + 1442695040888963407
		return float64(seed>>11)/float64(1<<53) - 0.5
	}
	for _, split := range []string{"TRAIN", "TEST"} {
		var b strings.Builder
		b.WriteString("@problemName Synth\n@timeStamps false\n@univariate true\n@classLabel true down up\n@data\n")
		for i := 0; i < n; i++ {
			label, sign := "up", 1.0
			if i%2 == 1 {
				label, sign = "down", -1.0
			}
			shift := int(float64(length) * (0.3 + 0.4*(noise()+0.5)))
			for k := 0; k < length; k++ {
				x := sign*float64(k)/float64(length) + 0.8*noise()
				if d := k - shift; d > -3 && d < 3 {
					x += sign * 1.5 * math.Cos(float64(d)/2)
				}
				if k > 0 {
					b.WriteByte(',')
				}
				fmt.Fprintf(&b, "%.4f", x)
			}
			b.WriteString(":" + label + "\n")
		}
		if err := os.WriteFile(filepath.Join(p, "Synth_"+split+".ts"), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

// killConfig is the run of TestTrainKill9Resume: FCN for 40 epochs of 10 steps on
// Synth, a checkpoint every 4 epochs.
func killConfig(data string) tsc.TrainConfig {
	return tsc.TrainConfig{Data: data, Model: "fcn", Runs: 1, Seed: 3, Epochs: 40, CheckpointEvery: 4}
}

// TestTrainKillChild is the child half of TestTrainKill9Resume: it trains until killed.
func TestTrainKillChild(t *testing.T) {
	root := runtest.ChildEnv(t, "ERG_TSC_KILL_ROOT")
	tsc.Train(context.Background(), killConfig(os.Getenv("ERG_TSC_KILL_DATA")), run.Options{Root: root, Name: "killed", Quiet: true})
}

// TestTrainKill9Resume runs erg tsc train's library half with a deep model in a child
// process, kills it with SIGKILL after its first checkpoint, resumes the run and checks
// that it ends with the same model (the saved file, byte for byte), accuracy and
// per-epoch losses as an uninterrupted run, and that the run directory holds every file
// of a finished experiment.
func TestTrainKill9Resume(t *testing.T) {
	data := writeSynth(t, t.TempDir(), 40, 32)
	root := t.TempDir()
	var rd *run.Dir
	runtest.KillChild(t, "TestTrainKillChild", []string{"ERG_TSC_KILL_ROOT=" + root, "ERG_TSC_KILL_DATA=" + data}, 60*time.Second, func() bool {
		d, err := run.Resolve(root, "killed")
		if err != nil {
			return false
		}
		rd = d
		if _, err := os.Stat(rd.File(run.CheckpointFile)); err != nil {
			return false
		}
		ms, _ := rd.Metrics()
		return len(ms) > 0 && ms[len(ms)-1]["epoch"].(float64) >= 6
	})
	st, _, err := train.LoadCheckpoint(rd.File(run.CheckpointFile), model.NewStore())
	if err != nil {
		t.Fatal(err)
	}
	if st.Epoch >= 40 {
		t.Fatalf("the child finished (epoch %d) before the kill; the test proves nothing", st.Epoch)
	}
	if _, err := os.Stat(rd.File(run.SummaryFile)); err == nil {
		t.Fatal("the killed run has a summary")
	}
	t.Logf("killed with the checkpoint at epoch %d", st.Epoch)

	ctx := context.Background()
	res, err := tsc.Train(ctx, tsc.TrainConfig{}, run.Options{Root: root, Resume: "killed", Quiet: true})
	if err != nil {
		t.Fatal(err)
	}
	full, err := tsc.Train(ctx, killConfig(data), run.Options{Root: t.TempDir(), Name: "full", Quiet: true})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Resumed || res.Dir != rd.Path {
		t.Errorf("resumed outcome in %s (resumed %v), want %s", res.Dir, res.Resumed, rd.Path)
	}
	if res.MeanAccuracy != full.MeanAccuracy || res.Runs[0].Loss != full.Runs[0].Loss || res.Runs[0].Steps != 400 {
		t.Errorf("killed+resumed: accuracy %v, loss %v, %d steps; uninterrupted: %v, %v, %d", res.MeanAccuracy, res.Runs[0].Loss, res.Runs[0].Steps, full.MeanAccuracy, full.Runs[0].Loss, full.Runs[0].Steps)
	}
	mr, _ := os.ReadFile(res.ModelFile)
	mf, _ := os.ReadFile(full.ModelFile)
	if len(mr) == 0 || !bytes.Equal(mr, mf) {
		t.Errorf("the saved models differ (%d and %d bytes): the resumed run did not reach the same parameters", len(mr), len(mf))
	}
	msR, _ := rd.Metrics()
	fd, _ := run.Open(full.Dir)
	msF, _ := fd.Metrics()
	if len(msR) != 40 || len(msF) != 40 {
		t.Fatalf("%d and %d metric lines, want one per epoch (40)", len(msR), len(msF))
	}
	for i := range msR {
		if msR[i]["epoch"] != float64(i+1) || msR[i]["epoch_loss"] != msF[i]["epoch_loss"] {
			t.Errorf("line %d: epoch %v loss %v; uninterrupted: epoch %v loss %v", i, msR[i]["epoch"], msR[i]["epoch_loss"], msF[i]["epoch"], msF[i]["epoch_loss"])
		}
	}
	for _, f := range []string{run.ConfigFile, run.MetricsFile, run.CheckpointFile, run.EnergyFile, run.SummaryFile, run.ReportFile, tsc.ConfusionFile, tsc.ModelFile} {
		if _, err := os.Stat(rd.File(f)); err != nil {
			t.Errorf("resumed run: %v", err)
		}
	}
	var sum map[string]any
	if err := rd.ReadJSON(run.SummaryFile, &sum); err != nil || sum["status"] != "finished" || sum["accuracy"] != res.MeanAccuracy {
		t.Errorf("summary %v (%v)", sum, err)
	}
	if s, _ := sum["seconds"].(float64); s < st.Seconds {
		t.Errorf("summary seconds %v do not include the killed session's %v", s, st.Seconds)
	}
	figs, _ := rd.Figures()
	if len(figs) == 0 || figs[0].File != tsc.ConfusionFile {
		t.Errorf("figures %v, want the confusion plot", figs)
	}
	// The saved model predicts as the run did.
	c, name, err := tsc.LoadModel(res.ModelFile)
	if err != nil || name != "fcn" {
		t.Fatalf("LoadModel: %v (%s)", err, name)
	}
	_, te := loadSplits(t, data)
	pred, err := c.Predict(ctx, te.X)
	if err != nil {
		t.Fatal(err)
	}
	if a := tsc.Accuracy(pred, te.Y); a != res.MeanAccuracy {
		t.Errorf("the loaded model's accuracy %v, the run's %v", a, res.MeanAccuracy)
	}
}

// TestTrainSeriesResumes interrupts a series of three FCN runs during its second run
// (as Ctrl-C would) and resumes it: the first run is kept, the second continues from
// its checkpoint, the third starts; every run ends as in an uninterrupted series.
func TestTrainSeriesResumes(t *testing.T) {
	data := writeSynth(t, t.TempDir(), 20, 24)
	cfg := tsc.TrainConfig{Data: data, Model: "fcn", Runs: 3, Seed: 7, Epochs: 8, CheckpointEvery: 2}
	full, err := tsc.Train(context.Background(), cfg, run.Options{Root: t.TempDir(), Quiet: true})
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	go func() { // cancel once the second run has logged a few epochs
		for ctx.Err() == nil {
			if m, _ := filepath.Glob(filepath.Join(root, "*", "*-run1", run.MetricsFile)); len(m) == 1 {
				if b, _ := os.ReadFile(m[0]); bytes.Count(b, []byte("\n")) >= 3 {
					cancel()
				}
			}
			time.Sleep(5 * time.Millisecond)
		}
	}()
	_, err = tsc.Train(ctx, cfg, run.Options{Root: root, Name: "series", Quiet: true})
	cancel()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted series: %v, want context.Canceled", err)
	}
	rd, err := run.Resolve(root, "series")
	if err != nil {
		t.Fatal(err)
	}
	var sum map[string]any
	rd.ReadJSON(run.SummaryFile, &sum)
	if sum["status"] != "interrupted" {
		t.Errorf("interrupted series status %v", sum["status"])
	}
	run1, err := run.Resolve(rd.Path, "run1")
	if err != nil {
		t.Fatal(err)
	}
	st, _, err := train.LoadCheckpoint(run1.File(run.CheckpointFile), model.NewStore())
	if err != nil || st.Epoch >= 8 {
		t.Fatalf("run1 checkpoint at epoch %d (%v): the interruption missed the second run", st.Epoch, err)
	}
	if _, err := run.Resolve(rd.Path, "run2"); err == nil {
		t.Fatal("the third run started before the interruption")
	}
	t.Logf("interrupted in run1 at epoch %d", st.Epoch)
	res, err := tsc.Train(context.Background(), tsc.TrainConfig{}, run.Options{Root: root, Resume: "series", Quiet: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Runs) != 3 || res.MeanAccuracy != full.MeanAccuracy {
		t.Fatalf("resumed series: %+v; uninterrupted mean accuracy %v", res.Runs, full.MeanAccuracy)
	}
	for r := range res.Runs {
		a, b := res.Runs[r], full.Runs[r]
		if a.Seed != 7+uint64(r) || a.Accuracy != b.Accuracy || a.Loss != b.Loss || a.Steps != b.Steps {
			t.Errorf("run %d: %+v; uninterrupted %+v", r, a, b)
		}
		ma, _ := os.ReadFile(filepath.Join(res.Dir, a.Dir, tsc.ModelFile))
		mb, _ := os.ReadFile(filepath.Join(full.Dir, b.Dir, tsc.ModelFile))
		if len(ma) == 0 || !bytes.Equal(ma, mb) {
			t.Errorf("run %d: the saved models differ", r)
		}
	}
	ms, _ := rd.Metrics()
	if len(ms) != 3 || ms[2]["step"] != 3.0 || ms[2]["run"] != 2.0 {
		t.Errorf("series metrics %v, want one line per run", ms)
	}
	for _, f := range []string{run.ConfigFile, run.EnergyFile, run.SummaryFile, run.ReportFile, tsc.ConfusionFile, tsc.ModelFile} {
		if _, err := os.Stat(rd.File(f)); err != nil {
			t.Errorf("series: %v", err)
		}
	}
	if !strings.Contains(res.Headline, "3 runs") {
		t.Errorf("headline %q", res.Headline)
	}
}

// TestTrainMiniRocket: a model without steps logs one metric line per run, and its run
// directory gets the model and confusion plot; --save and --confusion copies too.
func TestTrainMiniRocket(t *testing.T) {
	data := writeSynth(t, t.TempDir(), 20, 24)
	root, extra := t.TempDir(), t.TempDir()
	cfg := tsc.TrainConfig{Data: data, Model: "minirocket", Params: tsc.Params{"num_features": "840"}, Runs: 1,
		Save: filepath.Join(extra, "m.model"), Confusion: filepath.Join(extra, "cm.svg")}
	out, err := tsc.Train(context.Background(), cfg, run.Options{Root: root, Quiet: true})
	if err != nil {
		t.Fatal(err)
	}
	rd, _ := run.Open(out.Dir)
	ms, _ := rd.Metrics()
	if len(ms) != 1 || ms[0]["accuracy"] != out.MeanAccuracy || out.MeanAccuracy < 0.8 {
		t.Errorf("metrics %v, accuracy %v", ms, out.MeanAccuracy)
	}
	if filepath.Base(out.Dir)[16:] != "Synth-minirocket" {
		t.Errorf("run directory %s, want the name Synth-minirocket", out.Dir)
	}
	for _, f := range []string{out.ModelFile, out.ConfusionPlot, out.Saved, out.Confusion, rd.File(run.EnergyFile), rd.File(run.ReportFile)} {
		if _, err := os.Stat(f); err != nil {
			t.Error(err)
		}
	}
	if _, err := os.Stat(rd.File(run.CheckpointFile)); err == nil {
		t.Error("minirocket run has a checkpoint")
	}
	// Resuming a finished run fits it again to the same result, keeping one line.
	again, err := tsc.Train(context.Background(), tsc.TrainConfig{}, run.Options{Root: root, Resume: out.Dir, Quiet: true})
	if err != nil || again.MeanAccuracy != out.MeanAccuracy {
		t.Fatalf("resumed: %v %v", again, err)
	}
	if ms, _ := rd.Metrics(); len(ms) != 1 {
		t.Errorf("%d metric lines after resuming, want 1", len(ms))
	}
}

// TestTrainInvalid: bad values are *run.FieldErrors naming the flag, and no run
// directory is made.
func TestTrainInvalid(t *testing.T) {
	data := writeSynth(t, t.TempDir(), 20, 24)
	broken := filepath.Join(t.TempDir(), "Broken")
	os.MkdirAll(broken, 0o755)
	os.WriteFile(filepath.Join(broken, "Broken_TRAIN.ts"), []byte("@data\n1,2,x:a\n"), 0o644)
	os.WriteFile(filepath.Join(broken, "Broken_TEST.ts"), []byte("@data\n1,2,3:a\n"), 0o644)
	t.Setenv("ERG_DATA", filepath.Dir(filepath.Dir(data))) // no ucr directory below it
	ok := tsc.TrainConfig{Data: data, Model: "minirocket", Runs: 1}
	for _, c := range []struct {
		field, msg string
		cfg        func(*tsc.TrainConfig)
	}{
		{"data", "required", func(c *tsc.TrainConfig) { c.Data = "" }},
		{"data", "no such dataset", func(c *tsc.TrainConfig) { c.Data = filepath.Join(data, "nope") }},
		{"data", "ucr/NoSuchProblem", func(c *tsc.TrainConfig) { c.Data = "NoSuchProblem" }},
		{"data", "is a file", func(c *tsc.TrainConfig) { c.Data = filepath.Join(data, "Synth_TRAIN.ts") }},
		{"data", "Broken_TRAIN.ts", func(c *tsc.TrainConfig) { c.Data = broken }},
		{"model", "unknown model", func(c *tsc.TrainConfig) { c.Model = "nosuch" }},
		{"set", "bogus", func(c *tsc.TrainConfig) { c.Params = tsc.Params{"bogus": "1"} }},
		{"runs", "at least 1", func(c *tsc.TrainConfig) { c.Runs = 0 }},
		{"epochs", "positive", func(c *tsc.TrainConfig) { c.Epochs = -1 }},
		{"threads", "positive", func(c *tsc.TrainConfig) { c.Threads = -2 }},
		{"checkpoint_every", "positive", func(c *tsc.TrainConfig) { c.CheckpointEvery = -1 }},
		{"confusion", ".png or .svg", func(c *tsc.TrainConfig) { c.Confusion = "cm.jpg" }},
	} {
		cfg := ok
		c.cfg(&cfg)
		root := filepath.Join(t.TempDir(), "runs")
		_, err := tsc.Train(context.Background(), cfg, run.Options{Root: root, Quiet: true})
		var fe *run.FieldError
		if !errors.As(err, &fe) || fe.Field != c.field || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: error %v, want a field error for %q mentioning %q", c.field, err, c.field, c.msg)
		}
		if _, err := os.Stat(root); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: the invalid run left %s", c.field, root)
		}
	}
}

// TestResolveData: a bare name is looked up under $ERG_DATA/ucr.
func TestResolveData(t *testing.T) {
	dir := t.TempDir()
	p := writeSynth(t, filepath.Join(dir, "ucr"), 4, 10)
	t.Setenv("ERG_DATA", dir)
	got, err := tsc.ResolveData("Synth")
	if err != nil || got != p {
		t.Errorf("ResolveData(Synth) = %q, %v; want %q", got, err, p)
	}
	if got, err := tsc.ResolveData(p); err != nil || got != p {
		t.Errorf("ResolveData(path) = %q, %v", got, err)
	}
	_, err = tsc.ResolveData("Nope")
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "ucr", "Nope")) {
		t.Errorf("error %v, want it to list %s", err, filepath.Join(dir, "ucr", "Nope"))
	}
}

func loadSplits(t *testing.T, dir string) (tr, te *ucr.Dataset) {
	t.Helper()
	tr, te, err := ucr.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return tr, te
}

// TestTrainEnsemble: an ensemble trains each member in a child experiment of the run
// and saves all of them in one model file.
func TestTrainEnsemble(t *testing.T) {
	data := writeSynth(t, t.TempDir(), 20, 24)
	cfg := tsc.TrainConfig{Data: data, Model: "fcn", Params: tsc.Params{"ensemble": "2"}, Runs: 1, Epochs: 3}
	out, err := tsc.Train(context.Background(), cfg, run.Options{Root: t.TempDir(), Quiet: true})
	if err != nil {
		t.Fatal(err)
	}
	members, err := run.List(out.Dir)
	if err != nil || len(members) != 2 || members[1].Name != "member1" || members[1].Status != "finished" {
		t.Fatalf("members %+v (%v)", members, err)
	}
	for _, m := range members {
		if _, err := os.Stat(filepath.Join(m.Path, run.CheckpointFile)); err != nil {
			t.Error(err)
		}
	}
	c, _, err := tsc.LoadModel(out.ModelFile)
	if err != nil {
		t.Fatal(err)
	}
	_, te := loadSplits(t, data)
	pred, err := c.Predict(context.Background(), te.X)
	if err != nil || tsc.Accuracy(pred, te.Y) != out.MeanAccuracy {
		t.Errorf("loaded ensemble: %v, accuracy %v, run's %v", err, tsc.Accuracy(pred, te.Y), out.MeanAccuracy)
	}
}
