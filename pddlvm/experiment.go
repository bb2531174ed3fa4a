package pddlvm

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"

	"github.com/ergml/erg/run"
	"github.com/ergml/erg/train"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/ml/model"
)

// RunConfig is what a training run records in config.json, its defaults filled in:
// enough to rebuild the model for evaluation.
type RunConfig struct {
	Command string  `json:"command,omitempty"`
	Problem string  `json:"problem"`
	Options Options `json:"options"`
	Config  Config  `json:"config"`
}

// Validate reports the first bad value of the run's problem, options and
// configuration (Config.Validate, with the heat problem's restrictions) as a
// *run.FieldError named after its flag of `erg pde pddlvm train`.
func (rc RunConfig) Validate() error {
	if err := checkProblem(rc.Problem, rc.Options); err != nil {
		return err
	}
	return rc.Config.validate(rc.Problem)
}

// upgrade brings a configuration recorded by an earlier version to this one: a
// negative ObsNoise (which meant none, when 0 meant the default) is 0, and the fields
// added since take the problem's defaults.
func (rc *RunConfig) upgrade() {
	if n := rc.Config.ObsNoise; n != nil && *n < 0 {
		rc.Config.ObsNoise = new(0.0)
	}
	rc.withDefaults()
}

// withDefaults fills in the problem's defaults.
func (rc *RunConfig) withDefaults() {
	if rc.Problem != "heat" {
		rc.Options = rc.Options.For(rc.Problem)
	}
	rc.Config = rc.Config.For(rc.Problem)
}

