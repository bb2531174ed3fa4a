package ebm

import (
	"fmt"
	"math"
	"time"

	"github.com/ergml/erg/ebm/density"
	"github.com/ergml/erg/ebm/sample"
)

// EvalConfig configures Evaluate. The zero value integrates on a 256×256 grid and
// compares 1000 MALA samples (300 burn-in, 200 recorded steps) with 1000 held-out
// points.
type EvalConfig struct {
	Grid    int           // grid cells per axis for the partition function (0: 256)
	Samples int           // model samples (MALA chains) and data points for the MMD (0: 1000)
	Sampler sample.Config // sampler for the MMD (zero: MALA, Burn 300, Steps 200, seeded by Seed)
	Seed    uint64        // seeds the sampler
	NoMMD   bool          // skip the MMD
}

// NLLResult is a held-out negative log-likelihood with the partition function
// integrated numerically on a grid (2-D only).
type NLLResult struct {
	NLL       float64   `json:"nll"`        // mean of U(x) + log Z over the held-out points (nats)
	LogZ      float64   `json:"log_z"`      // log Z by the midpoint rule on the grid
	Grid      int       `json:"grid"`       // cells per axis
	Box       []float64 `json:"box"`        // lo1, hi1, lo2, hi2 of the grid
	GridError float64   `json:"grid_error"` // |log Z(grid) − log Z(grid/2)|: resolution error estimate
	BoxError  float64   `json:"box_error"`  // |log Z(1.5× box, same cells) − log Z|: truncation error estimate
	Outside   int       `json:"outside"`    // held-out points outside the grid's box
}

// Error is the total error estimate of log Z (and so of the NLL).
func (r *NLLResult) Error() float64 { return r.GridError + r.BoxError }

// Evaluation is what Evaluate reports for a model and a held-out set.
type Evaluation struct {
	N            int        `json:"n"` // held-out points
	Dim          int        `json:"dim"`
	NLL          *NLLResult `json:"nll,omitempty"` // 2-D only
	MMD2         *float64   `json:"mmd2,omitempty"`
	MMDBandwidth float64    `json:"mmd_bandwidth,omitempty"` // Gaussian kernel h (median heuristic on the data)
	MMDSamples   int        `json:"mmd_samples,omitempty"`
	Accept       float64    `json:"mala_accept,omitempty"`
	StepSize     float64    `json:"mala_step_size,omitempty"`
	Seconds      float64    `json:"seconds"` // wall time of the evaluation
	Samples      []float64  `json:"-"`       // the model samples used for the MMD
}

// NLL computes the held-out negative log-likelihood of the 2-D model with the
// partition function integrated on an n×n grid over the configuration's box, with two
// error estimates: the change of log Z when the grid is halved, and when the box is
// widened 1.5 times at the same cell size.
func (m *Model) NLL(held *density.Set, n int) (*NLLResult, error) {
	if m.Config.Dim != 2 || held.Dim != 2 {
		return nil, fmt.Errorf("ebm: NLL on a grid needs 2-D data (model %d-D, data %d-D)", m.Config.Dim, held.Dim)
	}
	if n <= 0 {
		n = 256
	}
	grid := m.Config.Grid(n)
	logZ := func(g Grid) (float64, error) {
		u, err := m.Energies(g.Points())
		if err != nil {
			return 0, err
		}
		return g.LogZ(u), nil
	}
	lz, err := logZ(grid)
	if err != nil {
		return nil, err
	}
	half := grid
	half.N = max(n/2, 2)
	lzHalf, err := logZ(half)
	if err != nil {
		return nil, err
	}
	lzWide, err := logZ(grid.Scaled(1.5))
	if err != nil {
		return nil, err
	}
	u, err := m.Energies(held.X)
	if err != nil {
		return nil, err
	}
	var mean float64
	out := 0
	for i, v := range u {
		mean += v / float64(len(u))
		p := held.Row(i)
		if p[0] < grid.Lo[0] || p[0] > grid.Hi[0] || p[1] < grid.Lo[1] || p[1] > grid.Hi[1] {
			out++
		}
	}
	return &NLLResult{
		NLL: mean + lz, LogZ: lz, Grid: n, Box: append([]float64(nil), m.Config.Box...),
		GridError: math.Abs(lz - lzHalf), BoxError: math.Abs(lzWide - lz), Outside: out,
	}, nil
}

// Evaluate computes the held-out NLL (2-D) and the MMD² between model samples (MALA)
// and held-out points.
func (m *Model) Evaluate(held *density.Set, cfg EvalConfig) (*Evaluation, error) {
	start := time.Now()
	if held.Dim != m.Config.Dim {
		return nil, fmt.Errorf("ebm: held-out data are %d-D, the model %d-D", held.Dim, m.Config.Dim)
	}
	ev := &Evaluation{N: held.Len(), Dim: held.Dim}
	if held.Dim == 2 {
		r, err := m.NLL(held, cfg.Grid)
		if err != nil {
			return nil, err
		}
		ev.NLL = r
	}
	if !cfg.NoMMD {
		ns := cfg.Samples
		if ns <= 0 {
			ns = 1000
		}
		sc := cfg.Sampler
		if sc.Burn == 0 {
			sc.Burn = 300
		}
		if sc.Steps == 0 {
			sc.Steps = 200
		}
		if sc.Seed == 0 {
			sc.Seed = cfg.Seed
		}
		res, err := m.Sample(ns, sc)
		if err != nil {
			return nil, err
		}
		data := held.X[:min(ns, held.Len())*held.Dim]
		h := MedianDistance(data, held.Dim)
		v := MMD2(res.X, data, held.Dim, h)
		ev.MMD2, ev.MMDBandwidth, ev.MMDSamples = &v, h, ns
		ev.Accept, ev.StepSize = res.Accept, res.StepSize
		ev.Samples = res.X
	}
	ev.Seconds = time.Since(start).Seconds()
	return ev, nil
}
