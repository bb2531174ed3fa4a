package pddlvm

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"testing"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/run"
	"github.com/ergml/erg/run/runtest"
)

// TestValidate checks the run configuration's checks, for the finite-element and the
// heat problems: good values pass, each bad one is a *run.FieldError naming the flag
// of erg pde pddlvm train that sets it.
func TestValidate(t *testing.T) {
	cases := []struct {
		name    string
		problem string
		edit    func(*RunConfig)
		field   string // "": valid
	}{
		{"defaults", "poisson1d", func(*RunConfig) {}, ""},
		{"heat defaults", "heat", func(*RunConfig) {}, ""},
		{"no observation noise, unwhitened, low rank, float64", "poisson2d", func(c *RunConfig) {
			c.Config.ObsNoise, c.Config.Whiten, c.Config.Rank, c.Config.DType = new(0.0), new(false), 2, "float64"
		}, ""},
		{"heat with its own settings", "heat", func(c *RunConfig) {
			c.Config.InvHidden, c.Config.Points, c.Config.TimePower, c.Config.Activation = []int{8}, 64, 2, "sin"
		}, ""},
		{"unknown problem", "poisson3d", func(*RunConfig) {}, "problem"},
		{"unknown activation", "poisson1d", func(c *RunConfig) { c.Config.Activation = "foo" }, "activation"},
		{"heat activation without Taylor mode", "heat", func(c *RunConfig) { c.Config.Activation = "swish" }, "activation"},
		{"zero layer size", "poisson1d", func(c *RunConfig) { c.Config.Hidden = []int{64, 0} }, "hidden"},
		{"no layers", "poisson1d", func(c *RunConfig) { c.Config.Hidden = []int{} }, "hidden"},
		{"negative rank", "poisson1d", func(c *RunConfig) { c.Config.Rank = -1 }, "rank"},
		{"negative sigma", "poisson1d", func(c *RunConfig) { c.Config.SigmaR = -0.01 }, "sigma-r"},
		{"negative noise", "poisson1d", func(c *RunConfig) { c.Config.ObsNoise = new(-1.0) }, "noise"},
		{"negative batch", "poisson1d", func(c *RunConfig) { c.Config.Batch = -1 }, "batch"},
		{"negative steps", "poisson1d", func(c *RunConfig) { c.Config.Steps = -1 }, "steps"},
		{"negative lr", "poisson1d", func(c *RunConfig) { c.Config.LR = -1 }, "lr"},
		{"negative decay", "poisson1d", func(c *RunConfig) { c.Config.DecayEvery = -1 }, "decay-every"},
		{"float16", "poisson1d", func(c *RunConfig) { c.Config.DType = "float16" }, "dtype"},
		{"negative cells", "poisson2d", func(c *RunConfig) { c.Options.Cells = -4 }, "cells"},
		{"negative terms", "poisson2d", func(c *RunConfig) { c.Options.Terms = -1 }, "terms"},
		{"heat points on a FEM problem", "poisson1d", func(c *RunConfig) { c.Config.Points = 64 }, "points"},
		{"heat cells", "heat", func(c *RunConfig) { c.Options.Cells = 10 }, "cells"},
		{"heat low rank", "heat", func(c *RunConfig) { c.Config.Rank = 2 }, "rank"},
		{"heat whitened", "heat", func(c *RunConfig) { c.Config.Whiten = new(true) }, "whiten"},
		{"heat forward only", "heat", func(c *RunConfig) { c.Config.ForwardOnly = true }, "forward-only"},
		{"heat float32", "heat", func(c *RunConfig) { c.Config.DType = "float32" }, "dtype"},
	}
	for _, c := range cases {
		rc := RunConfig{Problem: c.problem}
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
	for _, c := range []struct {
		opt   EvalOptions
		field string
	}{{EvalOptions{}, ""}, {EvalOptions{NoiseY: new(0.0), Seed: new(uint64(0))}, ""}, {EvalOptions{Tests: -1}, "tests"}, {EvalOptions{NoiseY: new(-0.01)}, "noise"}} {
		err := c.opt.Validate()
		var fe *run.FieldError
		if (c.field == "") != (err == nil) || err != nil && (!errors.As(err, &fe) || fe.Field != c.field) {
			t.Errorf("%+v: %v; want field %q", c.opt, err, c.field)
		}
	}
}

// TestDefaults: the library's defaults are those of the command (whitened residual,
// 1% observation noise, seed 1) per problem, and an explicit zero noise is kept.
func TestDefaults(t *testing.T) {
	d := DefaultConfig("poisson1d")
	if !*d.Whiten || *d.ObsNoise != 0.01 || d.Steps != 20000 || d.Batch != 32 || d.SigmaR != 0.01 || d.DecayEvery != 5000 || d.Seed != 1 || len(d.Hidden) != 3 {
		t.Errorf("poisson1d defaults %+v", d)
	}
	h := DefaultConfig("heat")
	if *h.Whiten || h.Steps != 10000 || h.Batch != 8 || h.SigmaR != 0.04 || h.DecayEvery != 2500 || len(h.Hidden) != 4 || h.Activation != "tanh" {
		t.Errorf("heat defaults %+v", h)
	}
	if c := (Config{ObsNoise: new(0.0)}).WithDefaults(); *c.ObsNoise != 0 {
		t.Errorf("noise 0 became %g", *c.ObsNoise)
	}
	if o := DefaultEvalOptions(); o.Tests != 100 || *o.NoiseY != 0.01 || *o.Seed != DefaultTestSeed {
		t.Errorf("evaluation defaults %+v", o)
	}
}

// TestRunInvalidLeavesNoRun: a bad configuration is a FieldError naming the flag, and
// no run directory is made.
func TestRunInvalidLeavesNoRun(t *testing.T) {
	root := t.TempDir()
	be := backend.Must("go")
	for _, c := range []struct {
		opt   RunOptions
		field string
	}{
		{RunOptions{Problem: "poisson1d", Config: Config{Activation: "foo"}}, "activation"},
		{RunOptions{Problem: "poisson1d", Config: Config{ObsNoise: new(-1.0)}}, "noise"},
		{RunOptions{Problem: "heat", Config: Config{Rank: 2}}, "rank"},
		{RunOptions{Problem: "poisson1d", Eval: EvalOptions{Tests: -5}}, "tests"},
	} {
		c.opt.Run = run.Options{Root: root, Quiet: true}
		_, err := Run(context.Background(), be, c.opt)
		var fe *run.FieldError
		if !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("error %v; want a FieldError for %s", err, c.field)
		}
	}
	if ents, _ := os.ReadDir(root); len(ents) != 0 {
		t.Errorf("invalid configurations left %d entries under the root", len(ents))
	}
}

