package ebm

import (
	"fmt"
	"math/rand/v2"
	"sync"

	"github.com/ergml/erg/ebm/sample"
	"github.com/ergml/erg/run"
	"github.com/ergml/erg/train"
	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// Model is an MLP energy with its parameters: the configuration of a run and the
// store holding the network's variables under "/energy".
type Model struct {
	Config  Config
	Store   *model.Store
	backend compute.Backend

	mu   sync.Mutex
	exec *model.Exec
}

// chunk is the number of points per energy evaluation call (one compiled graph).
const chunk = 4096

// NewModel returns a model with a fresh store for cfg (variables are created on first
// use). cfg must have been completed with WithDefaults.
func NewModel(b compute.Backend, cfg Config) *Model {
	return &Model{Config: cfg, Store: model.NewStore(), backend: b}
}

// Load rebuilds the model of a run directory from its config.json and checkpoint.
func Load(b compute.Backend, rd *run.Dir) (*Model, error) {
	var cfg Config
	if err := rd.ReadJSON(run.ConfigFile, &cfg); err != nil {
		return nil, fmt.Errorf("ebm: %w", err)
	}
	if cfg.Dim == 0 || len(cfg.Box) != 2*cfg.Dim {
		return nil, fmt.Errorf("ebm: %s: config.json has no data dimension or box; is it an ebm run?", rd.Path)
	}
	m := NewModel(b, cfg.WithDefaults())
	if _, _, err := train.LoadCheckpoint(rd.File(train.CheckpointFile), m.Store); err != nil {
		return nil, fmt.Errorf("ebm: %w", err)
	}
	return m, nil
}

// Energy returns the model's energy, to be used with the store's root scope (its
// variables live in the sub-scope "energy").
func (m *Model) Energy() Energy {
	e := MLP(m.Config.Energy)
	return func(s *model.Scope, x *Node) *Node { return e(s.At("energy"), x) }
}

// Energies evaluates U at the points x (row-major, Config.Dim values each).
func (m *Model) Energies(x []float64) (out []float64, err error) {
	d := m.Config.Dim
	if len(x)%d != 0 {
		return nil, fmt.Errorf("ebm: %d values are not points of dimension %d", len(x), d)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("ebm: energy: %v", r)
		}
	}()
	if m.exec == nil {
		e := m.Energy()
		m.exec, err = model.NewExec(m.backend, m.Store, func(s *model.Scope, in []*Node) *Node {
			return sample.Energies(s, e, in[0])
		})
		if err != nil {
			return nil, fmt.Errorf("ebm: %w", err)
		}
	}
	n := len(x) / d
	out = make([]float64, 0, n)
	buf := make([]float32, chunk*d)
	for i := 0; i < n; i += chunk {
		k := min(chunk, n-i)
		clear(buf)
		for j := range k * d {
			buf[j] = float32(x[i*d+j])
		}
		res, err := m.exec.Exec(tensors.FromFlatDataAndDimensions(buf, chunk, d))
		if err != nil {
			return nil, fmt.Errorf("ebm: energy: %w", err)
		}
		u := tensors.MustCopyFlatData[float32](res[0])
		res[0].FinalizeAll()
		for _, v := range u[:k] {
			out = append(out, float64(v))
		}
	}
	return out, nil
}

// Sample draws n points from the model with the sampler cfg (MALA by default), the
// chains started uniformly on the configuration's box. Unless cfg says otherwise, the
// adapted step size is capped at (half the box's largest width)², so that chains on a
// nearly flat (untrained) energy do not leave the region of the data.
func (m *Model) Sample(n int, cfg sample.Config) (*sample.Result, error) {
	d := m.Config.Dim
	if cfg.MaxStepSize == 0 {
		w := 0.0
		for j := range d {
			w = max(w, m.Config.Box[2*j+1]-m.Config.Box[2*j])
		}
		cfg.MaxStepSize = w * w / 4
	}
	r := rand.New(rand.NewPCG(cfg.Seed, 0xb0c5))
	x0 := make([]float64, n*d)
	for i := range n {
		for j := range d {
			lo, hi := m.Config.Box[2*j], m.Config.Box[2*j+1]
			x0[i*d+j] = lo + (hi-lo)*r.Float64()
		}
	}
	return sample.Run(m.backend, m.Store, m.Energy(), x0, d, cfg)
}

// lossFunc returns the training loss of the configuration for the energy e (used with
// the store's root scope).
func (c Config) lossFunc(e Energy) train.LossFunc {
	switch c.Loss {
	case "ed":
		return func(s *model.Scope, in []*Node) *Node { return EDLoss(s, e, in[0], c.ED) }
	case "cd", "pcd":
		cd := c.CD
		cd.Box = c.Box
		return func(s *model.Scope, in []*Node) *Node { return CDLoss(s, e, in[0], cd) }
	case "dsm":
		return func(s *model.Scope, in []*Node) *Node { return DSMLoss(s, e, in[0], c.DSM) }
	case "ssm":
		return func(s *model.Scope, in []*Node) *Node { return SSMLoss(s, e, in[0], c.SSM) }
	case "sm":
		return func(s *model.Scope, in []*Node) *Node { return SMLoss(s, e, in[0]) }
	case "mle":
		g := c.Grid(c.MLEGrid)
		return func(s *model.Scope, in []*Node) *Node { return MLELoss(s, e, in[0], g) }
	}
	panic(fmt.Sprintf("ebm: unknown loss %q", c.Loss))
}
