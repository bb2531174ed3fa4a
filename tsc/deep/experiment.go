package deep

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/ergml/erg/run"
	"github.com/ergml/erg/train"
	"github.com/gomlx/gomlx/core/tensors"
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
// (resumed when the experiment is, and finished here).
func (c *Classifier) runMember(ctx context.Context, tr *train.Trainer, data *train.Shuffled, m, members int, seed uint64, epochs, spe int) (*train.Result, error) {
	exp := c.Experiment
	if members == 1 {
		return trainInExperiment(ctx, tr, data, exp, epochs, spe)
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
	res, err := trainInExperiment(ctx, tr, data, child, epochs, spe)
	if err != nil {
		return nil, child.Fail(err)
	}
	_, err = child.Finish(run.Summary{"headline": fmt.Sprintf("%s member %d: training loss %.4g after %d epochs", c.Spec.Name, m, res.Loss, res.Epochs),
		"steps": res.Steps, "epochs": res.Epochs, "loss": res.Loss, "stopped": res.Stopped})
	return res, err
}

// trainInExperiment runs tr in exp (fresh, or resumed from its checkpoint) with one
// progress display per epoch instead of the trainer's per step.
func trainInExperiment(ctx context.Context, tr *train.Trainer, data train.Batches, exp *run.Experiment, epochs, spe int) (*train.Result, error) {
	p := &epochProgress{data: data, spe: spe, epochs: epochs, exp: exp, tail: metricsTail{path: exp.Dir.File(run.MetricsFile)}}
	res, err := tr.Run(ctx, p, exp)
	if p.prog != nil {
		if err == nil {
			p.update(res.Epochs, true)
		}
		p.prog.Finish()
	}
	return res, err
}

// epochProgress passes the trainer's batches through and, at each epoch's end (the
// first batch of the next epoch, when that epoch's metric line is written), shows the
// epoch count, its loss and the run's energy.
type epochProgress struct {
	data        train.Batches
	spe, epochs int
	exp         *run.Experiment
	prog        *run.Progress
	tail        metricsTail
}

func (p *epochProgress) Batch(step int) ([]*tensors.Tensor, error) {
	switch {
	case p.prog == nil: // the first batch of this session: after any resumption
		p.prog = p.exp.Progress("epoch", p.epochs, step/p.spe)
	case step%p.spe == 0:
		p.update(step/p.spe, false)
	}
	return p.data.Batch(step)
}

func (p *epochProgress) update(epoch int, force bool) {
	m := p.tail.last()
	detail := ""
	if l, ok := m["epoch_loss"].(float64); ok {
		detail = fmt.Sprintf("loss %.5g ", l)
	} else if l, ok := m["loss"].(float64); ok {
		detail = fmt.Sprintf("loss %.5g ", l)
	}
	j, es := p.exp.Joules()
	detail += fmt.Sprintf("energy %.4g J", j)
	if es == "estimated" {
		detail += " est."
	}
	p.prog.Update(epoch, detail, force)
}

// metricsTail reads the last line of a growing metrics.jsonl, reading only what was
// appended since the previous call (the file may also be rewritten shorter).
type metricsTail struct {
	path string
	off  int64
	m    run.Metric
}

func (t *metricsTail) last() run.Metric {
	f, err := os.Open(t.path)
	if err != nil {
		return t.m
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || st.Size() < t.off {
		t.off = 0
	}
	if _, err := f.Seek(t.off, io.SeekStart); err != nil {
		return t.m
	}
	b, err := io.ReadAll(f)
	if err != nil {
		return t.m
	}
	end := bytes.LastIndexByte(b, '\n')
	if end < 0 {
		return t.m
	}
	t.off += int64(end + 1)
	lines := bytes.Split(bytes.TrimSpace(b[:end]), []byte{'\n'})
	var m run.Metric
	if json.Unmarshal(lines[len(lines)-1], &m) == nil {
		t.m = m
	}
	return t.m
}
