package pinn

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/run"
	"github.com/ergml/erg/run/runtest"
	"github.com/ergml/erg/train"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// TestValidate checks the configuration's checks: good values pass, each bad one is a
// *run.FieldError naming the flag of erg pde pinn that sets it.
func TestValidate(t *testing.T) {
	good := RunConfig{Benchmark: "burgers"}
	cases := []struct {
		name  string
		edit  func(*RunConfig)
		field string // "": valid
	}{
		{"defaults", func(*RunConfig) {}, ""},
		{"poisson2d", func(c *RunConfig) { c.Benchmark = "poisson2d" }, ""},
		{"zero L-BFGS, no refinement, fixed points", func(c *RunConfig) { c.Config.LBFGS, c.Config.RAR, c.Config.Resample = new(0), new(0), new(0) }, ""},
		{"sin, sobol, float32", func(c *RunConfig) { c.Config.Activation, c.Config.Sampler, c.Config.DType = "sin", "sobol", "float32" }, ""},
		{"inverse burgers with noise", func(c *RunConfig) { c.Options.Inverse, c.Options.Noise = true, 0.01 }, ""},
		{"unknown benchmark", func(c *RunConfig) { c.Benchmark = "heat" }, "benchmark"},
		{"unknown activation", func(c *RunConfig) { c.Config.Activation = "foo" }, "activation"},
		{"unknown sampler", func(c *RunConfig) { c.Config.Sampler = "grid" }, "sampler"},
		{"zero layer size", func(c *RunConfig) { c.Config.Hidden = []int{20, 0} }, "hidden"},
		{"no layers", func(c *RunConfig) { c.Config.Hidden = []int{} }, "hidden"},
		{"negative steps", func(c *RunConfig) { c.Config.Steps = -1 }, "steps"},
		{"negative lr", func(c *RunConfig) { c.Config.LR = -1e-3 }, "lr"},
		{"negative L-BFGS", func(c *RunConfig) { c.Config.LBFGS = new(-5) }, "lbfgs"},
		{"negative resampling", func(c *RunConfig) { c.Config.Resample = new(-1) }, "resample"},
		{"negative rounds", func(c *RunConfig) { c.Config.RAR = new(-1) }, "rar"},
		{"more rounds than iterations", func(c *RunConfig) { c.Config.LBFGS, c.Config.RAR = new(4), new(4) }, "rar"},
		{"negative refinement points", func(c *RunConfig) { c.Config.RARPoints = -1 }, "rar-points"},
		{"float16", func(c *RunConfig) { c.Config.DType = "float16" }, "dtype"},
		{"negative collocation", func(c *RunConfig) { c.Options.Collocation = -1 }, "collocation"},
		{"one boundary point", func(c *RunConfig) { c.Options.Boundary = 1 }, "boundary"},
		{"negative weight", func(c *RunConfig) { c.Options.Weight = -1 }, "weight"},
		{"negative noise", func(c *RunConfig) { c.Options.Noise = -0.1 }, "noise"},
		{"negative observations", func(c *RunConfig) { c.Options.Data = -1 }, "data"},
		{"inverse poisson2d", func(c *RunConfig) { c.Benchmark, c.Options.Inverse = "poisson2d", true }, "inverse"},
	}
	for _, c := range cases {
		rc := good
		c.edit(&rc)
		err := rc.Validate()
		var fe *run.FieldError
		switch {
		case c.field == "" && err != nil:
			t.Errorf("%s: %v; want valid", c.name, err)
		case c.field != "" && (!errors.As(err, &fe) || fe.Field != c.field):
			t.Errorf("%s: error %v; want a FieldError for %q", c.name, err, c.field)
		}
	}
}

