package deep

import (
	"context"
	"fmt"

	"github.com/ergml/erg/run"
	"github.com/ergml/erg/train"
)

// memberConfig is the configuration of an ensemble member's child experiment.
type memberConfig struct {
	Model  string `json:"model"`
	Member int    `json:"member"`
	Seed   uint64 `json:"seed"`
	Epochs int    `json:"epochs"`
}

func (memberConfig) Validate() error { return nil }

// runMember trains ensemble member m with tr inside the classifier's experiment: the
// experiment itself for a single network, else a child experiment member<m> of it
// (resumed when the experiment is, and finished here). The trainer shows progress
// per epoch (train.Config.ProgressEpochs).
func (c *Classifier) runMember(ctx context.Context, tr *train.Trainer, data *train.Shuffled, m, members int, seed uint64, epochs int) (*train.Result, error) {
	exp := c.Experiment
	if members == 1 {
		return tr.Run(ctx, data, exp)
	}
	name := fmt.Sprintf("member%d", m)
	o := exp.Options()
	opt := run.Options{Root: exp.Dir.Path, Name: name, Progress: o.Progress, Quiet: o.Quiet, NoMeter: o.NoMeter, Meter: o.Meter}
	if exp.Resumed {
		infos, err := run.List(exp.Dir.Path)
		if err != nil {
			return nil, err
		}
		for _, inf := range infos {
			if inf.Name == name {
				opt.Resume = inf.Path
			}
		}
	}
	mc := memberConfig{Model: c.Spec.Name, Member: m, Seed: seed, Epochs: epochs}
	child, err := run.Start(opt, name, &mc, nil)
	if err != nil {
		return nil, err
	}
	res, err := tr.Run(ctx, data, child)
	if err != nil {
		return nil, child.Fail(err)
	}
	_, err = child.Finish(run.Summary{"headline": fmt.Sprintf("%s member %d: training loss %.4g after %d epochs", c.Spec.Name, m, res.Loss, res.Epochs),
		"steps": res.Steps, "epochs": res.Epochs, "loss": res.Loss, "stopped": res.Stopped})
	return res, err
}
