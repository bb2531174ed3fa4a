package jetebm

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/ergml/erg/hep/jetset"
	"github.com/ergml/erg/run"
	"github.com/ergml/erg/train"
)

// Config is a training run's configuration (config.json). Field names are the flags.
type Config struct {
	Command string `json:"command,omitempty"`
	Data    string `json:"data"`               // QCD training jets (.npy of package jetset)
	MaxJets int    `json:"max_jets,omitempty"` // use at most this many jets (0: all)
	Net     Net    `json:"net"`
	CD      CD     `json:"cd"`

	Steps int     `json:"steps"` // optimizer steps (0: 2000)
	Batch int     `json:"batch"` // batch size (0: 128)
	LR    float64 `json:"lr"`    // Adam learning rate (0: 1e-4; β1 = 0, β2 = 0.999)
	Clip  float64 `json:"clip"`  // gradient norm clip (0: 0.1)
	Seed  uint64  `json:"seed"`

	CheckpointEvery int `json:"checkpoint_every"` // steps between checkpoints (0: 200)
}

// WithDefaults returns c with zero values replaced by defaults.
func (c Config) WithDefaults() Config {
	c.Net = c.Net.withDefaults()
	c.CD = c.CD.withDefaults()
	if c.Steps == 0 {
		c.Steps = 2000
	}
	if c.Batch == 0 {
		c.Batch = 128
	}
	if c.LR == 0 {
		c.LR = 1e-4
	}
	if c.Clip == 0 {
		c.Clip = 0.1
	}
	if c.CheckpointEvery == 0 {
		c.CheckpointEvery = 200
	}
	return c
}

// Validate implements run.Config.
func (c Config) Validate() error {
	if c.Data == "" {
		return run.Invalid("data", c.Data, "is required")
	}
	if err := c.Net.validate(); err != nil {
		return run.Invalid("energy", c.Net.Kind, "%v", err)
	}
	if err := c.CD.validate(); err != nil {
		return err
	}
	switch {
	case c.Steps < 1:
		return run.Invalid("steps", c.Steps, "must be positive")
	case c.Batch < 1:
		return run.Invalid("batch", c.Batch, "must be positive")
	case !(c.LR > 0):
		return run.Invalid("lr", c.LR, "must be positive")
	case !(c.Clip > 0):
		return run.Invalid("clip", c.Clip, "must be positive")
	case c.MaxJets < 0:
		return run.Invalid("max-jets", c.MaxJets, "must be non-negative")
	}
	return nil
}

// beta1Zero stands for Adam's β1 = 0 (train.Optimizer reads 0 as its default 0.9).
const beta1Zero = 1e-12

func (c Config) trainConfig() train.Config {
	return train.Config{
		Steps: c.Steps, Optimizer: train.Optimizer{Name: "adam", LR: c.LR, Beta1: beta1Zero, Beta2: 0.999},
		ClipNorm: c.Clip, CheckpointEvery: c.CheckpointEvery, Seed: c.Seed,
		LogEvery: max(1, c.Steps/100),
	}
}

// Model is a trained (or fresh) energy with its store.
type Model struct {
	Config  Config
	Store   *model.Store
	backend compute.Backend

	mu    sync.Mutex
	eexec *model.Exec
	lexec map[int]*model.Exec
}

// NewModel returns a model with a fresh store.
//
// The store's RNG is seeded from cfg.Seed, so an untrained model's parameters are
// reproducible too (training reseeds it with the same seed).
func NewModel(b compute.Backend, cfg Config) *Model {
	st := model.NewStore()
	if err := st.SetRNGStateFromSeed(int64(cfg.Seed)); err != nil {
		panic(fmt.Sprintf("jetebm: seeding the store: %v", err)) // only fails on a closed store
	}
	return &Model{Config: cfg, Store: st, backend: b, lexec: map[int]*model.Exec{}}
}