// TestBenchmarkDefaults: the library's default configuration of a benchmark carries
// its recommended settings (Burgers: resampling, L-BFGS and refinement rounds), also
// from the zero Config, and an explicit zero overrides them.
func TestBenchmarkDefaults(t *testing.T) {
	d := DefaultConfig("burgers")
	if *d.Resample != 100 || *d.LBFGS != 5000 || *d.RAR != 4 || d.Steps != 10000 || d.Seed != 1 {
		t.Errorf("burgers defaults %+v", d)
	}
	z := Config{}.For("burgers")
	z.Seed = 1
	if !reflect.DeepEqual(z, d) {
		t.Errorf("Config{}.For(burgers) = %+v; want %+v", z, d)
	}
	if c := (Config{LBFGS: new(0), Resample: new(0)}).For("burgers"); *c.LBFGS != 0 || *c.Resample != 0 || *c.RAR != 4 {
		t.Errorf("explicit zeros not kept: %+v", c)
	}
	if p := DefaultConfig("poisson2d"); *p.Resample != 0 || *p.LBFGS != 0 || *p.RAR != 0 {
		t.Errorf("poisson2d defaults %+v", p)
	}
	if o := DefaultOptions("burgers"); o.Collocation != 2540 || o.Boundary != 100 || o.Weight != 1 || o.Seed != 1 {
		t.Errorf("burgers options %+v", o)
	}
	// For does not share the defaults' storage.
	*d.LBFGS = 7
	if *DefaultConfig("burgers").LBFGS != 5000 {
		t.Error("changing a returned configuration changed the defaults")
	}
}

// TestRunInvalidLeavesNoRun: a bad configuration is a FieldError naming the flag, and
// no run directory is made.
func TestRunInvalidLeavesNoRun(t *testing.T) {
	root := t.TempDir()
	_, err := Run(context.Background(), backend.Must("go"), RunOptions{Run: run.Options{Root: root, Quiet: true}, Benchmark: "poisson2d",
		Config: Config{Activation: "foo"}})
	var fe *run.FieldError
	if !errors.As(err, &fe) || fe.Field != "activation" {
		t.Fatalf("error %v; want a FieldError for activation", err)
	}
	if ents, _ := os.ReadDir(root); len(ents) != 0 {
		t.Errorf("an invalid configuration left %d entries under the root", len(ents))
	}
}

