package ebm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/ergml/erg/train"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/tensors"
)

// BenchConfig describes the training-step benchmark of `erg bench ebm`, the same
// workload as bench/peers/ebm.py runs in PyTorch. The zero value is: batch 256 of
// N(0, I) points (seed 1), MLP 2-128-128-1 with softplus, Adam (lr 1e-3); ED with
// M = 4, t = 1, w = 1; CD with K = 20 Langevin steps of size 0.01 and the 0.3
// regulariser; 20 warm-up steps, then 3 rounds of 200 ED steps (50 CD steps), the
// fastest round's mean reported.
type BenchConfig struct {
	Batch      int
	Hidden     []int
	Activation string
	K          int
	Warmup     int
	Steps      int
	Rounds     int
}

func (c BenchConfig) withDefaults() BenchConfig {
	if c.Batch == 0 {
		c.Batch = 256
	}
	if c.Hidden == nil {
		c.Hidden = []int{128, 128}
	}
	if c.Activation == "" {
		c.Activation = "softplus"
	}
	if c.K == 0 {
		c.K = 20
	}
	if c.Warmup == 0 {
		c.Warmup = 20
	}
	if c.Steps == 0 {
		c.Steps = 200
	}
	if c.Rounds == 0 {
		c.Rounds = 3
	}
	return c
}

// BenchStep times one training step of the named workload ("ed" or "cd") and returns
// milliseconds per step (fastest round) and the last loss.
func BenchStep(b compute.Backend, name string, bc BenchConfig) (ms, loss float64, err error) {
	bc = bc.withDefaults()
	cfg := Config{Loss: name, Batch: bc.Batch, Dim: 2, Box: []float64{-4, 4, -4, 4},
		Energy: MLPConfig{Hidden: bc.Hidden, Activation: bc.Activation}, CD: CDConfig{K: bc.K}}
	if name != "ed" && name != "cd" {
		return 0, 0, fmt.Errorf("ebm: unknown bench workload %q (have ed, cd)", name)
	}
	r := rand.New(rand.NewPCG(1, 0))
	x := make([]float32, 2*bc.Batch)
	for i := range x {
		x[i] = float32(r.NormFloat64())
	}
	stepOnce, err := newBenchStepper(b, cfg, x)
	if err != nil {
		return 0, 0, err
	}
	step := func() (err error) {
		loss, err = stepOnce()
		return err
	}
	for range bc.Warmup {
		if err := step(); err != nil {
			return 0, 0, err
		}
	}
	steps := bc.Steps
	if name == "cd" {
		steps = max(bc.Steps/4, 5)
	}
	ms = math.Inf(1)
	for range bc.Rounds {
		start := time.Now()
		for range steps {
			if err := step(); err != nil {
				return 0, 0, err
			}
		}
		ms = min(ms, float64(time.Since(start).Microseconds())/1e3/float64(steps))
	}
	return ms, loss, nil
}

// newBenchStepper builds the model and Adam trainer of cfg (defaults filled in, 2-D,
// box [-4, 4]²) and returns a function taking one training step on the fixed batch x
// [cfg.Batch × 2] and returning its loss: the workload of BenchStep and of the
// package's Go benchmarks.
func newBenchStepper(b compute.Backend, cfg Config, x []float32) (func() (float64, error), error) {
	cfg = cfg.WithDefaults()
	cfg.Dim, cfg.Box = 2, []float64{-4, 4, -4, 4}
	m := NewModel(b, cfg)
	tr, err := train.New(b, m.Store, cfg.lossFunc(m.Energy()), train.Config{Steps: 1, Quiet: true, NoMeter: true,
		Optimizer: train.Optimizer{Name: "adam", LR: 1e-3}})
	if err != nil {
		return nil, err
	}
	if err := m.Store.SetRNGStateFromSeed(1); err != nil {
		return nil, err
	}
	batch := tensors.FromFlatDataAndDimensions(x, len(x)/2, 2)
	return func() (float64, error) {
		l, _, err := tr.Step(1e-3, batch)
		return l, err
	}, nil
}
