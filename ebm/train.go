package ebm

import (
	"context"
	"fmt"
	"math"

	"github.com/ergml/erg/ebm/density"
	"github.com/ergml/erg/run"
	"github.com/ergml/erg/train"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/tensors"
)

// Options are the run-level settings of Train: the experiment's options (run root and
// name, Resume to continue a run, progress, metering) and the evaluation.
type Options struct {
	run.Options
	Steps  int // with Resume: the new total number of steps (0: keep the recorded one)
	Eval   EvalConfig
	NoEval bool // skip evaluation, figures and report
}

// Outcome is what a training run produced.
type Outcome struct {
	Dir    *run.Dir
	Model  *Model
	Train  *train.Result
	Eval   *Evaluation
	Report string // path of report.html ("" with NoEval)
}

// EvalFile holds the evaluation written at the end of a run.
const EvalFile = "eval.json"

// prepared is a configuration's data.
type prepared struct {
	cfg     Config
	batches train.Batches
	held    *density.Set
	shown   *density.Set // data shown in the figures
}

// streams of the density generators
const (
	streamHeld  = 2
	streamBox   = 3
	streamBatch = 1 << 20
)

func prepare(cfg Config) (*prepared, error) {
	p := &prepared{}
	if density.Known(cfg.Data) {
		cfg.Dim = 2
		boxSet, err := density.Sample(cfg.Data, 20000, cfg.Seed, streamBox)
		if err != nil {
			return nil, err
		}
		if cfg.Box == nil {
			cfg.Box = boxOf(boxSet)
		}
		p.held, err = density.Sample(cfg.Data, cfg.HeldoutN, cfg.Seed, streamHeld)
		if err != nil {
			return nil, err
		}
		p.shown = p.held
		name, batch, seed := cfg.Data, cfg.Batch, cfg.Seed
		p.batches = train.BatchFunc(func(step int) ([]*tensors.Tensor, error) {
			x := make([]float32, 2*batch)
			density.SampleInto(name, x, seed, streamBatch+uint64(step))
			return []*tensors.Tensor{tensors.FromFlatDataAndDimensions(x, batch, 2)}, nil
		})
	} else {
		all, err := density.ReadCSV(cfg.Data)
		if err != nil {
			return nil, err
		}
		if all.Len() < 4 {
			return nil, fmt.Errorf("ebm: %s has %d points; need at least 4", cfg.Data, all.Len())
		}
		cfg.Dim = all.Dim
		if cfg.Box == nil {
			cfg.Box = boxOf(all)
		}
		tr, held := all.Split(cfg.Holdout, cfg.Seed)
		p.held, p.shown = held, all
		sh, err := train.NewShuffled(cfg.Batch, cfg.Seed, train.Array{Data: tr.Float32(), Dims: []int{tr.Len(), tr.Dim}})
		if err != nil {
			return nil, err
		}
		cfg.Batch = sh.BatchSize()
		p.batches = sh
	}
	if cfg.Loss == "mle" && cfg.Dim != 2 {
		return nil, fmt.Errorf("ebm: MLE with a grid partition function needs 2-D data; %s is %d-D", cfg.Data, cfg.Dim)
	}
	p.cfg = cfg
	return p, nil
}

func (c Config) trainConfig() train.Config {
	return train.Config{
		Steps:           c.Steps,
		Optimizer:       train.Optimizer{Name: "adam", LR: c.LR},
		Seed:            c.Seed,
		CheckpointEvery: c.CheckpointEvery,
	}
}