// TestRunResume interrupts a short run in its Adam phase, in its L-BFGS phase, and
// (as kill -9 would) before its first checkpoint, resumes each, and checks that
// they end with the same error, loss and points as the uninterrupted run, with the
// files of a finished run and the energy of the earlier sessions counted.
func TestRunResume(t *testing.T) {
	be := backend.Must("go")
	root := t.TempDir()
	opt := RunOptions{Run: run.Options{Root: root, Quiet: true}, Benchmark: "poisson2d",
		Options: ProblemOptions{Collocation: 100, Boundary: 10},
		Config:  Config{Hidden: []int{8, 8}, Steps: 120, LR: 5e-3, LBFGS: new(30), RAR: new(1), RARPoints: 20, RARCandidates: 200, Seed: 2}}
	ref, err := Run(context.Background(), be, opt)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		calls int // calls of ctx.Err before the interruption; < 0: killed before its first checkpoint
	}{{"adam", 110}, {"lbfgs", 120 + 8}, {"killed", -1}} { // (train cannot checkpoint before its first epoch end, step 100: BestLoss +Inf)
		o := opt
		o.Run.Name = c.name
		var dir string
		var before float64 // joules of the first session
		if c.calls >= 0 {
			n := c.calls
			_, err := Run(runtest.StopAfter(context.Background(), n), be, o)
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("%s: interrupted run: %v; want context.Canceled", c.name, err)
			}
			rd, err := run.Resolve(root, c.name)
			if err != nil {
				t.Fatal(err)
			}
			dir = rd.Path
			if inf := rd.Info(); inf.Status != "interrupted" || inf.Joules == nil {
				t.Fatalf("%s: status %q after the interruption, energy %v", c.name, inf.Status, inf.Joules)
			} else {
				before = *inf.Joules
			}
		} else {
			rc := RunConfig{Benchmark: o.Benchmark, Options: o.Options, Config: o.Config}
			rc.withDefaults()
			exp, err := run.Start(run.Options{Root: root, Name: c.name, NoMeter: true}, "", &rc, nil)
			if err != nil {
				t.Fatal(err)
			}
			exp.Log(run.Metric{"step": 10, "loss": 99.0})
			exp.Dir.Close()
			dir = exp.Dir.Path
		}
		out, err := Run(context.Background(), be, RunOptions{Run: run.Options{Root: root, Resume: dir, Quiet: true}})
		if err != nil {
			t.Fatalf("%s: resume: %v", c.name, err)
		}
		if out.RelL2 != ref.RelL2 || out.Loss != ref.Loss || out.Points != ref.Points || out.AdamSteps != ref.AdamSteps || out.LBFGSIters != ref.LBFGSIters {
			t.Errorf("%s: resumed run: rel L2 %.17g, loss %.17g, %d points, %d+%d iterations; uninterrupted %.17g, %.17g, %d, %d+%d",
				c.name, out.RelL2, out.Loss, out.Points, out.AdamSteps, out.LBFGSIters, ref.RelL2, ref.Loss, ref.Points, ref.AdamSteps, ref.LBFGSIters)
		}
		for _, f := range runFiles {
			if _, err := os.Stat(dir + "/" + f); err != nil {
				t.Errorf("%s: finished run lacks %s", c.name, f)
			}
		}
		rd, _ := run.Open(dir)
		if inf := rd.Info(); inf.Status != "finished" || inf.Joules == nil || !(*inf.Joules > before) {
			t.Errorf("%s: after the resumption status %q, energy %v J (first session %g J)", c.name, inf.Status, inf.Joules, before)
		}
		ms, _ := rd.Metrics()
		last := 0.0
		for _, m := range ms {
			s := m["step"].(float64)
			if s <= last || m["loss"] == 99.0 {
				t.Errorf("%s: metric lines out of order or from the killed session: %v", c.name, ms)
				break
			}
			last = s
		}
	}
}

// TestModelVarsOrder: modelVars lists the variables of a fresh store in their order
// of creation, and those of the same model loaded from a checkpoint (sorted by path)
// in the same order, for both derivative engines and with an unknown coefficient.
func TestModelVarsOrder(t *testing.T) {
	p := &Problem{Name: "order", Domain: Box{Lo: []float64{0}, Hi: []float64{1}}, Unknowns: []Unknown{{Name: "c", Init: 1}}}
	p.Terms = []Term{{Name: "pde", Order: 2, Points: Points{N: 8}, Residual: func(s *model.Scope, f *Field) *Node {
		return Add(f.D2(0, 0), p.Coef(s, f, "c"))
	}}}
	for _, ad := range []bool{false, true} {
		m := New(p, Config{Hidden: []int{3, 3}, Steps: 1, Autodiff: ad})
		store, _, err := m.Train(context.Background(), backend.Must("go"), nil, TrainOptions{Quiet: true})
		if err != nil {
			t.Fatal(err)
		}
		var created, listed, loaded []string
		for v := range store.IterVariables() {
			if p := v.Path(); strings.HasPrefix(p, "/net/") || strings.HasPrefix(p, "/unknowns/") {
				created = append(created, p)
			}
		}
		for _, v := range modelVars(store) {
			listed = append(listed, v.Path())
		}
		path := filepath.Join(t.TempDir(), "ck")
		if err := train.SaveCheckpoint(path, store, nil, train.LoopState{}); err != nil {
			t.Fatal(err)
		}
		back := model.NewStore()
		if _, _, err := train.LoadCheckpoint(path, back); err != nil {
			t.Fatal(err)
		}
		for _, v := range modelVars(back) {
			loaded = append(loaded, v.Path())
		}
		if len(created) != 7 || !slices.Equal(created, listed) || !slices.Equal(created, loaded) {
			t.Errorf("autodiff %v: created %v, listed %v, listed after loading %v", ad, created, listed, loaded)
		}
	}
}
