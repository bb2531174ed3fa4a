package baseline

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"

	"github.com/ergml/erg/graphgen"
	"github.com/ergml/erg/graphgen/dataset"
	"github.com/ergml/erg/run"
)

// Files of a baseline run directory besides the lifecycle's own.
const (
	ModelFile = "model.json"
	TrainFile = "train.g6"
	TestFile  = "test.g6"
)

// Config is a baseline training run. Field names are erg graph train's flags.
type Config struct {
	Set     string `json:"set"`            // data set (dataset.Names)
	Model   string `json:"model"`          // er, ba or sbm
	Seed    uint64 `json:"seed"`           // seed of the data set and its split
	Data    string `json:"data,omitempty"` // directory with train.g6/test.g6 (from erg graph data) instead of making Set
	Command string `json:"command,omitempty"`
}

// Validate checks the configuration.
func (c *Config) Validate() error {
	if !slices.Contains(Models, c.Model) {
		return run.Invalid("model", c.Model, "must be one of %v, or graphrnn-s, graphrnn (gran is not built yet)", Models)
	}
	if c.Data == "" && !slices.Contains(dataset.Names, c.Set) {
		return run.Invalid("set", c.Set, "must be one of %v", dataset.Names)
	}
	return nil
}

// Result is what Train returns.
type Result struct {
	Dir     string  `json:"dir"`
	Report  string  `json:"report"`
	Model   string  `json:"model"`
	Set     string  `json:"set"`
	NTrain  int     `json:"n_train"`
	NTest   int     `json:"n_test"`
	Seconds float64 `json:"seconds"`
}

// LoadData returns the training and test graphs of a configuration: Data's
// train.g6 and test.g6, or Set made from Seed and split as published.
func LoadData(c *Config) (train, test []*graphgen.Graph, err error) {
	if c.Data != "" {
		if train, err = graphgen.LoadSet(filepath.Join(c.Data, TrainFile)); err != nil {
			return nil, nil, err
		}
		if test, err = graphgen.LoadSet(filepath.Join(c.Data, TestFile)); err != nil {
			return nil, nil, err
		}
		if len(train) == 0 {
			return nil, nil, fmt.Errorf("%s: empty set", filepath.Join(c.Data, TrainFile))
		}
		return train, test, nil
	}
	s, err := dataset.Make(c.Set, c.Seed)
	if err != nil {
		return nil, nil, err
	}
	sp, err := dataset.SplitSet(s.Graphs, dataset.DefaultScheme(c.Set), c.Seed)
	if err != nil {
		return nil, nil, err
	}
	return sp.Train, sp.Test, nil
}

// Train fits a baseline in a run directory: config.json, model.json, the
// train and test sets (train.g6, test.g6), energy.json, summary.json and
// report.html.
func Train(ctx context.Context, cfg Config, opt run.Options) (*Result, error) {
	name := cfg.Set + "-" + cfg.Model
	exp, err := run.Start(opt, name, &cfg, nil)
	if err != nil {
		return nil, err
	}
	res := &Result{Dir: exp.Dir.Path, Model: cfg.Model, Set: cfg.Set}
	train, test, err := LoadData(&cfg)
	if err != nil {
		return res, exp.Fail(err)
	}
	res.NTrain, res.NTest = len(train), len(test)
	var prog *run.Progress
	if !opt.Quiet {
		prog = exp.Progress("graphs", len(train), 0)
	}
	m := &Model{Kind: cfg.Model}
	for i, g := range train {
		if err := ctx.Err(); err != nil {
			return res, exp.Fail(err)
		}
		p, err := FitOne(cfg.Model, g)
		if err != nil {
			return res, exp.Fail(err)
		}
		m.Params = append(m.Params, p)
		if prog != nil {
			prog.Update(i+1, "", false)
		}
	}
	if prog != nil {
		prog.Finish()
	}
	if err := exp.Dir.WriteJSON(ModelFile, m); err != nil {
		return res, exp.Fail(err)
	}
	for _, f := range []struct {
		name string
		gs   []*graphgen.Graph
	}{{TrainFile, train}, {TestFile, test}} {
		if err := graphgen.SaveSet(exp.Dir.File(f.name), f.gs); err != nil {
			return res, exp.Fail(err)
		}
	}
	_ = exp.Log(run.Metric{"step": 1, "graphs": len(train)})
	res.Seconds = exp.Seconds()
	rep, err := exp.Finish(run.Summary{"model": cfg.Model, "set": cfg.Set, "n_train": len(train), "n_test": len(test),
		"headline": fmt.Sprintf("%s fitted to %d %s graphs", cfg.Model, len(train), cfg.Set)})
	if err != nil {
		return res, err
	}
	res.Report = rep
	return res, nil
}

// Load reads the model of a baseline run directory.
func Load(dir string) (*Model, error) {
	var m Model
	d := &run.Dir{Path: dir}
	if err := d.ReadJSON(ModelFile, &m); err != nil {
		return nil, err
	}
	if len(m.Params) == 0 {
		return nil, fmt.Errorf("%s: no parameters", filepath.Join(dir, ModelFile))
	}
	return &m, nil
}

// SampleRun draws n graphs from the model in run directory dir with seed.
func SampleRun(dir string, n int, seed uint64) ([]*graphgen.Graph, error) {
	if _, err := os.Stat(dir); err != nil {
		return nil, err
	}
	m, err := Load(dir)
	if err != nil {
		return nil, err
	}
	return m.Sample(n, rand.New(rand.NewPCG(seed, 0xba5e))), nil
}