// Train trains an energy as cfg says in a new run directory, or continues the run
// opt.Resume names (its recorded configuration, cfg is ignored; opt.Steps may raise
// the number of steps), then (unless opt.NoEval) evaluates it on held-out data, draws
// the figures and writes the summary and report.
func Train(ctx context.Context, b compute.Backend, cfg Config, opt Options) (*Outcome, error) {
	var p *prepared
	if opt.Resume != "" {
		cfg = Config{}
	} else {
		// Read the data before making a run directory: bad data leaves none.
		cfg = cfg.WithDefaults()
		if err := cfg.Validate(); err != nil {
			return nil, err
		}
		var err error
		if p, err = prepare(cfg); err != nil {
			return nil, err
		}
		cfg = p.cfg // with the data's dimension and box
		if opt.Name == "" {
			opt.Name = fmt.Sprintf("%s-%s", dataLabel(cfg.Data), cfg.Loss)
		}
	}
	exp, err := run.Start(opt.Options, "ebm", &cfg, func() {
		cfg = cfg.WithDefaults()
		if opt.Steps > 0 {
			cfg.Steps = opt.Steps
		}
	})
	if err != nil {
		return nil, err
	}
	if p == nil {
		if p, err = prepare(cfg); err != nil {
			return nil, exp.Fail(err)
		}
	}
	m := NewModel(b, p.cfg)
	tr, err := train.New(b, m.Store, p.cfg.lossFunc(m.Energy()), p.cfg.trainConfig())
	if err != nil {
		return nil, exp.Fail(err)
	}
	res, err := tr.Run(ctx, p.batches, exp)
	if err != nil {
		return &Outcome{Dir: exp.Dir, Model: m}, exp.Fail(err)
	}
	out, err := finish(exp, m, res, p, opt)
	if err != nil {
		return out, exp.Fail(err)
	}
	return out, nil
}

func dataLabel(data string) string {
	if density.Known(data) {
		return data
	}
	b := []rune{}
	for _, r := range data {
		switch {
		case r == '/' || r == '\\':
			b = b[:0]
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b = append(b, r)
		case r == '.':
			b = append(b, '_')
		}
	}
	if len(b) == 0 {
		return "data"
	}
	return string(b)
}

func finish(exp *run.Experiment, m *Model, res *train.Result, p *prepared, opt Options) (*Outcome, error) {
	rd := exp.Dir
	out := &Outcome{Dir: rd, Model: m, Train: res}
	cfg := m.Config
	sum := run.Summary{
		"steps": res.Steps, "loss": res.Loss, "seconds": res.Seconds,
		"joules": res.Joules, "energy_status": res.EnergyStatus, "step_ms": res.StepMillis,
		"data": cfg.Data, "loss_name": cfg.Loss,
	}
	headline := fmt.Sprintf("%s %s: %d steps, %.1f s", dataLabel(cfg.Data), cfg.Loss, res.Steps, res.Seconds)
	if !opt.NoEval {
		ec := opt.Eval
		if ec.Seed == 0 {
			ec.Seed = cfg.Seed + 1
		}
		ev, err := m.Evaluate(p.held, ec)
		if err != nil {
			return out, err
		}
		out.Eval = ev
		if err := rd.WriteJSON(EvalFile, ev); err != nil {
			return out, err
		}
		if ev.NLL != nil {
			sum["nll"], sum["nll_error"], sum["nll_grid"] = ev.NLL.NLL, ev.NLL.Error(), ev.NLL.Grid
			headline += fmt.Sprintf(", held-out NLL %.3f ± %.1g (grid %d²)", ev.NLL.NLL, ev.NLL.Error(), ev.NLL.Grid)
		}
		if ev.MMD2 != nil {
			sum["mmd2"] = *ev.MMD2
			headline += fmt.Sprintf(", MMD² %.2g", *ev.MMD2)
		}
		if err := m.WriteDensityFigure(rd.File("density.png"), p.shown.X, ev.Samples); err != nil {
			return out, err
		}
		caption := "Data histogram (held-out points), learned density exp(−U)/Z on the grid, and MALA samples from the model."
		if cfg.Dim != 2 {
			caption = "First two coordinates of the data and of MALA samples from the model."
		}
		if err := rd.AddFigure("density.png", caption); err != nil {
			return out, err
		}
	}
	if !math.IsNaN(res.Joules) && res.EnergyStatus != "" {
		headline += fmt.Sprintf(", %.0f J (%s)", res.Joules, res.EnergyStatus)
	}
	sum["headline"] = headline
	rep, err := exp.Finish(sum)
	if err != nil {
		return out, err
	}
	if !opt.NoEval {
		out.Report = rep
	}
	return out, nil
}

// HeldOut returns the held-out data of a run's configuration: the fresh points of a
// built-in density, or the rows of the CSV file not trained on.
func HeldOut(cfg Config) (*density.Set, error) {
	p, err := prepare(cfg.WithDefaults())
	if err != nil {
		return nil, err
	}
	return p.held, nil
}
