package tsc

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"sort"
	"strconv"
	"sync"

	"github.com/ergml/erg/confusion"

	"github.com/ergml/erg/run"
	"github.com/ergml/erg/ucr"
)

// Classifier is a time-series classifier. Fit may be called once; Predict after it.
// Implementations must be deterministic given FitOptions.Seed (up to floating-point
// reduction order when Threads > 1).
type Classifier interface {
	// Fit trains on train, whose X may be multivariate and of unequal length; a
	// classifier that cannot handle what it is given returns an error saying so.
	Fit(ctx context.Context, train *ucr.Dataset, opt FitOptions) error
	// Predict returns one class label (one of train.Classes) per case of X
	// ([case][dim][time]).
	Predict(ctx context.Context, X [][][]float64) ([]string, error)
}

// Persister is implemented by classifiers that can save a fitted model and load it
// back into a fresh instance from the same factory (used by erg tsc train --save and
// erg tsc predict).
type Persister interface {
	Save(w io.Writer) error
	Load(r io.Reader) error
}

// FitOptions are the settings every model receives. The zero value is valid: seed 0,
// all cores, the default backend, no epoch override, no log.
type FitOptions struct {
	// Seed makes the run reproducible; the benchmark runner gives each run its own.
	Seed uint64
	// Threads caps the goroutines (or backend threads) a model uses; 0 means
	// runtime.GOMAXPROCS(0).
	Threads int
	// Backend names the GoMLX backend for deep models ("" = default).
	Backend string
	// Epochs overrides a deep model's epoch count when > 0 (for quick runs).
	Epochs int
	// Validation, when set, is data a model may monitor (never used for fitting
	// parameters by the classical models).
	Validation *ucr.Dataset
	// Log receives human-readable progress lines when not nil (and no Experiment is
	// set).
	Log io.Writer
	// Experiment, when set, is the run the model is fitted in (Train sets it). A model
	// trained by steps (the deep models, see StepTrainer) trains inside it: its
	// checkpoints, metric lines, progress and energy go to the experiment, and when the
	// experiment was resumed, training continues from its checkpoint. Other models
	// ignore it. The benchmark runner leaves it nil.
	Experiment *run.Experiment
	// CheckpointEvery is the number of epochs between a stepped model's checkpoints
	// (0: the model's default).
	CheckpointEvery int
}

// StepTrainer is implemented by classifiers trained by optimizer steps over epochs
// (the deep models). Such a classifier trains inside FitOptions.Experiment when one is
// given; after Fit, TrainStats reports its training.
type StepTrainer interface {
	Classifier
	TrainStats() TrainStats
}

// TrainStats summarises the training of a StepTrainer.
type TrainStats struct {
	Steps   int     `json:"steps"`
	Epochs  int     `json:"epochs"`
	Loss    float64 `json:"loss"`    // training loss of the kept (best) epoch
	Seconds float64 `json:"seconds"` // training wall time over all sessions of the run
	Stopped string  `json:"stopped,omitempty"`
}

// NumThreads returns Threads or, when it is 0, GOMAXPROCS.
func (o FitOptions) NumThreads() int {
	if o.Threads > 0 {
		return o.Threads
	}
	return runtime.GOMAXPROCS(0)
}

// Params are model hyperparameters given by name (for example from
// "erg tsc train --set num_features=20000"). Factories document the keys they accept
// and must reject unknown ones.
type Params map[string]string

// Int returns the integer value of key, or def when absent.
func (p Params) Int(key string, def int) (int, error) {
	v, ok := p[key]
	if !ok {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("parameter %s=%q: not an integer", key, v)
	}
	return n, nil
}

// Float returns the float value of key, or def when absent.
func (p Params) Float(key string, def float64) (float64, error) {
	v, ok := p[key]
	if !ok {
		return def, nil
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return 0, fmt.Errorf("parameter %s=%q: not a number", key, v)
	}
	return x, nil
}

// Check returns an error naming the first key of p that is not in known.
func (p Params) Check(model string, known ...string) error {
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		found := false
		for _, q := range known {
			if k == q {
				found = true
			}
		}
		if !found {
			return fmt.Errorf("tsc: model %s has no parameter %q (known: %v)", model, k, known)
		}
	}
	return nil
}

// Factory makes a new, unfitted classifier.
type Factory func(p Params) (Classifier, error)

var (
	regMu    sync.RWMutex
	registry = map[string]Factory{}
)

// Register makes a model available by name to New, the benchmark runner and the
// CLI. Packages call it from init; it panics if name is empty or already taken.
func Register(name string, f Factory) {
	regMu.Lock()
	defer regMu.Unlock()
	if name == "" || f == nil {
		panic("tsc: Register: empty name or nil factory")
	}
	if _, dup := registry[name]; dup {
		panic("tsc: Register: model " + name + " registered twice")
	}
	registry[name] = f
}

// New returns a new classifier of the named model.
func New(name string, p Params) (Classifier, error) {
	regMu.RLock()
	f, ok := registry[name]
	regMu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("tsc: unknown model %q (registered: %v)", name, Models())
	}
	return f(p)
}

// Models returns the registered model names, sorted.
func Models() []string {
	regMu.RLock()
	defer regMu.RUnlock()
	out := make([]string, 0, len(registry))
	for k := range registry {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Accuracy returns the fraction of pred equal to truth. It panics if the lengths
// differ.
func Accuracy(pred, truth []string) float64 {
	if len(pred) != len(truth) {
		panic("tsc: Accuracy: length mismatch")
	}
	if len(pred) == 0 {
		return 0
	}
	n := 0
	for i := range pred {
		if pred[i] == truth[i] {
			n++
		}
	}
	return float64(n) / float64(len(pred))
}

// Confusion is a confusion matrix (package confusion).
type Confusion = confusion.Matrix

// NewConfusion tabulates pred against truth over classes (confusion.New).
func NewConfusion(classes, pred, truth []string) *Confusion {
	return confusion.New(classes, pred, truth)
}