// Load rebuilds the model of a run directory.
func Load(b compute.Backend, rd *run.Dir) (*Model, error) {
	var cfg Config
	if err := rd.ReadJSON(run.ConfigFile, &cfg); err != nil {
		return nil, fmt.Errorf("jetebm: %w", err)
	}
	m := NewModel(b, cfg.WithDefaults())
	if _, _, err := train.LoadCheckpoint(rd.File(train.CheckpointFile), m.Store); err != nil {
		return nil, fmt.Errorf("jetebm: %w", err)
	}
	return m, nil
}

// Energy returns the model's energy function, to be used with the store's root scope.
func (m *Model) Energy() EnergyFunc {
	net := m.Config.Net
	return func(s *model.Scope, x *Node) *Node { return net.Energy(s.At("energy"), x) }
}

// chunk is the number of jets per evaluation call.
const chunk = 1000

// Energies returns E of each jet of flat ([n·D] float32).
func (m *Model) Energies(flat []float32) ([]float64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.eexec == nil {
		e := m.Energy()
		var err error
		m.eexec, err = model.NewExec(m.backend, m.Store, func(s *model.Scope, in []*Node) *Node { return e(s, in[0]) })
		if err != nil {
			return nil, err
		}
	}
	n := len(flat) / D
	out := make([]float64, 0, n)
	buf := make([]float32, chunk*D)
	for i := 0; i < n; i += chunk {
		k := min(chunk, n-i)
		clear(buf)
		copy(buf, flat[i*D:(i+k)*D])
		res, err := m.eexec.Exec(tensors.FromFlatDataAndDimensions(buf, chunk, D))
		if err != nil {
			return nil, err
		}
		u := tensors.MustCopyFlatData[float32](res[0])
		res[0].FinalizeAll()
		for _, v := range u[:k] {
			out = append(out, float64(v))
		}
	}
	return out, nil
}

// Sample draws n jets by k Langevin steps (ε, σ of the training configuration) from
// the Gaussian init, seeded by seed. It returns flat [n·D] float32.
func (m *Model) Sample(n, k int, seed uint64) ([]float32, error) {
	r := rand.New(rand.NewPCG(seed, 0x5a3b1e))
	x := make([]float32, n*D)
	for j := range n * D / 3 {
		for f := range 3 {
			x[3*j+f] = float32(InitMean[f] + InitStd[f]*r.NormFloat64())
		}
	}
	return m.langevinFrom(x, k)
}

// langevinFrom runs k Langevin steps from the jets x (flat), in chunks.
func (m *Model) langevinFrom(x []float32, k int) ([]float32, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	ex := m.lexec[k]
	if ex == nil {
		e := m.Energy()
		cd := m.Config.CD
		var err error
		ex, err = model.NewExec(m.backend, m.Store, func(s *model.Scope, in []*Node) *Node {
			return Langevin(s, e, in[0], k, cd.StepSize, cd.Noise)
		})
		if err != nil {
			return nil, err
		}
		m.lexec[k] = ex
	}
	n := len(x) / D
	out := make([]float32, 0, n*D)
	const sc = 500
	buf := make([]float32, sc*D)
	for i := 0; i < n; i += sc {
		c := min(sc, n-i)
		clear(buf)
		copy(buf, x[i*D:(i+c)*D])
		res, err := ex.Exec(tensors.FromFlatDataAndDimensions(buf, sc, D))
		if err != nil {
			return nil, err
		}
		y := tensors.MustCopyFlatData[float32](res[0])
		res[0].FinalizeAll()
		out = append(out, y[:c*D]...)
	}
	return out, nil
}

