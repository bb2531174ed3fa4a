package graphrnn

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/graphgen"
	"github.com/ergml/erg/graphgen/baseline"
	"github.com/ergml/erg/graphgen/dataset"
	"github.com/ergml/erg/run"
	"github.com/ergml/erg/train"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// Files of a GraphRNN run directory besides the lifecycle's own (config.json,
// metrics.jsonl, checkpoint.ergckpt, energy.json, summary.json, report.html):
// the same names as a baseline run's.
const (
	ModelFile = baseline.ModelFile // model.json: the architecture (Info)
	TrainFile = baseline.TrainFile
	TestFile  = baseline.TestFile
)

// StepsPerEpoch is GraphRNN's batch_ratio: an epoch is 32 batches of graphs
// drawn with replacement.
const StepsPerEpoch = 32

// Recipe defaults. GraphRNN trains 3000 epochs (96000 steps); DefaultEpochs
// is that recipe scaled to two cores (see the package documentation).
const (
	DefaultEpochs = 100
	DefaultBatch  = 32
	DefaultLR     = 0.003
	DefaultLayers = 4
	// FinalLRFactor is where GraphRNN's MultiStepLR ends (×0.3 twice): the
	// cosine schedule used here anneals from LR to LR·FinalLRFactor.
	FinalLRFactor = 0.09
	// EstimateIters is GraphRNN's number of random orderings for estimating
	// max_prev_node (calc_max_prev_node).
	EstimateIters = 20000
)

// MaxPrevOf returns GraphRNN's max_prev_node for a set (create_graphs.py:
// grid 40, caveman_small 20 for community-small, citeseer_small 15 for
// ego-small), or 0 where GraphRNN estimates it.
func MaxPrevOf(set string) int {
	switch set {
	case "grid":
		return 40
	case "community-small":
		return 20
	case "ego-small":
		return 15
	}
	return 0
}

// Config is a GraphRNN training run. Field names are erg graph train's flags.
// Zero values are the documented defaults.
type Config struct {
	Set             string  `json:"set"`                        // data set (dataset.Names)
	Model           string  `json:"model"`                      // graphrnn-s or graphrnn
	Seed            uint64  `json:"seed"`                       // seed of the data, split, orderings and initialisation
	Data            string  `json:"data,omitempty"`             // directory with train.g6/test.g6 instead of making Set
	Epochs          int     `json:"epochs"`                     // GraphRNN epochs of StepsPerEpoch batches (default DefaultEpochs)
	Steps           int     `json:"steps,omitempty"`            // optimizer steps; overrides Epochs
	Batch           int     `json:"batch"`                      // graphs per step (default 32)
	LR              float64 `json:"lr"`                         // Adam learning rate (default 0.003)
	MaxPrev         int     `json:"max_prev_node"`              // M (0: MaxPrevOf(Set), else estimated from the training graphs)
	Hidden          int     `json:"hidden"`                     // graph-level GRU state (0: 128, 64 on *small sets)
	Layers          int     `json:"layers"`                     // GRU layers (default 4)
	CheckpointEvery int     `json:"checkpoint_every,omitempty"` // steps between checkpoints (0: every 10 epochs)
	Backend         string  `json:"backend,omitempty"`          // GoMLX backend of training ("": the default)
	Command         string  `json:"command,omitempty"`
}

func (c *Config) defaults() {
	if c.Epochs == 0 && c.Steps == 0 {
		c.Epochs = DefaultEpochs
	}
	if c.Batch == 0 {
		c.Batch = DefaultBatch
	}
	if c.LR == 0 {
		c.LR = DefaultLR
	}
	if c.Layers == 0 {
		c.Layers = DefaultLayers
	}
	if c.CheckpointEvery == 0 {
		c.CheckpointEvery = 10 * StepsPerEpoch
	}
}

