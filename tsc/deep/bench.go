package deep

import (
	"fmt"
	"time"

	"github.com/ergml/erg/train"
	"github.com/ergml/erg/ucr"
	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// EpochTime measures the training speed of a model of the zoo on a dataset: it runs
// `warmup` untimed epochs (graph compilation included) and then `epochs` timed epochs of
// the published training (batch-size rule, optimizer), returning milliseconds per epoch.
// It is the erg side of `erg bench tsc`.
func EpochTime(b compute.Backend, spec Spec, ds *ucr.Dataset, warmup, epochs int) (float64, error) {
	if epochs < 1 {
		return 0, fmt.Errorf("deep: epochs must be positive")
	}
	_, length := ds.Lengths()
	p, err := prepare(ds, length, ds.Classes)
	if err != nil {
		return 0, err
	}
	data, err := train.NewShuffled(spec.BatchSize(p.n), 1,
		train.Array{Data: p.x, Dims: []int{p.n, p.length, p.dims}},
		train.Array{Data: p.mask, Dims: []int{p.n, p.length}},
		train.Array{Data: p.y, Dims: []int{p.n}})
	if err != nil {
		return 0, err
	}
	classes := len(ds.Classes)
	loss := func(s *model.Scope, in []*Node) *Node {
		return softmaxCrossEntropy(spec.Arch(s, in[0], in[1], classes, true), in[2])
	}
	spe := data.StepsPerEpoch()
	tr, err := train.New(b, model.NewStore(), loss, train.Config{Steps: 1, Optimizer: spec.Optimizer, Quiet: true, NoMeter: true})
	if err != nil {
		return 0, err
	}
	lr := tr.Config().Optimizer.LR
	step := 0
	runEpochs := func(n int) error {
		for e := 0; e < n*spe; e++ {
			batch, err := data.Batch(step)
			if err != nil {
				return err
			}
			step++
			if _, _, err := tr.Step(lr, batch...); err != nil {
				return err
			}
		}
		return nil
	}
	if err := runEpochs(max(warmup, 1)); err != nil {
		return 0, err
	}
	t0 := time.Now()
	if err := runEpochs(epochs); err != nil {
		return 0, err
	}
	return float64(time.Since(t0).Microseconds()) / 1000 / float64(epochs), nil
}