// BufferSamples returns the first n chains of the replay buffer (the persistent
// chains of training), flat [n·D], after extra more Langevin steps; n is at most the
// buffer size.
func (m *Model) BufferSamples(n, extra int) ([]float32, error) {
	var buf *model.Variable
	for v := range m.Store.IterVariables() {
		if v.Name() == "buffer" {
			buf = v
		}
	}
	if buf == nil || !buf.HasValue() {
		return nil, fmt.Errorf("jetebm: the run has no replay buffer")
	}
	t, err := buf.Value()
	if err != nil {
		return nil, err
	}
	flat := tensors.MustCopyFlatData[float32](t)
	if n*D > len(flat) {
		return nil, fmt.Errorf("jetebm: %d samples asked, the replay buffer holds %d", n, len(flat)/D)
	}
	flat = flat[:n*D]
	if extra == 0 {
		return flat, nil
	}
	return m.langevinFrom(flat, extra)
}

// Options are the run options of Train.
type Options struct {
	run.Options
	Steps int // with Resume: raise the number of steps
}

// Outcome is what Train returns.
type Outcome struct {
	Dir   *run.Dir
	Model *Model
	Train *train.Result
}

// Train trains an energy on QCD jets in a run directory (or continues opt.Resume).
func Train(ctx context.Context, b compute.Backend, cfg Config, opt Options) (*Outcome, error) {
	var set *jetset.Set
	if opt.Resume == "" {
		cfg = cfg.WithDefaults()
		if err := cfg.Validate(); err != nil {
			return nil, err
		}
		var err error
		if set, err = jetset.Read(cfg.Data); err != nil {
			return nil, err
		}
		if set.Len() < cfg.Batch {
			return nil, run.Invalid("data", cfg.Data, "%d jets, fewer than one batch of %d", set.Len(), cfg.Batch)
		}
		if opt.Name == "" {
			opt.Name = "hep-" + cfg.Net.Kind
		}
	} else {
		cfg = Config{}
	}
	exp, err := run.Start(opt.Options, "hep", &cfg, func() {
		cfg = cfg.WithDefaults()
		if opt.Steps > 0 {
			cfg.Steps = opt.Steps
		}
	})
	if err != nil {
		return nil, err
	}
	if set == nil {
		if set, err = jetset.Read(cfg.Data); err != nil {
			return nil, exp.Fail(err)
		}
	}
	flat := set.Flat()
	n := set.Len()
	if cfg.MaxJets > 0 && cfg.MaxJets < n {
		n = cfg.MaxJets
		flat = flat[:n*D]
	}
	m := NewModel(b, cfg)
	e := m.Energy()
	loss := func(s *model.Scope, in []*Node) *Node {
		l, _, _ := CDLoss(s, e, in[0], cfg.CD)
		return l
	}
	tr, err := train.New(b, m.Store, loss, cfg.trainConfig())
	if err != nil {
		return nil, exp.Fail(err)
	}
	sh, err := train.NewShuffled(cfg.Batch, cfg.Seed, train.Array{Data: flat, Dims: []int{n, D}})
	if err != nil {
		return nil, exp.Fail(err)
	}
	res, err := tr.Run(ctx, sh, exp)
	if err != nil {
		return &Outcome{Dir: exp.Dir, Model: m}, exp.Fail(err)
	}
	// Mean energy of training jets and of fresh Gaussian-init jets (sanity figures).
	ed, err := m.Energies(flat[:min(n, 2000)*D])
	if err != nil {
		return nil, exp.Fail(err)
	}
	sum := run.Summary{
		"steps": res.Steps, "loss": res.Loss, "seconds": res.Seconds, "joules": res.Joules,
		"energy_status": res.EnergyStatus, "step_ms": res.StepMillis, "data": cfg.Data, "energy": cfg.Net.Kind,
		"jets": n, "mean_energy_data": mean(ed),
		"headline": fmt.Sprintf("hep %s on %d QCD jets: %d CD steps (K=%d), %.0f s", cfg.Net.Kind, n, res.Steps, cfg.CD.K, res.Seconds),
	}
	if _, err := exp.Finish(sum); err != nil {
		return nil, err
	}
	return &Outcome{Dir: exp.Dir, Model: m, Train: res}, nil
}

func mean(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	if len(x) == 0 {
		return math.NaN()
	}
	return s / float64(len(x))
}
