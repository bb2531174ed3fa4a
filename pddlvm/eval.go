package pddlvm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/ergml/erg/pinn"
	"github.com/ergml/erg/run"
	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// EvalOptions configures Evaluate. Unset fields (zero, or nil for the pointers, whose
// zero is a value of its own) take the defaults noted.
type EvalOptions struct {
	Tests      int      // held-out θ (never seen in training); 0: 100
	Seed       *uint64  // seed of the held-out θ; nil: DefaultTestSeed
	NoiseY     *float64 // std of the observation noise for inverse recovery, relative to UScale; nil: 0.01; 0: none
	SpeedBatch int      // batch of θ for the forward-map timing; 0: 1000
	FigDir     string   // if set, figures are written here (PNG)
}

// DefaultTestSeed seeds the default held-out θ (and z) of Evaluate.
const DefaultTestSeed = 20260501

// DefaultEvalOptions returns the evaluation options of `erg pde pddlvm eval` without
// flags.
func DefaultEvalOptions() EvalOptions { return EvalOptions{}.withDefaults() }

func (o EvalOptions) withDefaults() EvalOptions {
	if o.Tests == 0 {
		o.Tests = 100
	}
	if o.Seed == nil {
		o.Seed = new(uint64(DefaultTestSeed))
	}
	if o.NoiseY == nil {
		o.NoiseY = new(0.01)
	}
	if o.SpeedBatch == 0 {
		o.SpeedBatch = 1000
	}
	return o
}

// Validate reports a bad value as a *run.FieldError named after its flag.
func (o EvalOptions) Validate() error {
	switch {
	case o.Tests < 0:
		return run.Invalid("tests", o.Tests, "want a positive number of held-out cases")
	case o.NoiseY != nil && (!(*o.NoiseY >= 0) || math.IsInf(*o.NoiseY, 0)):
		return run.Invalid("noise", *o.NoiseY, "want a standard deviation ≥ 0 (0: none)")
	case o.SpeedBatch < 0:
		return run.Invalid("speed-batch", o.SpeedBatch, "want a positive batch")
	}
	return nil
}

// ParamStat is the inverse map's recovery of one component of θ over the held-out
// cases: RMS error of the mean, RMS of the predicted standard deviation, and the
// fraction of cases whose true value lies in the 95% band.
type ParamStat struct {
	RMSE       float64 `json:"rmse"`
	Std        float64 `json:"std"`
	Coverage95 float64 `json:"coverage_95"`
}

// Stats summarises a list of errors.
type Stats struct {
	Mean   float64 `json:"mean"`
	Median float64 `json:"median"`
	Max    float64 `json:"max"`
}