// Validate fills in defaults and checks the configuration; errors are
// *run.FieldError naming the field.
func (c *Config) Validate() error {
	c.defaults()
	switch {
	case !slices.Contains(Kinds, c.Model):
		return run.Invalid("model", c.Model, "must be one of %v", Kinds)
	case c.Data == "" && !slices.Contains(dataset.Names, c.Set):
		return run.Invalid("set", c.Set, "must be one of %v", dataset.Names)
	case c.Epochs < 0:
		return run.Invalid("epochs", c.Epochs, "must be positive")
	case c.Steps < 0:
		return run.Invalid("steps", c.Steps, "must be positive")
	case c.Batch <= 0 || c.Batch > 1024:
		return run.Invalid("batch", c.Batch, "must be in 1..1024")
	case !(c.LR > 0) || math.IsInf(c.LR, 0):
		return run.Invalid("lr", c.LR, "must be a positive number")
	case c.MaxPrev < 0:
		return run.Invalid("max-prev-node", c.MaxPrev, "must be positive (0: the set's)")
	case c.Hidden < 0:
		return run.Invalid("hidden", c.Hidden, "must be positive (0: the set's)")
	case c.Layers < 0 || c.Layers > 16:
		return run.Invalid("layers", c.Layers, "must be in 1..16")
	case c.CheckpointEvery < 0:
		return run.Invalid("checkpoint-every", c.CheckpointEvery, "must be positive")
	}
	return nil
}

// TotalSteps is the number of optimizer steps of the run.
func (c *Config) TotalSteps() int {
	if c.Steps > 0 {
		return c.Steps
	}
	return c.Epochs * StepsPerEpoch
}

// Info is model.json: what sampling needs besides the checkpoint.
type Info struct {
	Arch       Arch            `json:"arch"`
	Params     int             `json:"params"`
	Truncation TruncationStats `json:"truncation"` // what max_prev_node loses on the training graphs
}

// Result is what Train returns.
type Result struct {
	Dir        string          `json:"dir"`
	Report     string          `json:"report"`
	Model      string          `json:"model"`
	Set        string          `json:"set"`
	Resumed    bool            `json:"resumed"`
	NTrain     int             `json:"n_train"`
	NTest      int             `json:"n_test"`
	Arch       Arch            `json:"arch"`
	Params     int             `json:"params"`
	Steps      int             `json:"steps"`
	Loss       float64         `json:"loss"`
	Seconds    float64         `json:"seconds"`
	StepMillis float64         `json:"step_ms"`
	Truncation TruncationStats `json:"truncation"`
}

// ArchFor returns the architecture cfg trains on the training graphs gs
// (max_prev_node estimated with a generator seeded from cfg.Seed when
// neither cfg nor the set gives it).
func ArchFor(cfg *Config, gs []*graphgen.Graph) Arch {
	maxN := 2
	for _, g := range gs {
		maxN = max(maxN, g.N())
	}
	m := cfg.MaxPrev
	if m == 0 {
		m = MaxPrevOf(cfg.Set)
	}
	if m == 0 || cfg.Data != "" && cfg.MaxPrev == 0 {
		m = EstimateMaxPrev(gs, EstimateIters, rand.New(rand.NewPCG(cfg.Seed, 0x6d617870)))
	}
	a := DefaultArch(cfg.Model, m, maxN, strings.Contains(cfg.Set, "small"))
	if cfg.Hidden > 0 {
		a.Hidden = cfg.Hidden
	}
	a.Layers = cfg.Layers
	return a
}

