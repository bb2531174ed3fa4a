package pddlvm

import (
	"context"
	"fmt"
	"io"

	"github.com/ergml/erg/run"
	"github.com/gomlx/compute"
)

// RunOptions configures Run, one reproducible training run with its evaluation.
type RunOptions struct {
	Root     string // runs root ("" = run.DefaultRoot)
	Name     string // run name ("" = the problem name)
	Problem  string
	Options  Options
	Config   Config
	Resume   string // an existing run directory to continue (Problem, Options and Config come from it)
	Steps    int    // with Resume: the new total number of steps (0: keep)
	Eval     EvalOptions
	Command  string // command line, recorded in config.json
	Progress io.Writer
	Quiet    bool
}

// Outcome is what Run returns.
type Outcome struct {
	RunDir     string      `json:"run_dir"`
	Report     string      `json:"report"`
	Steps      int         `json:"steps"`
	Seconds    float64     `json:"train_seconds"`
	StepMillis float64     `json:"step_ms"`
	Joules     float64     `json:"joules"`
	Loss       float64     `json:"loss"`
	Eval       *Evaluation `json:"eval"`
}

// Run trains a model (or resumes a run), evaluates it on held-out θ with figures,
// and writes summary.json and report.html in the run directory.
func Run(ctx context.Context, be compute.Backend, opt RunOptions) (*Outcome, error) {
	var rd *run.Dir
	var rc RunConfig
	var err error
	if opt.Resume != "" {
		if rd, err = run.Open(opt.Resume); err != nil {
			return nil, err
		}
		if err := rd.ReadJSON(run.ConfigFile, &rc); err != nil {
			return nil, err
		}
		if opt.Steps > 0 && opt.Steps != rc.Config.Steps {
			rc.Config.Steps = opt.Steps
			if err := rd.WriteJSON(run.ConfigFile, rc); err != nil {
				return nil, err
			}
		}
	} else {
		rc = RunConfig{Command: opt.Command, Problem: opt.Problem, Options: opt.Options, Config: opt.Config.WithDefaults()}
		if rc.Problem == "heat" {
			// the heat problem's own defaults, recorded so that a resumed run keeps them
			rc.Config = heatConfig(opt.Config).withDefaults().config()
		} else if _, err := NewProblem(rc.Problem, rc.Options); err != nil {
			return nil, err
		}
		name := opt.Name
		if name == "" {
			name = "pddlvm-" + opt.Problem
		}
		if rd, err = run.Create(opt.Root, name, rc); err != nil {
			return nil, err
		}
	}
	if rc.Problem == "heat" {
		return runHeat(ctx, be, rd, rc, opt)
	}
	p, err := NewProblem(rc.Problem, rc.Options)
	if err != nil {
		return nil, err
	}
	m := New(p, rc.Config)
	store, res, err := m.Train(ctx, be, rd, TrainOptions{Progress: opt.Progress, Quiet: opt.Quiet, Resume: opt.Resume != ""})
	if err != nil {
		return nil, err
	}
	ev := opt.Eval
	ev.FigDir = rd.Path
	e, err := Evaluate(be, m, store, ev)
	if err != nil {
		return nil, err
	}
	if err := writeEval(rd, e, res.Steps, res.Loss, res.Seconds, res.StepMillis); err != nil {
		return nil, err
	}
	rep, err := rd.Report()
	if err != nil {
		return nil, err
	}
	return &Outcome{RunDir: rd.Path, Report: rep, Steps: res.Steps, Seconds: res.Seconds, StepMillis: res.StepMillis,
		Joules: res.Joules, Loss: res.Loss, Eval: e}, nil
}

