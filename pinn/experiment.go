package pinn

import (
	"context"
	"fmt"
	"image/color"
	"math"
	"path/filepath"

	"github.com/ergml/erg/run"
	"github.com/gomlx/compute"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/vg"
)

// RunConfig is what a run records in config.json: the benchmark, its options and the
// training configuration, their defaults filled in.
type RunConfig struct {
	Command   string         `json:"command,omitempty"`
	Benchmark string         `json:"benchmark"`
	Options   ProblemOptions `json:"options"`
	Config    Config         `json:"config"`
}

// Validate reports the first bad value (see Config.Validate and
// ProblemOptions.Validate).
func (rc RunConfig) Validate() error {
	if err := checkBenchmark(rc.Benchmark, rc.Options); err != nil {
		return err
	}
	return rc.Config.Validate()
}

// withDefaults fills in the defaults of the benchmark (for a configuration recorded
// by an earlier version: the fields added since).
func (rc *RunConfig) withDefaults() {
	rc.Options, rc.Config = rc.Options.For(rc.Benchmark), rc.Config.For(rc.Benchmark)
}

// RunOptions configures Run.
type RunOptions struct {
	Run       run.Options // where the run lives, Run.Resume to continue one, progress, energy meter
	Benchmark string
	Options   ProblemOptions // unset fields: the benchmark's defaults
	Config    Config         // unset fields: the benchmark's defaults (Config.For)
	Steps     int            // with Run.Resume: new total of Adam steps (0: keep)
	LBFGS     int            // with Run.Resume: new total of L-BFGS iterations (0: keep)
	Command   string         // the command line, recorded in config.json
}

// Outcome is what Run reports.
type Outcome struct {
	RunDir     string             `json:"run_dir"`
	Report     string             `json:"report"`
	Benchmark  string             `json:"benchmark"`
	RelL2      float64            `json:"rel_l2"`
	MaxAbsErr  float64            `json:"max_abs_err"`
	AdamSteps  int                `json:"adam_steps"`
	LBFGSIters int                `json:"lbfgs_iterations"`
	Seconds    float64            `json:"train_seconds"`
	StepMillis float64            `json:"adam_step_ms"`
	Joules     float64            `json:"joules"`
	Loss       float64            `json:"loss"`
	Coef       map[string]float64 `json:"coefficients,omitempty"`
	TrueCoef   map[string]float64 `json:"true_coefficients,omitempty"`
	Reference  string             `json:"reference"`
	Points     int                `json:"collocation_points"` // at the end (after adaptive refinement)
	Parameters int                `json:"parameters"`
	Figures    []string           `json:"figures"`
}

// Run trains a PINN on a benchmark in a new run (or continues the run
// opt.Run.Resume with its recorded configuration), evaluates it against the
// reference on the benchmark's grid, and ends the run with its figures and summary
// (package run's Experiment). A bad configuration is a *run.FieldError, and then no
// run directory is made.
func Run(ctx context.Context, be compute.Backend, opt RunOptions) (*Outcome, error) {
	rc := RunConfig{Command: opt.Command, Benchmark: opt.Benchmark, Options: opt.Options, Config: opt.Config}
	rc.withDefaults()
	exp, err := run.Start(opt.Run, "pinn-"+opt.Benchmark, &rc, func() {
		rc.withDefaults()
		if opt.Steps > 0 {
			rc.Config.Steps = opt.Steps
		}
		if opt.LBFGS > 0 {
			rc.Config.LBFGS = new(opt.LBFGS)
		}
	})
	if err != nil {
		return nil, err
	}
	out, err := rc.run(ctx, be, exp)
	return out, exp.Fail(err)
}