// TestRunResume interrupts short runs of a finite-element problem and of the heat
// problem after their first epoch, and kills one (as kill -9 would) before its first
// checkpoint; each resumed run ends with the loss and evaluation of the
// uninterrupted one, with the files of a finished run and the energy of its earlier
// sessions counted.
//
// The Poisson run agrees to rounding only (tol): its gradients are clipped, and
// train sums their squared norms in the order of the store's variables, which a
// checkpoint (sorted by path) does not keep; with that order kept it agrees exactly.
func TestRunResume(t *testing.T) {
	be := backend.Must("go")
	root := t.TempDir()
	for _, p := range []struct {
		RunOptions
		tol float64
	}{
		{RunOptions{Problem: "poisson1d", Options: Options{Cells: 8, Terms: 2}, Config: Config{Hidden: []int{16, 16}, Steps: 130, Seed: 3},
			Eval: EvalOptions{Tests: 5, SpeedBatch: 10}}, 1e-6},
		{RunOptions{Problem: "heat", Config: Config{Hidden: []int{8}, InvHidden: []int{8}, Batch: 1, Points: 16, BCPoints: 8, Steps: 130, Seed: 3},
			Eval: EvalOptions{Tests: 1}}, 0},
	} {
		p.Run = run.Options{Root: root, Name: p.Problem + "-ref", Quiet: true}
		ref, err := Run(context.Background(), be, p.RunOptions)
		if err != nil {
			t.Fatal(err)
		}
		for _, calls := range []int{115, -1} { // train cannot checkpoint before its first epoch end, step 100
			o := p.RunOptions
			o.Run.Name = p.Problem + map[bool]string{true: "-interrupted", false: "-killed"}[calls > 0]
			var dir string
			var before float64
			if calls > 0 {
				n := calls
				if _, err := Run(runtest.StopAfter(context.Background(), n), be, o); !errors.Is(err, context.Canceled) {
					t.Fatalf("%s: interrupted run: %v; want context.Canceled", o.Run.Name, err)
				}
				rd, err := run.Resolve(root, o.Run.Name)
				if err != nil {
					t.Fatal(err)
				}
				inf := rd.Info()
				if inf.Status != "interrupted" || inf.Joules == nil {
					t.Fatalf("%s: status %q, energy %v after the interruption", o.Run.Name, inf.Status, inf.Joules)
				}
				dir, before = rd.Path, *inf.Joules
			} else {
				rc := RunConfig{Problem: o.Problem, Options: o.Options, Config: o.Config}
				rc.withDefaults()
				exp, err := run.Start(run.Options{Root: root, Name: o.Run.Name, NoMeter: true}, "", &rc, nil)
				if err != nil {
					t.Fatal(err)
				}
				exp.Dir.Close()
				dir = exp.Dir.Path
				if _, _, err := Load(exp.Dir); err == nil {
					t.Errorf("%s: Load of a run without a checkpoint succeeded", o.Run.Name)
				}
			}
			out, err := Run(context.Background(), be, RunOptions{Run: run.Options{Root: root, Resume: dir, Quiet: true}, Eval: o.Eval})
			if err != nil {
				t.Fatalf("%s: resume: %v", o.Run.Name, err)
			}
			same := func(a, b float64) bool { return math.Abs(a-b) <= p.tol*math.Abs(b) }
			if !same(out.Loss, ref.Loss) || out.Steps != ref.Steps || !same(out.Eval.ForwardRelL2.Mean, ref.Eval.ForwardRelL2.Mean) ||
				!same(out.Eval.ForwardRelL2.Max, ref.Eval.ForwardRelL2.Max) || !same(out.Eval.InverseThetaRMSE, ref.Eval.InverseThetaRMSE) {
				t.Errorf("%s: resumed: loss %.17g, %d steps, forward %+v, inverse %.17g; uninterrupted %.17g, %d, %+v, %.17g", o.Run.Name,
					out.Loss, out.Steps, out.Eval.ForwardRelL2, out.Eval.InverseThetaRMSE, ref.Loss, ref.Steps, ref.Eval.ForwardRelL2, ref.Eval.InverseThetaRMSE)
			}
			for _, f := range runFiles {
				if _, err := os.Stat(dir + "/" + f); err != nil {
					t.Errorf("%s: finished run lacks %s", o.Run.Name, f)
				}
			}
			rd, _ := run.Open(dir)
			if inf := rd.Info(); inf.Status != "finished" || inf.Joules == nil || !(*inf.Joules > before) {
				t.Errorf("%s: after the resumption status %q, energy %v J (first session %g J)", o.Run.Name, inf.Status, inf.Joules, before)
			}
		}
	}
}