// RunOptions configures Run, one reproducible training run with its evaluation.
type RunOptions struct {
	Run     run.Options // where the run lives, Run.Resume to continue one, progress, energy meter
	Problem string
	Options Options // unset fields: the problem's defaults
	Config  Config  // unset fields: the problem's defaults (Config.For)
	Steps   int     // with Run.Resume: the new total number of steps (0: keep)
	Eval    EvalOptions
	Command string // command line, recorded in config.json
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

// Run trains a model in a new run (or continues the run opt.Run.Resume with its
// recorded configuration), evaluates it on held-out θ with figures, and ends the run
// with its summary and report (package run's Experiment). A bad configuration is a
// *run.FieldError, and then no run directory is made. The evaluation's observation
// noise defaults to the one the inverse map was trained for.
func Run(ctx context.Context, be compute.Backend, opt RunOptions) (*Outcome, error) {
	if err := opt.Eval.Validate(); err != nil {
		return nil, err
	}
	rc := RunConfig{Command: opt.Command, Problem: opt.Problem, Options: opt.Options, Config: opt.Config}
	rc.withDefaults()
	exp, err := run.Start(opt.Run, "pddlvm-"+opt.Problem, &rc, func() {
		rc.upgrade()
		if opt.Steps > 0 {
			rc.Config.Steps = opt.Steps
		}
	})
	if err != nil {
		return nil, err
	}
	out, err := rc.train(ctx, be, exp, opt.Eval)
	return out, exp.Fail(err)
}

// trainee is the model of a problem: a finite-element one (Model) or the heat
// problem (Heat).
type trainee interface {
	Train(ctx context.Context, be compute.Backend, exp *run.Experiment, opt TrainOptions) (*model.Store, *train.Result, error)
	evaluate(be compute.Backend, store *model.Store, opt EvalOptions) (*Evaluation, error)
}

func (m *Model) evaluate(be compute.Backend, store *model.Store, opt EvalOptions) (*Evaluation, error) {
	return Evaluate(be, m, store, opt)
}

func (h *Heat) evaluate(be compute.Backend, store *model.Store, opt EvalOptions) (*Evaluation, error) {
	return h.Evaluate(be, store, opt)
}

// model returns the model the configuration describes.
func (rc *RunConfig) model() (trainee, error) {
	if rc.Problem == "heat" {
		return NewHeat(rc.Config), nil
	}
	p, err := NewProblem(rc.Problem, rc.Options)
	if err != nil {
		return nil, err
	}
	return New(p, rc.Config), nil
}

// train trains and evaluates within exp and finishes it.
func (rc *RunConfig) train(ctx context.Context, be compute.Backend, exp *run.Experiment, ev EvalOptions) (*Outcome, error) {
	m, err := rc.model()
	if err != nil {
		return nil, err
	}
	store, res, err := m.Train(ctx, be, exp, TrainOptions{})
	if err != nil {
		return nil, err
	}
	if ev.NoiseY == nil {
		ev.NoiseY = rc.Config.ObsNoise
	}
	ev.FigDir = exp.Dir.Path
	e, err := m.evaluate(be, store, ev)
	if err != nil {
		return nil, err
	}
	if err := record(exp.Dir, e); err != nil {
		return nil, err
	}
	out := &Outcome{RunDir: exp.Dir.Path, Steps: res.Steps, Seconds: res.Seconds, StepMillis: res.StepMillis, Loss: res.Loss, Eval: e}
	out.Joules, _ = exp.Joules()
	sum := evalSummary(e)
	maps.Copy(sum, run.Summary{"steps": res.Steps, "loss": res.Loss, "train_seconds": res.Seconds, "step_ms": res.StepMillis})
	if out.Report, err = exp.Finish(sum); err != nil {
		return nil, err
	}
	return out, nil
}

// captions of the evaluation's figures.
var captions = map[string]string{
	"forward.png":        "forward map on held-out θ: FEM solution and PDDLVM mean with 95% band",
	"inverse.png":        "inverse map from noisy observations: true κ and κ at the inverse-map mean with 95% band",
	"fields_1.png":       "held-out θ #1: FEM solution, PDDLVM mean, std and error; true κ and κ from the inverse map",
	"fields_2.png":       "held-out θ #2: FEM solution, PDDLVM mean, std and error; true κ and κ from the inverse map",
	"heat_fields.png":    "held-out z: finite-volume reference, PDDLVM mean, std and error over (x, t)",
	"heat_snapshots.png": "held-out z: reference and PDDLVM mean with 95% band at three times",
}

// record adds the evaluation's figures to the run's report and writes eval.json.
func record(rd *run.Dir, e *Evaluation) error {
	for _, f := range e.Figures {
		if err := rd.AddFigure(f, captions[f]); err != nil {
			return err
		}
	}
	return rd.WriteJSON("eval.json", e)
}

// evalSummary is the evaluation's part of summary.json.
func evalSummary(e *Evaluation) run.Summary {
	return run.Summary{
		"forward_rel_l2_mean": e.ForwardRelL2.Mean,
		"forward_rel_l2_max":  e.ForwardRelL2.Max,
		"forward_coverage_95": e.ForwardCoverage95,
		"inverse_theta_rmse":  e.InverseThetaRMSE,
		"inverse_coverage_95": e.InverseCoverage95,
		"speedup":             e.SpeedUp,
		"headline": fmt.Sprintf("%s: forward rel L2 %.2f%% (max %.2f%%), 95%% band coverage %.0f%%, inverse θ RMSE %.2f (prior %.2f), %.0fx faster than FEM (batched)",
			e.Problem, 100*e.ForwardRelL2.Mean, 100*e.ForwardRelL2.Max, 100*e.ForwardCoverage95, e.InverseThetaRMSE, e.PriorThetaRMSE, e.SpeedUp),
	}
}

// EvalRun re-evaluates the trained model of run directory rd (a finite-element or
// the heat problem), rewriting eval.json, the figures, the evaluation's figures of
// summary.json (the training's, its status and energy are kept) and the report. It is
// not a session of the run: it neither meters nor continues it.
func EvalRun(be compute.Backend, rd *run.Dir, opt EvalOptions) (*Evaluation, string, error) {
	m, store, err := open(rd)
	if err != nil {
		return nil, "", err
	}
	opt.FigDir = rd.Path
	e, err := m.evaluate(be, store, opt)
	if err != nil {
		return nil, "", err
	}
	if err := record(rd, e); err != nil {
		return nil, "", err
	}
	var sum run.Summary
	if rd.ReadJSON(run.SummaryFile, &sum) == nil { // a run without one has not ended: it gets none
		maps.Copy(sum, evalSummary(e))
		if err := rd.WriteJSON(run.SummaryFile, sum); err != nil {
			return nil, "", err
		}
	}
	rep, err := rd.Report()
	return e, rep, err
}

// Load rebuilds the finite-element model recorded in run directory rd and its
// trained parameters.
func Load(rd *run.Dir) (*Model, *model.Store, error) {
	m, store, err := open(rd)
	if err != nil {
		return nil, nil, err
	}
	fm, ok := m.(*Model)
	if !ok {
		return nil, nil, fmt.Errorf("pddlvm: %s: the heat problem is not a finite-element model (use EvalRun)", rd.Path)
	}
	return fm, store, nil
}

// open rebuilds the model recorded in rd (its configuration validated, with the
// defaults of this version for what it does not record) and loads its checkpoint.
func open(rd *run.Dir) (trainee, *model.Store, error) {
	var rc RunConfig
	if err := rd.ReadJSON(run.ConfigFile, &rc); err != nil {
		return nil, nil, err
	}
	rc.upgrade()
	if err := rc.Validate(); err != nil {
		var fe *run.FieldError
		if errors.As(err, &fe) && fe.File == "" {
			fe.File = rd.File(run.ConfigFile)
		}
		return nil, nil, err
	}
	m, err := rc.model()
	if err != nil {
		return nil, nil, err
	}
	if _, err := os.Stat(rd.File(run.CheckpointFile)); errors.Is(err, os.ErrNotExist) {
		return nil, nil, fmt.Errorf("pddlvm: %s has no checkpoint: it was stopped before its first; continue it with Run (erg pde pddlvm train --resume %s)", rd.Path, rd.Path)
	}
	store := model.NewStore()
	if _, _, err := train.LoadCheckpoint(rd.File(run.CheckpointFile), store); err != nil {
		return nil, nil, err
	}
	return m, store, nil
}
