package jetebm

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/ergml/erg/train"
)

// BenchCDStep times one training step of erg hep train's MLP energy (CD with K
// Langevin steps, replay buffer, Adam, clipping) on a fixed batch of random jets:
// warm-up steps, then rounds of iters steps; it returns the fastest round's mean in
// milliseconds.
func BenchCDStep(b compute.Backend, batch, k, warmup, rounds, iters int) (float64, error) {
	cfg := Config{Data: "bench", Batch: batch, CD: CD{K: k}}.WithDefaults()
	m := NewModel(b, cfg)
	e := m.Energy()
	tr, err := train.New(b, m.Store, func(s *model.Scope, in []*Node) *Node {
		l, _, _ := CDLoss(s, e, in[0], cfg.CD)
		return l
	}, cfg.trainConfig())
	if err != nil {
		return 0, err
	}
	r := rand.New(rand.NewPCG(1, 2))
	x := make([]float32, batch*D)
	for i := range x {
		x[i] = float32(r.NormFloat64())
	}
	step := func() error {
		_, _, err := tr.Step(cfg.LR, tensors.FromFlatDataAndDimensions(x, batch, D))
		return err
	}
	for range warmup {
		if err := step(); err != nil {
			return 0, err
		}
	}
	best := math.Inf(1)
	for range rounds {
		t0 := time.Now()
		for range iters {
			if err := step(); err != nil {
				return 0, err
			}
		}
		best = math.Min(best, float64(time.Since(t0))/1e6/float64(iters))
	}
	return best, nil
}
