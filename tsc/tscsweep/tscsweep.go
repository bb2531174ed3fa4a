// Package tscsweep is the "tsc" capability of package sweep: one (dataset, model,
// run) cell of a time-series classification benchmark, run exactly as tsc.RunBench
// runs each of its cells (tsc.RunBenchCell), so that erg tsc bench --sweep fills the
// same results CSV from cells run on any number of machines.
//
// Importing the package registers the capability. Models are those registered with
// package tsc in the process (erg registers MiniRocket and the deep models).
package tscsweep

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/ergml/erg/meter"
	"github.com/ergml/erg/run"
	"github.com/ergml/erg/sweep"
	"github.com/ergml/erg/tsc"
	"github.com/ergml/erg/ucr"
)

// Capability is the name the runner is registered under.
const Capability = "tsc"

func init() { sweep.Register(Capability, Runner{}) }

// Config is the configuration of a "tsc" cell; the cell's seed is the model's seed.
type Config struct {
	// Data is the dataset directory (NAME holding NAME_TRAIN and NAME_TEST). A
	// worker that does not have it at that path looks for NAME under $ERG_DATA/ucr.
	Data    string     `json:"data"`
	Model   string     `json:"model"`
	Run     int        `json:"run"`
	Params  tsc.Params `json:"params,omitempty"`
	Epochs  int        `json:"epochs,omitempty"`  // deep models: override the epochs (0: default)
	Backend string     `json:"backend,omitempty"` // GoMLX backend ("": default)
}

// Runner runs "tsc" cells; its output is the cell's tsc.Result as JSON.
type Runner struct{}

var (
	_ sweep.Runner  = Runner{}
	_ sweep.Checker = Runner{}
)

func decode(raw json.RawMessage) (Config, error) {
	var c Config
	if len(raw) == 0 {
		return c, &run.FieldError{Field: "data", Reason: "missing: a tsc cell needs data and model"}
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return c, fmt.Errorf("tsc cell: %w", err)
	}
	return c, nil
}

// Check checks a cell's configuration: data and a known model with valid parameters.
func (Runner) Check(raw json.RawMessage) error {
	c, err := decode(raw)
	if err != nil {
		return err
	}
	if c.Data == "" {
		return &run.FieldError{Field: "data", Reason: "missing: the dataset directory"}
	}
	if c.Model == "" {
		return &run.FieldError{Field: "model", Reason: "missing; registered: " + strings.Join(tsc.Models(), ", ")}
	}
	if _, err := tsc.New(c.Model, c.Params); err != nil {
		return &run.FieldError{Field: "model", Value: c.Model, Reason: err.Error()}
	}
	if c.Run < 0 {
		return run.Invalid("run", c.Run, "must not be negative")
	}
	if c.Epochs < 0 {
		return run.Invalid("epochs", c.Epochs, "must not be negative")
	}
	return nil
}

var (
	shared     *meter.Shared
	sharedOnce sync.Once
	cache      = &dataCache{}
)

// Run trains and tests the cell's model (tsc.RunBenchCell). Energy is a share of the
// process's CPU time, as tsc.RunBench estimates it.
func (Runner) Run(ctx context.Context, cell sweep.Cell) (json.RawMessage, error) {
	c, err := decode(cell.Config)
	if err != nil {
		return nil, err
	}
	dir := c.Data
	if _, err := os.Stat(dir); err != nil {
		alt, rerr := tsc.ResolveData(filepath.Base(filepath.Clean(dir)))
		if rerr != nil {
			return nil, fmt.Errorf("tsc cell: dataset %s: not on this machine (%v), nor under $ERG_DATA/ucr", dir, err)
		}
		dir = alt
	}
	train, test, err := cache.get(dir)
	if err != nil {
		return nil, err
	}
	sharedOnce.Do(func() { shared = meter.NewShared(meter.Config{}) })
	cfg := tsc.BenchConfig{Params: map[string]tsc.Params{c.Model: c.Params}, Epochs: c.Epochs, Backend: c.Backend}
	threads := max(cell.Threads, 1)
	res, err := tsc.RunBenchCell(ctx, cfg, train, test, filepath.Base(filepath.Clean(c.Data)), c.Model, c.Run, cell.Seed, threads, shared.New())
	if err != nil {
		return nil, err
	}
	return json.Marshal(res)
}

// dataCache keeps the last few datasets a worker loaded: cells of one dataset tend to
// come together (run-major order puts a dataset's models side by side).
type dataCache struct {
	mu    sync.Mutex
	order []string
	m     map[string]*entry
}

type entry struct {
	once        sync.Once
	train, test *ucr.Dataset
	err         error
}

const cacheSize = 4

func (c *dataCache) get(dir string) (*ucr.Dataset, *ucr.Dataset, error) {
	c.mu.Lock()
	if c.m == nil {
		c.m = map[string]*entry{}
	}
	e, ok := c.m[dir]
	if !ok {
		e = &entry{}
		c.m[dir] = e
		c.order = append(c.order, dir)
		if len(c.order) > cacheSize {
			delete(c.m, c.order[0])
			c.order = c.order[1:]
		}
	}
	c.mu.Unlock()
	e.once.Do(func() { e.train, e.test, e.err = ucr.Load(dir) })
	return e.train, e.test, e.err
}

// CellID is the id of the (dataset, model, run) cell: dataset.model.run, with
// characters a cell id cannot hold replaced by '_'.
func CellID(dataset, model string, run int) string {
	clean := func(s string) string {
		b := []byte(s)
		for i, c := range b {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '=') {
				b[i] = '_'
			}
		}
		return string(b)
	}
	return clean(dataset) + "." + clean(model) + "." + strconv.Itoa(run)
}

// Grid returns the sweep grid of a benchmark: the (dataset, model, run) cells of cfg
// in RunBench's run-major order, seeds cfg.Seed+run, without the cells done reports
// done (the results CSV already has them).
func Grid(id string, cfg tsc.BenchConfig, done func(dataset, model string, run int) bool) (*sweep.Grid, error) {
	runs := cfg.Runs
	if runs <= 0 {
		runs = 5
	}
	g := &sweep.Grid{ID: id}
	for r := range runs {
		for _, dir := range cfg.Datasets {
			name := filepath.Base(filepath.Clean(dir))
			abs, err := filepath.Abs(dir)
			if err != nil {
				return nil, err
			}
			for _, m := range cfg.Models {
				if done != nil && done(name, m, r) {
					continue
				}
				b, err := json.Marshal(Config{Data: abs, Model: m, Run: r, Params: cfg.Params[m], Epochs: cfg.Epochs, Backend: cfg.Backend})
				if err != nil {
					return nil, err
				}
				g.Cells = append(g.Cells, sweep.Cell{ID: CellID(name, m, r), Capability: Capability, Seed: cfg.Seed + uint64(r), Config: b})
			}
		}
	}
	return g, nil
}

// Results decodes the outputs of finished "tsc" cells; failed cells are returned as
// one error (all joined), like tsc.RunBench's.
func Results(rs []sweep.Result) ([]tsc.Result, error) {
	var out []tsc.Result
	var errs []error
	for _, r := range rs {
		if r.Status != sweep.StatusDone {
			errs = append(errs, fmt.Errorf("%s: %s", r.Cell, r.Error))
			continue
		}
		var t tsc.Result
		if err := json.Unmarshal(r.Output, &t); err != nil {
			errs = append(errs, fmt.Errorf("%s: bad output: %w", r.Cell, err))
			continue
		}
		out = append(out, t)
	}
	return out, errors.Join(errs...)
}
