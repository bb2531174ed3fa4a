package ebm

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ergml/erg/ebm/density"
	"github.com/ergml/erg/run"
	"github.com/ergml/erg/train"
)

func smallCfg(loss string, steps int) Config {
	return Config{Data: "moons", Loss: loss, Steps: steps, Batch: 64, Seed: 5, CheckpointEvery: 20,
		Energy: MLPConfig{Hidden: []int{16, 16}}, CD: CDConfig{K: 3}}
}

var quiet = Options{Options: run.Options{Quiet: true, NoMeter: true}, NoEval: true}

// TestResumeMatchesUninterrupted trains 40 steps, resumes the run to 60 and compares
// the parameters with an uninterrupted 60-step run, bit for bit (ED draws its noise
// from the checkpointed RNG; persistent CD also keeps its replay buffer there).
func TestResumeMatchesUninterrupted(t *testing.T) {
	be := testBackend()
	for _, loss := range []string{"ed", "pcd"} {
		root := t.TempDir()
		opt := quiet
		opt.Root = root
		full, err := Train(context.Background(), be, smallCfg(loss, 60), opt)
		if err != nil {
			t.Fatal(err)
		}
		part, err := Train(context.Background(), be, smallCfg(loss, 40), opt)
		if err != nil {
			t.Fatal(err)
		}
		ropt := opt
		ropt.Resume, ropt.Steps = part.Dir.Path, 60
		res, err := Train(context.Background(), be, Config{}, ropt)
		if err != nil {
			t.Fatal(err)
		}
		if res.Train.Steps != 60 {
			t.Fatalf("%s: resumed run ended at step %d; want 60", loss, res.Train.Steps)
		}
		a, err := Load(be, full.Dir)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Load(be, res.Dir)
		if err != nil {
			t.Fatal(err)
		}
		pts := []float64{0, 0, 1, 0.5, -1, 2}
		ua, _ := a.Energies(pts)
		ub, _ := b.Energies(pts)
		for i := range ua {
			if ua[i] != ub[i] {
				t.Errorf("%s: energy at point %d: uninterrupted %v, resumed %v", loss, i, ua[i], ub[i])
			}
		}
	}
}

// TestTrainEvalPipeline runs a short ED training with evaluation and checks the run
// directory: config.json rebuilds the model, whose NLL equals the one recorded, and
// the figures and report exist.
func TestTrainEvalPipeline(t *testing.T) {
	be := testBackend()
	opt := Options{Options: run.Options{Root: t.TempDir(), Quiet: true, NoMeter: true}, Eval: EvalConfig{Grid: 64, Samples: 200, Sampler: sampleQuick}}
	cfg := smallCfg("ed", 30)
	cfg.HeldoutN = 500
	out, err := Train(context.Background(), be, cfg, opt)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{run.ConfigFile, train.CheckpointFile, EvalFile, run.SummaryFile, "density.png", run.ReportFile} {
		if _, err := os.Stat(out.Dir.File(f)); err != nil {
			t.Errorf("run directory lacks %s", f)
		}
	}
	m, err := Load(be, out.Dir)
	if err != nil {
		t.Fatal(err)
	}
	held, err := HeldOut(m.Config)
	if err != nil {
		t.Fatal(err)
	}
	r, err := m.NLL(held, 64)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(r.NLL-out.Eval.NLL.NLL) > 1e-9 {
		t.Errorf("reloaded NLL %v; recorded %v", r.NLL, out.Eval.NLL.NLL)
	}
	if out.Eval.MMD2 == nil || out.Eval.Accept <= 0 {
		t.Errorf("no MMD or MALA acceptance in %+v", out.Eval)
	}
}

// TestCSVData trains on a 3-D CSV file: no NLL (2-D only), an MMD, and a held-out split.
func TestCSVData(t *testing.T) {
	dir := t.TempDir()
	s, _ := density.Sample("rings", 300, 1, 0)
	x3 := &density.Set{Dim: 3}
	for i := range s.Len() {
		r := s.Row(i)
		x3.X = append(x3.X, r[0], r[1], r[0]*r[1]/3)
	}
	p := filepath.Join(dir, "pts.csv")
	if err := density.WriteCSV(p, x3); err != nil {
		t.Fatal(err)
	}
	cfg := smallCfg("dsm", 20)
	cfg.Data = p
	opt := Options{Options: run.Options{Root: dir, Quiet: true, NoMeter: true}, Eval: EvalConfig{Samples: 60, Sampler: sampleQuick}}
	out, err := Train(context.Background(), testBackend(), cfg, opt)
	if err != nil {
		t.Fatal(err)
	}
	if out.Model.Config.Dim != 3 || out.Eval.NLL != nil || out.Eval.MMD2 == nil || out.Eval.N != 60 {
		t.Errorf("3-D CSV run: dim %d, NLL %v, MMD %v, held-out %d; want 3, none, some, 60",
			out.Model.Config.Dim, out.Eval.NLL, out.Eval.MMD2, out.Eval.N)
	}
	cfg.Loss = "mle"
	if _, err := Train(context.Background(), testBackend(), cfg, opt); err == nil || !strings.Contains(err.Error(), "2-D") {
		t.Errorf("MLE on 3-D data: error %v; want a 2-D error", err)
	}
}