// Batches returns the training batches: step s draws cfg.Batch training
// graphs uniformly with replacement (GraphRNN's WeightedRandomSampler with
// equal weights) and orders each by BFSSequence, all from a generator seeded
// by (cfg.Seed, s), so that a resumed run sees the same batches.
func Batches(cfg *Config, gs []*graphgen.Graph, a Arch) train.Batches {
	return train.BatchFunc(func(step int) ([]*tensors.Tensor, error) {
		r := rand.New(rand.NewPCG(cfg.Seed, 0x62617463680000^uint64(step)))
		seqs := make([]*Sequence, cfg.Batch)
		for i := range seqs {
			seqs[i], _, _ = BFSSequence(gs[r.IntN(len(gs))], a.MaxPrev, r)
		}
		bt, err := MakeBatch(seqs, a)
		if err != nil {
			return nil, err
		}
		return bt.Tensors(), nil
	})
}

// Train trains GraphRNN-S or GraphRNN in a run directory with the shared
// trainer (progress, energy metering, checkpoints, resume): config.json,
// model.json, train.g6, test.g6, metrics.jsonl, checkpoint.ergckpt,
// energy.json, summary.json and report.html. Sample the run with SampleRun.
//
// With opt.Resume the run's config.json replaces cfg; override (if not nil)
// may then change what a resumption may change (Epochs, Steps).
func Train(ctx context.Context, cfg Config, opt run.Options, override func(*Config)) (*Result, error) {
	name := cfg.Set + "-" + cfg.Model
	var ov func()
	if override != nil {
		ov = func() { override(&cfg) }
	}
	exp, err := run.Start(opt, name, &cfg, ov)
	if err != nil {
		return nil, err
	}
	res, err := trainIn(ctx, exp, &cfg, opt)
	if err != nil {
		return res, exp.Fail(err)
	}
	return res, nil
}

func trainIn(ctx context.Context, exp *run.Experiment, cfg *Config, opt run.Options) (*Result, error) {
	res := &Result{Dir: exp.Dir.Path, Model: cfg.Model, Set: cfg.Set, Resumed: exp.Resumed}
	trainGs, testGs, err := baseline.LoadData(&baseline.Config{Set: cfg.Set, Seed: cfg.Seed, Data: cfg.Data})
	if err != nil {
		return res, err
	}
	var conn []*graphgen.Graph
	for _, g := range trainGs {
		if g.N() > 0 {
			conn = append(conn, g)
		}
	}
	if len(conn) == 0 {
		return res, fmt.Errorf("graphrnn: no non-empty training graphs")
	}
	res.NTrain, res.NTest = len(trainGs), len(testGs)
	a := ArchFor(cfg, conn)
	res.Arch = a
	res.Truncation = Truncation(conn, a.MaxPrev, 2000, rand.New(rand.NewPCG(cfg.Seed, 0x7472756e63)))
	for _, f := range []struct {
		name string
		gs   []*graphgen.Graph
	}{{TrainFile, trainGs}, {TestFile, testGs}} {
		if err := graphgen.SaveSet(exp.Dir.File(f.name), f.gs); err != nil {
			return res, err
		}
	}
	info := Info{Arch: a, Truncation: res.Truncation}
	if err := exp.Dir.WriteJSON(ModelFile, info); err != nil {
		return res, err
	}
	b, err := backend.New(cfg.Backend)
	if err != nil {
		return res, err
	}
	store := model.NewStore()
	if !exp.HasCheckpoint() {
		if err := Init(store, a, rand.New(rand.NewPCG(cfg.Seed, 0x696e6974))); err != nil {
			return res, err
		}
	}
	steps := cfg.TotalSteps()
	tcfg := train.Config{
		Steps: steps, StepsPerEpoch: StepsPerEpoch,
		Optimizer:       train.Optimizer{Name: "adam", LR: cfg.LR},
		Schedule:        train.Schedule{Kind: "cosine", MinLR: cfg.LR * FinalLRFactor},
		CheckpointEvery: cfg.CheckpointEvery, Seed: cfg.Seed, Quiet: opt.Quiet, ProgressEpochs: true,
	}
	loss := func(s *model.Scope, in []*Node) *Node { return Loss(s, in, a) }
	tr, err := train.New(b, store, loss, tcfg)
	if err != nil {
		return res, err
	}
	if !opt.Quiet {
		exp.Progress("epoch", 0, 0).Printf("%s: %s on %d %s graphs: M %d, max nodes %d, hidden %d, %d layers; %d steps (%d epochs of %d batches of %d); M truncates %.2g%% of edges",
			exp.Dir.Name, cfg.Model, len(conn), cfg.Set, a.MaxPrev, a.MaxNodes, a.Hidden, a.Layers, steps, (steps+StepsPerEpoch-1)/StepsPerEpoch, StepsPerEpoch, cfg.Batch, 100*res.Truncation.EdgesDropped)
	}
	tres, err := tr.Run(ctx, Batches(cfg, conn, a), exp)
	if err != nil {
		return res, err
	}
	info.Params = countParams(store)
	if err := exp.Dir.WriteJSON(ModelFile, info); err != nil {
		return res, err
	}
	res.Params, res.Steps, res.Loss, res.StepMillis = info.Params, tres.Steps, tres.Loss, tres.StepMillis
	res.Seconds = exp.Seconds()
	rep, err := exp.Finish(run.Summary{"model": cfg.Model, "set": cfg.Set, "n_train": len(trainGs), "n_test": len(testGs),
		"arch": a, "params": info.Params, "steps": tres.Steps, "epochs": tres.Epochs, "loss": tres.Loss, "step_ms": tres.StepMillis,
		"seconds": res.Seconds, "truncation": res.Truncation, "seed": cfg.Seed,
		"headline": fmt.Sprintf("%s on %d %s graphs: %d steps, loss %.4g", cfg.Model, len(conn), cfg.Set, tres.Steps, tres.Loss)})
	if err != nil {
		return res, err
	}
	res.Report = rep
	return res, nil
}

