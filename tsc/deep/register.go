package deep

import (
	"context"
	"fmt"
	"io"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/run"
	"github.com/ergml/erg/tsc"
	"github.com/ergml/erg/ucr"
)

func init() {
	for _, name := range Names() {
		tsc.Register(name, func(p tsc.Params) (tsc.Classifier, error) {
			if err := p.Check(name, "rundir", "ensemble", "length"); err != nil {
				return nil, err
			}
			length, err := p.Int("length", 0)
			if err != nil {
				return nil, err
			}
			if length < 0 {
				return nil, fmt.Errorf("deep: length=%d must be positive (0: keep the series' lengths)", length)
			}
			spec := Specs[name]
			n, err := p.Int("ensemble", spec.Ensemble)
			if err != nil {
				return nil, err
			}
			if n < 1 {
				return nil, fmt.Errorf("deep: ensemble=%d must be at least 1", n)
			}
			spec.Ensemble = n
			return &Model{spec: spec, runDir: p["rundir"], length: length}, nil
		})
	}
}

// Model adapts Classifier to the tsc.Classifier interface, so the zoo runs in erg's
// benchmark runner and CLI under the names mlp, fcn, resnet, encoder and inception.
// It is a tsc.StepTrainer: given FitOptions.Experiment (tsc.Train gives it) it trains
// inside that experiment, resumably; and a tsc.Persister (Save, Load).
// Parameters: rundir (an existing run directory for metrics and checkpoints, when
// no experiment is given),
// ensemble (number of networks; InceptionTime's default is 5) and length (resample
// every series, in training and prediction, to this many points by linear
// interpolation, ucr.Dataset.Resample — the alternative to padding and masking for
// unequal or very long series; 0, the default: keep the lengths).
type Model struct {
	spec   Spec
	runDir string
	length int
	c      *Classifier
}

var (
	_ tsc.StepTrainer = (*Model)(nil)
	_ tsc.Persister   = (*Model)(nil)
)

// TrainStats implements tsc.StepTrainer: the training of the last Fit (for an
// ensemble: the steps and epochs of one member, the mean loss and the total time).
func (m *Model) TrainStats() tsc.TrainStats {
	var ts tsc.TrainStats
	if m.c == nil || len(m.c.Results) == 0 {
		return ts
	}
	r0 := m.c.Results[0]
	ts.Steps, ts.Epochs, ts.Stopped = r0.Steps, r0.Epochs, r0.Stopped
	for _, r := range m.c.Results {
		ts.Loss += r.Loss / float64(len(m.c.Results))
		ts.Seconds += r.Seconds
	}
	return ts
}

// Fit implements tsc.Classifier.
func (m *Model) Fit(ctx context.Context, trainSet *ucr.Dataset, opt tsc.FitOptions) error {
	b, err := backend.New(opt.Backend)
	if err != nil {
		return err
	}
	c := &Classifier{Spec: m.spec, Epochs: opt.Epochs, Seed: opt.Seed, Backend: b, Quiet: opt.Log == nil, Progress: opt.Log,
		Experiment: opt.Experiment, CheckpointEvery: opt.CheckpointEvery}
	if opt.Log == nil {
		c.Progress = io.Discard
	}
	if opt.Experiment != nil { // progress as the experiment's options say
		c.Quiet, c.Progress = false, nil
	}
	if m.runDir != "" && opt.Experiment == nil {
		rd, err := run.Open(m.runDir)
		if err != nil {
			return err
		}
		c.RunDir = rd
	}
	if m.length > 0 {
		trainSet = trainSet.Resample(m.length)
	}
	if err := c.Fit(ctx, trainSet); err != nil {
		return err
	}
	m.c = c
	return nil
}

// Predict implements tsc.Classifier.
func (m *Model) Predict(ctx context.Context, X [][][]float64) ([]string, error) {
	if m.c == nil {
		return nil, fmt.Errorf("deep: %s is not fitted", m.spec.Name)
	}
	d := &ucr.Dataset{Name: "predict", X: X}
	if m.length > 0 {
		d = d.Resample(m.length)
	}
	return m.c.Predict(d)
}

// Classifier returns the trained classifier (nil before Fit).
func (m *Model) Classifier() *Classifier { return m.c }