// TestLegacyConfig resumes and re-evaluates runs whose config.json an earlier version
// wrote: a heat run without the heat fields added since (and an empty activation and
// dtype), and a Poisson run with the old "none" noise -1 and unresolved options.
func TestLegacyConfig(t *testing.T) {
	be := backend.Must("go")
	root := t.TempDir()
	for _, c := range []struct {
		problem, legacy string
	}{
		{"heat", `{"problem": "heat", "options": {"Cells": 0, "Terms": 0}, "config": {"Hidden": [8], "Activation": "", "Rank": 0,
			"SigmaR": 0.04, "Whiten": false, "ForwardOnly": false, "ObsNoise": 0.01, "CoupledInverse": false, "Batch": 1,
			"Steps": 4, "LR": 0.001, "DecayEvery": 1, "Seed": 1, "DType": ""}}`},
		{"poisson1d", `{"problem": "poisson1d", "options": {"Cells": 0, "Terms": 0}, "config": {"Hidden": [8], "Activation": "swish",
			"Rank": 0, "SigmaR": 0.01, "Whiten": true, "ForwardOnly": false, "ObsNoise": -1, "CoupledInverse": false, "Batch": 4,
			"Steps": 4, "LR": 0.001, "DecayEvery": 1, "Seed": 1, "DType": "float32"}}`},
	} {
		rd, err := run.Create(root, "legacy-"+c.problem, json.RawMessage(c.legacy))
		if err != nil {
			t.Fatal(err)
		}
		out, err := Run(context.Background(), be, RunOptions{Run: run.Options{Resume: rd.Path, Quiet: true}, Steps: 6, Eval: EvalOptions{Tests: 2, SpeedBatch: 4}})
		if err != nil {
			t.Fatalf("%s: resuming a legacy run: %v", c.problem, err)
		}
		var rc RunConfig
		if err := rd.ReadJSON(run.ConfigFile, &rc); err != nil {
			t.Fatal(err)
		}
		if out.Steps != 6 || rc.Config.Steps != 6 {
			t.Errorf("%s: %d steps, recorded %d; want 6", c.problem, out.Steps, rc.Config.Steps)
		}
		switch c.problem {
		case "heat":
			if rc.Config.Points != 256 || rc.Config.Activation != "tanh" || rc.Config.DType != "float64" || len(rc.Config.InvHidden) != 2 {
				t.Errorf("heat: recorded %+v", rc.Config)
			}
		default:
			if *rc.Config.ObsNoise != 0 || rc.Options.Cells != 32 || out.Eval.NoiseY != 0 {
				t.Errorf("poisson1d: recorded noise %g, options %+v, evaluated with noise %g", *rc.Config.ObsNoise, rc.Options, out.Eval.NoiseY)
			}
		}
		// re-evaluation keeps the training's summary
		e, _, err := EvalRun(be, rd, EvalOptions{Tests: 1, SpeedBatch: 2})
		if err != nil {
			t.Fatalf("%s: EvalRun: %v", c.problem, err)
		}
		var sum run.Summary
		rd.ReadJSON(run.SummaryFile, &sum)
		if e.Problem != c.problem || e.Tests != 1 || sum["status"] != "finished" || sum["steps"] != 6.0 || sum["joules"] == nil {
			t.Errorf("%s: after EvalRun: evaluation of %s (%d tests), summary %v", c.problem, e.Problem, e.Tests, sum)
		}
	}
}
