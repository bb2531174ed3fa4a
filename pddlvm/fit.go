package pddlvm

import (
	"context"
	"fmt"
	"io"

	"github.com/ergml/erg/meter"
	"github.com/ergml/erg/run"
	"github.com/ergml/erg/train"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// RunConfig is what a training run records in config.json: enough to rebuild the
// model for evaluation.
type RunConfig struct {
	Command string  `json:"command,omitempty"`
	Problem string  `json:"problem"`
	Options Options `json:"options"`
	Config  Config  `json:"config"`
}

// TrainOptions are the knobs of Train that are not part of the model.
type TrainOptions struct {
	Progress io.Writer // progress output; nil: stderr
	Quiet    bool
	Resume   bool // continue the run in the directory from its checkpoint
}

// Thetas is the training batch source: Batch(step) draws Config.Batch parameter
// vectors from the prior with a generator seeded by (Seed, step), so batches are
// reproducible and a resumed run sees the same ones.
type Thetas struct {
	P    *Problem
	N    int // θ per batch
	Seed uint64
	F64  bool
}

// Batch implements train.Batches.
func (t Thetas) Batch(step int) ([]*tensors.Tensor, error) {
	th := t.P.SampleTheta(t.N, t.Seed, uint64(step)+1)
	d := t.P.Disc.NumParams()
	if t.F64 {
		return []*tensors.Tensor{tensors.FromFlatDataAndDimensions(th, t.N, d)}, nil
	}
	f := make([]float32, len(th))
	for i, v := range th {
		f[i] = float32(v)
	}
	return []*tensors.Tensor{tensors.FromFlatDataAndDimensions(f, t.N, d)}, nil
}

// Train maximises the ELBO with Adam, the learning rate halved every
// Config.DecayEvery steps, writing metrics and checkpoints to rd (nil: none). It
// returns the trained parameters' store.
func (m *Model) Train(ctx context.Context, be compute.Backend, rd *run.Dir, opt TrainOptions) (*model.Store, *train.Result, error) {
	c := m.Config
	data := Thetas{P: m.Problem, N: c.Batch, Seed: c.Seed, F64: c.DType == "float64"}
	return m.fit(ctx, be, rd, data, opt)
}

func (m *Model) fit(ctx context.Context, be compute.Backend, rd *run.Dir, data train.Batches, opt TrainOptions) (*model.Store, *train.Result, error) {
	c := m.Config
	store := model.NewStore()
	tr, err := train.New(be, store, m.Loss, train.Config{
		Steps: c.Steps, StepsPerEpoch: epoch,
		Optimizer: train.Optimizer{Name: "adam", LR: c.LR},
		Schedule:  halving(c.DecayEvery, c.Steps),
		ClipNorm:  100,
		Seed:      c.Seed, Progress: opt.Progress, Quiet: opt.Quiet,
		CheckpointEvery: 2000,
	})
	if err != nil {
		return nil, nil, err
	}
	mt, merr := meter.Start(meter.Config{})
	if merr == nil {
		tr.SetMeter(energy{mt})
	}
	var res *train.Result
	if opt.Resume {
		res, err = tr.Resume(ctx, data, rd)
	} else {
		res, err = tr.Fit(ctx, data, rd)
	}
	if merr == nil {
		rep := mt.Stop()
		if rd != nil {
			if werr := rep.WriteJSON(rd.File(run.EnergyFile)); werr != nil && err == nil {
				err = werr
			}
		}
	}
	if err != nil {
		return nil, nil, err
	}
	return store, res, nil
}

type energy struct{ m *meter.Meter }

func (e energy) Joules() (float64, string) {
	r := e.m.Read()
	return r.Joules, r.Status
}

// Load rebuilds the model recorded in run directory rd and its trained parameters.
func Load(rd *run.Dir) (*Model, *model.Store, error) {
	var rc RunConfig
	if err := rd.ReadJSON(run.ConfigFile, &rc); err != nil {
		return nil, nil, err
	}
	if rc.Problem == "heat" {
		return nil, nil, fmt.Errorf("pddlvm: %s: the heat problem is evaluated at the end of training", rd.Path)
	}
	p, err := NewProblem(rc.Problem, rc.Options)
	if err != nil {
		return nil, nil, fmt.Errorf("pddlvm: %s: %w", rd.File(run.ConfigFile), err)
	}
	store := model.NewStore()
	if _, _, err := train.LoadCheckpoint(rd.File(train.CheckpointFile), store); err != nil {
		return nil, nil, err
	}
	return New(p, rc.Config), store, nil
}

// epoch is the number of steps per metrics line (a train "epoch") in PDDLVM training.
const epoch = 100

// halving is the staircase schedule shared by the FEM and heat problems: the rate is
// halved every decayEvery steps (none when decayEvery ≥ steps).
func halving(decayEvery, steps int) train.Schedule {
	if decayEvery >= steps {
		return train.Schedule{}
	}
	return train.Schedule{Kind: "step", Factor: 0.5, StepEpochs: max(1, decayEvery/epoch)}
}