func countParams(store *model.Store) int {
	n := 0
	for v := range store.IterVariables() {
		if v.Trainable && v.DType().IsFloat() && !strings.HasPrefix(v.Path(), "/optimizer") {
			n += v.Shape().Size()
		}
	}
	return n
}

// IsRun reports whether dir is a GraphRNN run directory (its config.json
// names a GraphRNN model).
func IsRun(dir string) bool {
	var c struct {
		Model string `json:"model"`
	}
	d := &run.Dir{Path: dir}
	return d.ReadJSON(run.ConfigFile, &c) == nil && slices.Contains(Kinds, c.Model)
}

// Load reads the model of a GraphRNN run directory: model.json and the last
// checkpoint (an unfinished run samples from its last checkpoint).
func Load(dir string) (*Model, error) {
	if _, err := os.Stat(dir); err != nil {
		return nil, err
	}
	d := &run.Dir{Path: dir}
	var info Info
	if err := d.ReadJSON(ModelFile, &info); err != nil {
		return nil, fmt.Errorf("graphrnn: %s: %w", dir, err)
	}
	if err := info.Arch.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", d.File(ModelFile), err)
	}
	store := model.NewStore()
	if _, _, err := train.LoadCheckpoint(d.File(run.CheckpointFile), store); err != nil {
		return nil, fmt.Errorf("graphrnn: %s: %w", dir, err)
	}
	b, err := backend.New("")
	if err != nil {
		return nil, err
	}
	return NewModel(b, store, info.Arch)
}

// SampleRun draws n graphs from the model in run directory dir with seed.
func SampleRun(dir string, n int, seed uint64) ([]*graphgen.Graph, error) {
	return SampleRunWith(dir, n, seed, 1)
}

// SampleRunWith is SampleRun with GraphRNN's sample_time (Model.SampleTime).
func SampleRunWith(dir string, n int, seed uint64, sampleTime int) ([]*graphgen.Graph, error) {
	m, err := Load(dir)
	if err != nil {
		return nil, err
	}
	m.SampleTime = sampleTime
	return m.Sample(n, rand.New(rand.NewPCG(seed, 0x67726e6e)))
}
