package pddlvm

import (
	"context"
	"io"

	"github.com/ergml/erg/run"
	"github.com/ergml/erg/train"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// TrainOptions are the knobs of Train without an experiment (with one, progress
// follows its options).
type TrainOptions struct {
	Progress io.Writer // progress output; nil: stderr
	Quiet    bool
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
// Config.DecayEvery steps, and returns the trained parameters' store. Within an
// experiment (exp not nil) metrics and checkpoints go to its run directory and a
// resumed experiment continues from its checkpoint (from the start when it was
// stopped before its first); without one nothing is written.
func (m *Model) Train(ctx context.Context, be compute.Backend, exp *run.Experiment, opt TrainOptions) (*model.Store, *train.Result, error) {
	c := m.Config
	if err := c.Validate(); err != nil {
		return nil, nil, err
	}
	data := Thetas{P: m.Problem, N: c.Batch, Seed: c.Seed, F64: c.DType == "float64"}
	return fit(ctx, be, m.Loss, c, data, 2000, exp, opt)
}

// fit optimises loss on data as configured by c (Adam, the staircase schedule,
// gradients clipped to norm 100), checkpointing every `every` steps within exp (nil:
// no run directory), and returns the parameters' store.
func fit(ctx context.Context, be compute.Backend, loss train.LossFunc, c Config, data train.Batches, every int, exp *run.Experiment, opt TrainOptions) (*model.Store, *train.Result, error) {
	store := model.NewStore()
	tr, err := train.New(be, store, loss, train.Config{
		Steps: c.Steps, StepsPerEpoch: epoch,
		Optimizer: train.Optimizer{Name: "adam", LR: c.LR},
		Schedule:  halving(c.DecayEvery, c.Steps),
		ClipNorm:  100,
		Seed:      c.Seed, Progress: opt.Progress, Quiet: opt.Quiet,
		CheckpointEvery: every,
	})
	if err != nil {
		return nil, nil, err
	}
	if exp == nil { // no run directory
		res, err := tr.Fit(ctx, data, nil)
		return store, res, err
	}
	res, err := tr.Run(ctx, data, exp)
	return store, res, err
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