func writeEval(rd *run.Dir, e *Evaluation, steps int, loss, seconds, stepMs float64) error {
	for _, f := range e.Figures {
		cap := map[string]string{
			"forward.png":  "forward map on held-out θ: FEM solution and PDDLVM mean with 95% band",
			"inverse.png":  "inverse map from noisy observations: true κ and κ at the inverse-map mean with 95% band",
			"fields_1.png": "held-out θ #1: FEM solution, PDDLVM mean, std and error; true κ and κ from the inverse map",
			"fields_2.png": "held-out θ #2: FEM solution, PDDLVM mean, std and error; true κ and κ from the inverse map",
		}[f]
		if err := rd.AddFigure(f, cap); err != nil {
			return err
		}
	}
	if err := rd.WriteJSON("eval.json", e); err != nil {
		return err
	}
	sum := run.Summary{
		"status":              "finished",
		"steps":               steps,
		"loss":                loss,
		"train_seconds":       seconds,
		"step_ms":             stepMs,
		"forward_rel_l2_mean": e.ForwardRelL2.Mean,
		"forward_rel_l2_max":  e.ForwardRelL2.Max,
		"forward_coverage_95": e.ForwardCoverage95,
		"inverse_theta_rmse":  e.InverseThetaRMSE,
		"inverse_coverage_95": e.InverseCoverage95,
		"speedup":             e.SpeedUp,
		"headline": fmt.Sprintf("%s: forward rel L2 %.2f%% (max %.2f%%), 95%% band coverage %.0f%%, inverse θ RMSE %.2f (prior %.2f), %.0fx faster than FEM (batched)",
			e.Problem, 100*e.ForwardRelL2.Mean, 100*e.ForwardRelL2.Max, 100*e.ForwardCoverage95, e.InverseThetaRMSE, e.PriorThetaRMSE, e.SpeedUp),
	}
	return rd.WriteJSON(run.SummaryFile, sum)
}

// EvalRun re-evaluates the trained model of run directory rd, rewriting eval.json,
// the figures, summary.json and the report.
func EvalRun(be compute.Backend, rd *run.Dir, opt EvalOptions) (*Evaluation, string, error) {
	m, store, err := Load(rd)
	if err != nil {
		return nil, "", err
	}
	opt.FigDir = rd.Path
	e, err := Evaluate(be, m, store, opt)
	if err != nil {
		return nil, "", err
	}
	var old run.Summary
	_ = rd.ReadJSON(run.SummaryFile, &old)
	num := func(k string) float64 {
		if v, ok := old[k].(float64); ok {
			return v
		}
		return 0
	}
	if err := writeEval(rd, e, int(num("steps")), num("loss"), num("train_seconds"), num("step_ms")); err != nil {
		return nil, "", err
	}
	rep, err := rd.Report()
	return e, rep, err
}

// config is the inverse of heatConfig for the fields they share.
func (c HeatConfig) config() Config {
	return Config{Hidden: c.Hidden, Batch: c.Z, SigmaR: c.SigmaR, Steps: c.Steps, LR: c.LR, Seed: c.Seed, DecayEvery: c.DecayEvery,
		ObsNoise: c.ObsNoise, CoupledInverse: c.CoupledInverse}
}

func heatConfig(c Config) HeatConfig {
	return HeatConfig{Hidden: c.Hidden, Z: c.Batch, SigmaR: c.SigmaR, Steps: c.Steps, LR: c.LR, Seed: c.Seed, DecayEvery: c.DecayEvery,
		ObsNoise: c.ObsNoise, CoupledInverse: c.CoupledInverse}
}

func runHeat(ctx context.Context, be compute.Backend, rd *run.Dir, rc RunConfig, opt RunOptions) (*Outcome, error) {
	e, res, err := TrainHeat(ctx, be, rd, heatConfig(rc.Config), opt.Resume != "", TrainOptions{Progress: opt.Progress, Quiet: opt.Quiet}, opt.Eval)
	if err != nil {
		return nil, err
	}
	for _, f := range e.Figures {
		cap := map[string]string{
			"heat_fields.png":    "held-out z: finite-volume reference, PDDLVM mean, std and error over (x, t)",
			"heat_snapshots.png": "held-out z: reference and PDDLVM mean with 95% band at three times",
		}[f]
		if err := rd.AddFigure(f, cap); err != nil {
			return nil, err
		}
	}
	if err := writeEval(rd, e, res.Steps, res.Loss, res.Seconds, res.StepMillis); err != nil {
		return nil, err
	}
	rep, err := rd.Report()
	if err != nil {
		return nil, err
	}
	return &Outcome{RunDir: rd.Path, Report: rep, Steps: res.Steps, Seconds: res.Seconds, StepMillis: res.StepMillis,
		Joules: res.Joules, Loss: res.Loss, Eval: e}, nil
}