// TestBadConfigErrors checks the configuration errors the issue lists: each names the
// field (the flag of erg ebm train) and leaves no run directory behind.
func TestBadConfigErrors(t *testing.T) {
	base := smallCfg("ed", 10)
	cases := []struct {
		mod   func(*Config)
		field string
		want  string
	}{
		{func(c *Config) { c.ED.T = -1 }, "t", "t -1: ED noise variance must be positive"},
		{func(c *Config) { c.ED.M = -3 }, "m", "at least 1 contrastive sample"},
		{func(c *Config) { c.Loss = "cd"; c.CD.StepSize = -0.1 }, "eps", "step size"},
		{func(c *Config) { c.Data = "spirals" }, "data", "unknown density"},
		{func(c *Config) { c.Data = "no/such.csv" }, "data", "no such file"},
		{func(c *Config) { c.Loss = "nce" }, "loss", "unknown loss"},
		{func(c *Config) { c.DSM.Sigma = -1; c.Loss = "dsm" }, "sigma", "σ"},
		{func(c *Config) { c.Steps = -5 }, "steps", "steps -5: must be positive"},
		{func(c *Config) { c.Energy.Activation = "foo" }, "activation", "unknown activation"},
	}
	for _, c := range cases {
		cfg := base
		c.mod(&cfg)
		root := t.TempDir()
		_, err := Train(context.Background(), testBackend(), cfg, Options{Options: run.Options{Root: root, Quiet: true, NoMeter: true}, NoEval: true})
		var fe *run.FieldError
		if err == nil || !strings.Contains(err.Error(), c.want) || !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("error %v; want a FieldError for %q mentioning %q", err, c.field, c.want)
		}
		if ents, _ := os.ReadDir(root); len(ents) != 0 {
			t.Errorf("%s: a bad configuration left a run directory", c.field)
		}
	}
}

// TestCompareResume runs a small comparison, removes one training run's summary (as if
// it had been interrupted), and resumes: the finished run is read back (same NLL), the
// other trained again, and the table has both.
func TestCompareResume(t *testing.T) {
	dir := t.TempDir()
	cfg := CompareConfig{Data: []string{"moons"}, Losses: []string{"ed", "dsm"}, Seeds: 1, Base: smallCfg("ed", 20)}
	opt := Options{Options: run.Options{Root: dir, NoMeter: true}, Eval: EvalConfig{Grid: 32, Samples: 50, Sampler: sampleQuick}}
	first, err := Compare(context.Background(), testBackend(), cfg, opt, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Cells) != 2 || len(first.Cells[0].NLL) != 1 || len(first.Cells[1].NLL) != 1 {
		t.Fatalf("first comparison: cells %+v", first.Cells)
	}
	if err := os.Remove(filepath.Join(first.Cells[1].Runs[0], run.SummaryFile)); err != nil {
		t.Fatal(err)
	}
	var log strings.Builder
	ropt := opt
	ropt.Resume = first.Dir
	again, err := Compare(context.Background(), testBackend(), CompareConfig{}, ropt, &log)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "read back") || strings.Contains(lines[1], "read back") {
		t.Errorf("resume log:\n%s\nwant the ED run read back and the DSM run trained again", log.String())
	}
	if again.Cells[0].NLL[0] != first.Cells[0].NLL[0] || again.Cells[0].Runs[0] != first.Cells[0].Runs[0] {
		t.Errorf("read-back ED run: NLL %v in %s, first %v in %s", again.Cells[0].NLL, again.Cells[0].Runs,
			first.Cells[0].NLL, first.Cells[0].Runs)
	}
	if again.Cells[1].Runs[0] == first.Cells[1].Runs[0] || len(again.Cells[1].NLL) != 1 {
		t.Errorf("DSM run not retrained: %+v", again.Cells[1])
	}
	ropt.Resume = first.Cells[0].Runs[0]
	if _, err := Compare(context.Background(), testBackend(), CompareConfig{}, ropt, nil); err == nil {
		t.Error("resuming a training run as a comparison: no error")
	}
}