// run trains and evaluates within exp and finishes it.
func (rc *RunConfig) run(ctx context.Context, be compute.Backend, exp *run.Experiment) (*Outcome, error) {
	b, err := NewBenchmark(rc.Benchmark, rc.Options)
	if err != nil {
		return nil, err
	}
	m := New(b.Problem, rc.Config)
	store, res, err := m.Train(ctx, be, exp, TrainOptions{})
	if err != nil {
		return nil, err
	}
	pr, err := NewPredictor(be, m, store)
	if err != nil {
		return nil, err
	}
	u, err := pr.U(b.GridPoints())
	if err != nil {
		return nil, err
	}
	out := &Outcome{RunDir: exp.Dir.Path, Benchmark: b.Problem.Name, AdamSteps: res.Adam.Steps, LBFGSIters: res.LBFGSIters,
		Seconds: res.Seconds, StepMillis: res.Adam.StepMillis, Loss: res.FinalLoss,
		Coef: CoefValues(store, b.Problem), TrueCoef: b.TrueCoef, Reference: b.RefSource}
	out.Joules, _ = exp.Joules()
	for _, t := range b.Problem.Terms {
		if t.Points.Fixed != nil {
			out.Points += len(t.Points.Fixed) / b.Problem.Domain.Dim()
		} else {
			out.Points += t.Points.N
		}
	}
	out.Points += res.RARPoints
	for _, v := range modelVars(store) {
		out.Parameters += v.Shape().Size()
	}
	var e2, r2 float64
	for i := range u {
		e := u[i] - b.Ref[i]
		e2 += e * e
		r2 += b.Ref[i] * b.Ref[i]
		out.MaxAbsErr = math.Max(out.MaxAbsErr, math.Abs(e))
	}
	out.RelL2 = math.Sqrt(e2 / r2)
	if out.Figures, err = plotBenchmark(exp.Dir.Path, b, u); err != nil {
		return nil, err
	}
	for _, f := range out.Figures {
		if err := exp.Dir.AddFigure(f, figCaption(b, f)); err != nil {
			return nil, err
		}
	}
	head := fmt.Sprintf("%s PINN: relative L2 error %.3g against the reference, %d Adam steps + %d L-BFGS iterations, %.0f s",
		b.Problem.Name, out.RelL2, out.AdamSteps, out.LBFGSIters, out.Seconds)
	for k, v := range out.Coef {
		head += fmt.Sprintf(", %s = %.5g", k, v)
		if tv, ok := b.TrueCoef[k]; ok {
			head += fmt.Sprintf(" (true %.5g)", tv)
		}
	}
	sum := run.Summary{"steps": out.AdamSteps + out.LBFGSIters, "loss": out.Loss,
		"rel_l2": out.RelL2, "max_abs_err": out.MaxAbsErr, "train_seconds": out.Seconds,
		"adam_steps": out.AdamSteps, "lbfgs_iterations": out.LBFGSIters, "reference": out.Reference, "headline": head}
	for k, v := range out.Coef {
		sum["coef_"+k] = v
	}
	if out.Report, err = exp.Finish(sum); err != nil {
		return nil, err
	}
	return out, nil
}

func figCaption(b *Benchmark, f string) string {
	switch f {
	case "fields.png":
		return "PINN solution, reference (" + b.RefSource + ") and error"
	case "snapshots.png":
		return "PINN and reference at t = 0.25, 0.50, 0.75"
	}
	return f
}

func plotBenchmark(dir string, b *Benchmark, u []float64) ([]string, error) {
	err := make([]float64, len(u))
	for i := range u {
		err[i] = u[i] - b.Ref[i]
	}
	pal := moreland.SmoothBlueRed().Palette(128)
	var panels []*plot.Plot
	panels = append(panels, HeatMap("PINN u", b.XName, b.YName, b.Xs, b.Ys, u, pal)...)
	panels = append(panels, HeatMap("reference u", b.XName, b.YName, b.Xs, b.Ys, b.Ref, pal)...)
	panels = append(panels, HeatMapSym("PINN − reference", b.XName, b.YName, b.Xs, b.Ys, err, pal)...)
	files := []string{"fields.png"}
	if e := SaveHeatPanels(filepath.Join(dir, "fields.png"), 1, 3, panels); e != nil {
		return nil, e
	}
	if b.YName == "t" {
		var ps []*plot.Plot
		nx := len(b.Xs)
		for _, t := range []float64{0.25, 0.5, 0.75} {
			j := int(math.Round(t * float64(len(b.Ys))))
			pl, e := BandPlot(fmt.Sprintf("t = %.2f", b.Ys[j]), "x", "u(x, t)",
				Band{Name: "Cole–Hopf", X: b.Xs, Y: b.Ref[j*nx : (j+1)*nx], Color: color.RGBA{A: 255}},
				Band{Name: "PINN", X: b.Xs, Y: u[j*nx : (j+1)*nx], Color: color.RGBA{R: 200, G: 40, B: 40, A: 255}, Dashed: true})
			if e != nil {
				return nil, e
			}
			ps = append(ps, pl)
		}
		if e := SavePanels(filepath.Join(dir, "snapshots.png"), 1, 3, 3.3*vg.Inch, 3*vg.Inch, ps); e != nil {
			return nil, e
		}
		files = append(files, "snapshots.png")
	}
	return files, nil
}