func statsOf(x []float64) Stats {
	if len(x) == 0 {
		return Stats{}
	}
	s := append([]float64(nil), x...)
	sort.Float64s(s)
	m := 0.0
	for _, v := range s {
		m += v
	}
	med := s[len(s)/2]
	if len(s)%2 == 0 {
		med = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return Stats{Mean: m / float64(len(s)), Median: med, Max: s[len(s)-1]}
}

// Evaluation is what Evaluate reports.
type Evaluation struct {
	Problem string `json:"problem"`
	Tests   int    `json:"tests"`
	Unknown int    `json:"unknowns"`
	Params  int    `json:"params"`

	// Forward map against the FEM solution on held-out θ.
	ForwardRelL2      Stats   `json:"forward_rel_l2"`      // ‖μ(θ) − u_FEM‖/‖u_FEM‖ over free nodes
	ForwardCoverage95 float64 `json:"forward_coverage_95"` // fraction of nodes with u_FEM inside μ ± 1.96σ
	ForwardStdRel     float64 `json:"forward_std_rel"`     // mean σ / RMS(u_FEM)

	// Inverse map from noisy observations y = u_FEM(θ) + N(0, (NoiseY·UScale)²).
	NoiseY             float64     `json:"noise_y"`
	InverseThetaRMSE   float64     `json:"inverse_theta_rmse"`   // RMS of θ̂ − θ over all components
	InverseLogKappaRel Stats       `json:"inverse_logkappa_rel"` // ‖log κ(θ̂) − log κ(θ)‖/‖log κ(θ)‖ at the nodes
	InverseKappaRelL2  Stats       `json:"inverse_kappa_rel_l2"` // ‖κ(θ̂) − κ(θ)‖/‖κ(θ)‖ at the nodes
	InverseCoverage95  float64     `json:"inverse_coverage_95"`  // fraction of θ components inside m ± 1.96 s
	InverseByParam     []ParamStat `json:"inverse_by_param"`     // the same per component of θ
	PriorThetaRMSE     float64     `json:"prior_theta_rmse"`     // RMS of θ (the error of guessing 0), for scale

	// Speed: forward-map mean for a batch of θ versus fem solves, per θ.
	NNMicrosPerTheta  float64 `json:"nn_us_per_theta"`
	NNBatch           int     `json:"nn_batch"`
	NNMicrosSingle    float64 `json:"nn_us_single"` // one θ per call
	FEMMicrosPerSolve float64 `json:"fem_us_per_solve"`
	SpeedUp           float64 `json:"speedup"`        // FEM / batched NN, per θ
	SpeedUpSingle     float64 `json:"speedup_single"` // FEM / unbatched NN

	Figures []string `json:"figures,omitempty"`
}

// Predictor evaluates a trained model's maps on the host.
type Predictor struct {
	M       *Model
	fwd     *model.Exec
	inv     *model.Exec
	f64     bool
	d, nf   int
	backend compute.Backend
}

// NewPredictor compiles the forward and inverse maps of m with the parameters in store.
func NewPredictor(be compute.Backend, m *Model, store *model.Store) (*Predictor, error) {
	p := &Predictor{M: m, f64: m.Config.DType == "float64", d: m.Problem.Disc.NumParams(), nf: m.Problem.Disc.NumFree(), backend: be}
	var err error
	p.fwd, err = model.NewExec(be, store, func(s *model.Scope, theta *Node) []*Node {
		if m.Config.Rank == 0 {
			mean, std := m.forwardInfer(s, theta)
			return []*Node{mean, std}
		}
		q := m.Forward(s, theta)
		v := Exp(q.LogVar)
		if q.V != nil {
			v = Add(v, ReduceSum(Square(q.V), 2))
		}
		return []*Node{q.Mean, Sqrt(v)}
	})
	if err != nil {
		return nil, err
	}
	if m.Config.ForwardOnly {
		return p, err
	}
	p.inv, err = model.NewExec(be, store, func(s *model.Scope, u *Node) []*Node {
		q := m.Inverse(s, u)
		return []*Node{q.Mean, Exp(MulScalar(q.LogVar, 0.5))}
	})
	return p, err
}

func (p *Predictor) tensor(x []float64, dims ...int) *tensors.Tensor {
	if p.f64 {
		return tensors.FromFlatDataAndDimensions(append([]float64(nil), x...), dims...)
	}
	f := make([]float32, len(x))
	for i, v := range x {
		f[i] = float32(v)
	}
	return tensors.FromFlatDataAndDimensions(f, dims...)
}

func flat(t *tensors.Tensor) []float64 {
	var out []float64
	t.MustConstFlatData(func(a any) {
		switch x := a.(type) {
		case []float32:
			out = make([]float64, len(x))
			for i, v := range x {
				out[i] = float64(v)
			}
		case []float64:
			out = append([]float64(nil), x...)
		}
	})
	return out
}

// Forward returns the forward map's mean and marginal standard deviation for n
// parameter vectors theta (row-major [n, d]); both are [n, NumFree].
func (p *Predictor) Forward(theta []float64) (mean, std []float64, err error) {
	n := len(theta) / p.d
	out, err := p.fwd.Exec(p.tensor(theta, n, p.d))
	if err != nil {
		return nil, nil, err
	}
	mean, std = flat(out[0]), flat(out[1])
	for _, o := range out {
		o.FinalizeAll()
	}
	return mean, std, nil
}

// Inverse returns the inverse map's mean and standard deviation of θ for n solution
// vectors u (row-major [n, NumFree]).
func (p *Predictor) Inverse(u []float64) (mean, std []float64, err error) {
	n := len(u) / p.nf
	if p.inv == nil {
		return nil, nil, fmt.Errorf("pddlvm: the model has no inverse map (Config.ForwardOnly)")
	}
	out, err := p.inv.Exec(p.tensor(u, n, p.nf))
	if err != nil {
		return nil, nil, err
	}
	mean, std = flat(out[0]), flat(out[1])
	for _, o := range out {
		o.FinalizeAll()
	}
	return mean, std, nil
}

// timeForward returns the wall time in µs of one forward-map call on a batch of n θ.
func (p *Predictor) timeForward(theta []float64, n int) (float64, error) {
	th := make([]float64, n*p.d)
	for i := range th {
		th[i] = theta[i%len(theta)]
	}
	t := p.tensor(th, n, p.d)
	call := func() error {
		out, err := p.fwd.Exec(t)
		for _, o := range out {
			o.FinalizeAll()
		}
		return err
	}
	if err := call(); err != nil { // compile and warm up
		return 0, err
	}
	best := math.Inf(1)
	start := time.Now()
	for r := 0; r < 1000 && (r < 5 || time.Since(start) < 500*time.Millisecond); r++ {
		t0 := time.Now()
		if err := call(); err != nil {
			return 0, err
		}
		best = math.Min(best, float64(time.Since(t0).Nanoseconds())/1e3)
	}
	return best, nil
}

// Evaluate compares a trained model with fem reference solutions on held-out θ:
// relative L2 error of the forward-map mean, coverage of its 95% bands, recovery
// of θ (and of κ) by the inverse map from noisy observations with the coverage of
// its bands, and the time of a batched forward-map evaluation against a fem solve.
func Evaluate(be compute.Backend, m *Model, store *model.Store, opt EvalOptions) (*Evaluation, error) {
	if err := opt.Validate(); err != nil {
		return nil, err
	}
	opt = opt.withDefaults()
	noise, seed := *opt.NoiseY, *opt.Seed
	pr, err := NewPredictor(be, m, store)
	if err != nil {
		return nil, err
	}
	P := m.Problem
	d, nf, n := P.Disc.NumParams(), P.Disc.NumFree(), opt.Tests
	theta := P.SampleTheta(n, seed, 0)
	ev := &Evaluation{Problem: P.Name, Tests: n, Unknown: nf, Params: d, NoiseY: noise}

	// reference solutions (one untimed solve first: it fills the field's basis cache)
	ref := make([]float64, n*nf)
	if _, err := P.Solve(theta[:d]); err != nil {
		return nil, fmt.Errorf("pddlvm: held-out θ 0: %w", err)
	}
	t0 := time.Now()
	for i := 0; i < n; i++ {
		u, err := P.Solve(theta[i*d : (i+1)*d])
		if err != nil {
			return nil, fmt.Errorf("pddlvm: held-out θ %d: %w", i, err)
		}
		copy(ref[i*nf:], u)
	}
	ev.FEMMicrosPerSolve = float64(time.Since(t0).Nanoseconds()) / 1e3 / float64(n)

	mean, std, err := pr.Forward(theta)
	if err != nil {
		return nil, err
	}
	rel := make([]float64, n)
	var in, tot int
	var sstd, sref float64
	for i := 0; i < n; i++ {
		var e2, r2 float64
		for j := 0; j < nf; j++ {
			k := i*nf + j
			e := mean[k] - ref[k]
			e2 += e * e
			r2 += ref[k] * ref[k]
			if math.Abs(e) <= 1.96*std[k] {
				in++
			}
			tot++
			sstd += std[k]
		}
		sref += r2
		rel[i] = math.Sqrt(e2 / r2)
	}
	ev.ForwardRelL2 = statsOf(rel)
	ev.ForwardCoverage95 = float64(in) / float64(tot)
	ev.ForwardStdRel = (sstd / float64(tot)) / math.Sqrt(sref/float64(tot))

	// inverse map from noisy observations
	rng := rand.New(rand.NewPCG(seed, 1))
	y := make([]float64, len(ref))
	for i := range y {
		y[i] = ref[i] + noise*P.UScale*rng.NormFloat64()
	}
	var im, is []float64
	if !m.Config.ForwardOnly {
		if im, is, err = pr.Inverse(y); err != nil {
			return nil, err
		}
	} else {
		im = make([]float64, len(theta)) // the prior mean, for the figures
		is = make([]float64, len(theta))
		for i := range is {
			is[i] = 1
		}
	}
	var se, s0 float64
	in = 0
	lkRel := make([]float64, n)
	kRel := make([]float64, n)
	nodes := P.Disc.Mesh.NumNodes()
	ev.InverseByParam = make([]ParamStat, d)
	for i := 0; i < n; i++ {
		for k := 0; k < d; k++ {
			j := i*d + k
			e := im[j] - theta[j]
			se += e * e
			s0 += theta[j] * theta[j]
			ps := &ev.InverseByParam[k]
			ps.RMSE += e * e
			ps.Std += is[j] * is[j]
			if math.Abs(e) <= 1.96*is[j] {
				in++
				ps.Coverage95++
			}
		}
		var el, rl, ek, rk float64
		for v := 0; v < nodes; v++ {
			x := P.Disc.Mesh.Node(v)
			a := P.Disc.Field.LogKappa(x, theta[i*d:(i+1)*d])
			b := P.Disc.Field.LogKappa(x, im[i*d:(i+1)*d])
			el += (a - b) * (a - b)
			rl += a * a
			ek += (pinn.ExpGo(a) - pinn.ExpGo(b)) * (pinn.ExpGo(a) - pinn.ExpGo(b))
			rk += pinn.ExpGo(2 * a)
		}
		lkRel[i] = math.Sqrt(el / math.Max(rl, 1e-300))
		kRel[i] = math.Sqrt(ek / rk)
	}
	ev.InverseThetaRMSE = math.Sqrt(se / float64(n*d))
	ev.PriorThetaRMSE = math.Sqrt(s0 / float64(n*d))
	ev.InverseCoverage95 = float64(in) / float64(n*d)
	for k := range ev.InverseByParam {
		ps := &ev.InverseByParam[k]
		ps.RMSE, ps.Std, ps.Coverage95 = math.Sqrt(ps.RMSE/float64(n)), math.Sqrt(ps.Std/float64(n)), ps.Coverage95/float64(n)
	}
	ev.InverseLogKappaRel = statsOf(lkRel)
	ev.InverseKappaRelL2 = statsOf(kRel)

	// speed
	ev.NNBatch = opt.SpeedBatch
	tb, err := pr.timeForward(theta, opt.SpeedBatch)
	if err != nil {
		return nil, err
	}
	ev.NNMicrosPerTheta = tb / float64(opt.SpeedBatch)
	if ev.NNMicrosSingle, err = pr.timeForward(theta, 1); err != nil {
		return nil, err
	}
	ev.SpeedUp = ev.FEMMicrosPerSolve / ev.NNMicrosPerTheta
	ev.SpeedUpSingle = ev.FEMMicrosPerSolve / ev.NNMicrosSingle

	if opt.FigDir != "" {
		figs, err := plotEvaluation(opt.FigDir, P, theta, ref, mean, std, y, im, is)
		if err != nil {
			return nil, err
		}
		ev.Figures = figs
	}
	return ev, nil
}
