package sample

import (
	"fmt"
	"math"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// Method names a sampler.
type Method string

// The samplers.
const (
	ULA  Method = "ula"  // unadjusted Langevin
	MALA Method = "mala" // Metropolis-adjusted Langevin
	HMC  Method = "hmc"  // Hamiltonian Monte Carlo (leapfrog)
)

// Config configures Run. The zero value is MALA with 500 recorded steps after 500
// burn-in steps that adapt an initial step size of 0.01 towards an acceptance of
// 0.574, 10 steps per graph call, in float32.
type Config struct {
	Method       Method       // "" means MALA
	Steps        int          // steps after burn-in (0: 500)
	Burn         int          // burn-in steps, during which the step size adapts (0: 500; negative: none)
	StepSize     float64      // initial step size ε (0: 0.01; negative is an error)
	TargetAccept float64      // adaptation target (0: 0.574 for MALA, 0.65 for HMC)
	NoAdapt      bool         // keep StepSize fixed during burn-in
	MaxStepSize  float64      // adaptation never raises ε above this (0: no limit)
	Leapfrog     int          // HMC leapfrog steps per step (0: 10)
	Unroll       int          // steps unrolled in one graph call (0: 10)
	Seed         uint64       // seeds the chains' noise
	DType        dtypes.DType // float dtype of the chains (0: Float32)
}

func (c Config) withDefaults() (Config, error) {
	if c.Method == "" {
		c.Method = MALA
	}
	switch c.Method {
	case ULA, MALA, HMC:
	default:
		return c, fmt.Errorf("sample: unknown method %q (have ula, mala, hmc)", c.Method)
	}
	if c.Steps < 0 {
		return c, fmt.Errorf("sample: steps %d must be non-negative", c.Steps)
	}
	if c.Steps == 0 {
		c.Steps = 500
	}
	if c.Burn == 0 {
		c.Burn = 500
	}
	if c.Burn < 0 {
		c.Burn = 0
	}
	if c.StepSize < 0 || math.IsNaN(c.StepSize) || math.IsInf(c.StepSize, 0) {
		return c, fmt.Errorf("sample: step size %g must be positive", c.StepSize)
	}
	if c.StepSize == 0 {
		c.StepSize = 0.01
	}
	if c.MaxStepSize < 0 {
		return c, fmt.Errorf("sample: maximum step size %g must be positive", c.MaxStepSize)
	}
	if c.TargetAccept < 0 || c.TargetAccept >= 1 {
		return c, fmt.Errorf("sample: target acceptance %g must be in (0, 1)", c.TargetAccept)
	}
	if c.TargetAccept == 0 {
		c.TargetAccept = 0.574
		if c.Method == HMC {
			c.TargetAccept = 0.65
		}
	}
	if c.Leapfrog < 0 {
		return c, fmt.Errorf("sample: leapfrog steps %d must be positive", c.Leapfrog)
	}
	if c.Leapfrog == 0 {
		c.Leapfrog = 10
	}
	if c.Unroll < 0 {
		return c, fmt.Errorf("sample: unroll %d must be positive", c.Unroll)
	}
	if c.Unroll == 0 {
		c.Unroll = 10
	}
	if c.DType == dtypes.InvalidDType {
		c.DType = dtypes.Float32
	}
	if !c.DType.IsFloat() {
		return c, fmt.Errorf("sample: dtype %s is not a float type", c.DType)
	}
	return c, nil
}

// Result holds the final states of the chains.
type Result struct {
	X        []float64 // final state of each chain, row-major [N, D]
	N, D     int
	Accept   float64 // mean acceptance over the recorded steps (1 for ULA)
	StepSize float64 // step size of the recorded steps
	Steps    int     // recorded steps
}

// Sampler runs chains of one method on one energy. It compiles one graph per number of
// unrolled steps and reuses it.
type Sampler struct {
	cfg   Config
	exec  *model.Exec
	store *model.Store
}

// New prepares a sampler for energy e whose variables (if any) live in store.
func New(b compute.Backend, store *model.Store, e Energy, cfg Config) (*Sampler, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if store == nil {
		store = model.NewStore()
	}
	sm := &Sampler{cfg: cfg, store: store}
	exec, err := model.NewExec(b, store, func(s *model.Scope, in []*Node) []*Node {
		x, state, eps := in[0], in[1], in[2]
		rng := &StateRNG{State: state}
		acc := ZerosLike(eps)
		k := int(in[3].Shape().Dimensions[0]) // number of steps, carried by a dummy input's shape
		switch cfg.Method {
		case ULA:
			for range k {
				x = ULAStep(s, e, rng, x, eps)
			}
			acc = Scalar(x.Graph(), x.DType(), k)
		default:
			st := NewState(s, e, x)
			for range k {
				var a *Node
				if cfg.Method == MALA {
					st, a = MALAStep(s, e, rng, st, eps)
				} else {
					st, a = HMCStep(s, e, rng, st, eps, cfg.Leapfrog)
				}
				acc = Add(acc, ReduceAllMean(a))
			}
			x = st.X
		}
		return []*Node{x, rng.State, acc}
	})
	if err != nil {
		return nil, fmt.Errorf("sample: %w", err)
	}
	sm.exec = exec
	return sm, nil
}

// Config returns the configuration with defaults filled in.
func (sm *Sampler) Config() Config { return sm.cfg }

// Run runs the chains from x0 (row-major, d values per chain): Burn steps with
// step-size adaptation, then Steps recorded steps. Errors from the backend (a
// non-finite energy makes no error: such proposals are rejected) are returned.
func (sm *Sampler) Run(x0 []float64, d int) (res *Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("sample: %v", r)
		}
	}()
	cfg := sm.cfg
	if d <= 0 || len(x0) == 0 || len(x0)%d != 0 {
		return nil, fmt.Errorf("sample: %d start values do not make chains of dimension %d", len(x0), d)
	}
	n := len(x0) / d
	x := toTensor(x0, cfg.DType, n, d)
	state, err := RNGStateFromSeed(int64(cfg.Seed))
	if err != nil {
		return nil, fmt.Errorf("sample: %w", err)
	}
	logEps := math.Log(cfg.StepSize)
	adaptive := cfg.Method != ULA && !cfg.NoAdapt
	var logSum float64
	var logN int
	run := func(steps, unroll int, adapt bool) (accSum float64, err error) {
		for done := 0; done < steps; {
			k := min(unroll, steps-done)
			eps := scalarTensor(math.Exp(logEps), cfg.DType)
			out, err := sm.exec.Exec(x, state, eps, tensors.FromShape(shapesOf(k)))
			if err != nil {
				return 0, err
			}
			x, state = out[0], out[1]
			a := scalarOf(out[2])
			out[2].FinalizeAll()
			accSum += a
			done += k
			if adapt {
				logEps += adaptGain * (a/float64(k) - cfg.TargetAccept)
				if cfg.MaxStepSize > 0 {
					logEps = min(logEps, math.Log(cfg.MaxStepSize))
				}
				if 4*done > 3*steps {
					logSum += logEps
					logN++
				}
			}
		}
		return accSum, nil
	}
	if cfg.Burn > 0 {
		// Adapt after every few steps: the acceptance averaged over all chains is a
		// precise estimate, so a constant gain converges quickly.
		unroll := cfg.Unroll
		if adaptive {
			unroll = min(cfg.Unroll, max(cfg.Burn/40, 2))
		}
		if _, err := run(cfg.Burn, unroll, adaptive); err != nil {
			return nil, fmt.Errorf("sample: burn-in: %w", err)
		}
		if logN > 0 {
			logEps = logSum / float64(logN)
		}
	}
	acc, err := run(cfg.Steps, cfg.Unroll, false)
	if err != nil {
		return nil, fmt.Errorf("sample: %w", err)
	}
	res = &Result{N: n, D: d, X: fromTensor(x), Accept: acc / float64(cfg.Steps), StepSize: math.Exp(logEps), Steps: cfg.Steps}
	return res, nil
}

// adaptGain is the constant gain of the step-size adaptation on log ε.
const adaptGain = 1.5

// Run is New followed by Sampler.Run.
func Run(b compute.Backend, store *model.Store, e Energy, x0 []float64, d int, cfg Config) (*Result, error) {
	sm, err := New(b, store, e, cfg)
	if err != nil {
		return nil, err
	}
	return sm.Run(x0, d)
}
