package pddlvm

import (
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/ergml/erg/pinn"
	"github.com/ergml/erg/run"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// Config configures the model and its training, for the finite-element problems and
// for the heat problem (whose own fields and defaults are noted "heat"). Unset fields
// take the defaults noted on each: zero, or nil for the pointer fields, whose zero is
// a setting of its own (no observation noise). For fills in a problem's defaults; Run
// records the result in config.json.
type Config struct {
	Hidden []int // hidden layer sizes of both maps (heat: of the forward field); nil: [64, 64, 64] (heat: [64, 64, 64, 64])
	// InvHidden (heat) are the inverse map's hidden sizes; nil: [64, 64].
	InvHidden  []int
	Activation string // hidden activation (pinn.Activations); "": "swish" (as the paper's code; heat: "tanh", or "sin")
	Rank       int    // low-rank factors of the forward-map covariance; 0: diagonal only (heat: 0)
	// SigmaR is the residual's standard deviation σ_r; 0: 1e-2 (the paper's default).
	// Heat: 0.04; the paper's 0.01 gives bands of 0.5% of the solution's scale that
	// cover the reference only 66% of the time around a mean 1.1% off (10k steps;
	// 0.04: σ 2.6%, coverage 97%, same mean error; docs/results.md).
	SigmaR float64
	// Whiten uses the residual covariance σ_r² UScale² A₀A₀ᵀ (A₀ the stiffness matrix of
	// the mean field) instead of σ_r² I: the whitened residual A₀⁻¹r has the units of
	// u, so σ_r is relative to UScale and the likelihood is well conditioned. nil:
	// true (heat: false, it has no stiffness matrix).
	Whiten *bool
	// ForwardOnly leaves out the inverse map p(θ | u): the ELBO is then that of the
	// forward map alone (a physics-driven surrogate without the inverse; not heat).
	ForwardOnly bool
	// ObsNoise is the standard deviation, relative to the problem's UScale, of the
	// observation noise the inverse map is trained for: its input in the ELBO is
	// y = u + ObsNoise·UScale·ε rather than u, so p(θ | y) is the posterior of θ
	// given a noisy observation y (amortised posterior estimation), and its bands
	// are calibrated for data with that noise. nil: 0.01 (Evaluate's default
	// NoiseY); 0: none (the map of noise-free u, which is overconfident on noisy data).
	ObsNoise *float64
	// CoupledInverse passes the gradient of the inverse-map term log p(θ | y) into
	// the forward map through its sample u, as the plain ELBO does. By default it is
	// stopped there: the forward map is trained by the residual likelihood and its
	// entropy only, the inverse map by log p(θ | y) on the forward map's samples.
	// Coupled, the forward map learns to carry θ in details of u that FEM solutions do
	// not have, and the inverse map is overconfident on real data (1-D Poisson, 20k
	// steps: 95% bands cover θ 88.5% coupled, 94.2% stopped; docs/results.md).
	CoupledInverse bool
	Batch          int // θ (heat: z) samples per step; 0: 32 (heat: 8)
	Points         int // heat: body collocation points per z; 0: 256
	BCPoints       int // heat: initial + boundary points per z; 0: 96
	// TimePower (heat) concentrates the body points at early times, where the
	// solution changes fastest: t = T·s^TimePower with s Latin-hypercube in [0, 1];
	// 0 or 1: uniform.
	TimePower float64
	Steps     int     // optimizer steps; 0: 20000 (heat: 10000)
	LR        float64 // Adam learning rate; 0: 1e-3
	// DecayEvery halves the rate every DecayEvery steps (a staircase decay); 0: Steps/4.
	// Steps/10 (the default until 2026-12-01) left lr/1024 at the end and stalled
	// training: nonlinear2d, 12k steps: forward error 1.09% → 0.69%, inverse θ RMSE
	// 0.134 → 0.064 with Steps/4 (heat: 2.0% → 1.1%).
	DecayEvery int
	Seed       uint64 // seeds θ batches, initialisation and the reparameterisation noise (used as given; DefaultConfig: 1)
	DType      string // "float32" (default) or "float64" (heat: "float64", the only one)
}

// WithDefaults returns c with its unset fields set to the defaults of the
// finite-element problems (For of one of them).
func (c Config) WithDefaults() Config { return c.For("") }

// For returns c with its unset fields set to the defaults of problem: those of the
// heat problem for "heat", else those of the finite-element problems.
func (c Config) For(problem string) Config {
	heat := problem == "heat"
	pick := func(fem, h int) int {
		if heat {
			return h
		}
		return fem
	}
	if c.Hidden == nil {
		c.Hidden = make([]int, pick(3, 4))
		for i := range c.Hidden {
			c.Hidden[i] = 64
		}
	}
	if c.InvHidden == nil && heat {
		c.InvHidden = []int{64, 64}
	}
	if c.Activation == "" {
		c.Activation = map[bool]string{false: "swish", true: "tanh"}[heat]
	}
	if c.SigmaR == 0 {
		c.SigmaR = map[bool]float64{false: 1e-2, true: 0.04}[heat]
	}
	if c.Whiten == nil {
		c.Whiten = new(!heat)
	}
	if c.ObsNoise == nil {
		c.ObsNoise = new(0.01)
	}
	if c.Batch == 0 {
		c.Batch = pick(32, 8)
	}
	if c.Points == 0 && heat {
		c.Points = 256
	}
	if c.BCPoints == 0 && heat {
		c.BCPoints = 96
	}
	if c.Steps == 0 {
		c.Steps = pick(20000, 10000)
	}
	if c.LR == 0 {
		c.LR = 1e-3
	}
	if c.DecayEvery == 0 {
		c.DecayEvery = max(1, c.Steps/4)
	}
	if c.DType == "" {
		c.DType = map[bool]string{false: "float32", true: "float64"}[heat]
	}
	return c
}

// DefaultConfig returns the configuration of `erg pde pddlvm train PROBLEM` without
// flags: the problem's defaults and seed 1.
func DefaultConfig(problem string) Config { return Config{Seed: 1}.For(problem) }

// Validate reports the first bad value of c for the finite-element problems (see
// RunConfig.Validate for the heat problem) as a *run.FieldError named after its flag
// of `erg pde pddlvm train`. Unset fields are good: their defaults are.
func (c Config) Validate() error { return c.validate("") }

func (c Config) validate(problem string) error {
	heat := problem == "heat"
	for _, f := range []struct {
		name  string
		sizes []int
	}{{"hidden", c.Hidden}, {"inv-hidden", c.InvHidden}} {
		for _, h := range f.sizes {
			if h <= 0 {
				return run.Invalid(f.name, f.sizes, "want positive layer sizes")
			}
		}
		if f.sizes != nil && len(f.sizes) == 0 {
			return run.Invalid(f.name, "", "want at least one hidden layer")
		}
	}
	d := c.For(problem)
	acts := pinn.Activations()
	if heat {
		acts = []string{"tanh", "sin"} // Taylor-mode derivatives
	}
	bad := func(x float64) bool { return !(x >= 0) || math.IsInf(x, 0) }
	switch {
	case !slices.Contains(acts, d.Activation):
		return run.Invalid("activation", d.Activation, "unknown activation (have %s)", strings.Join(acts, ", "))
	case d.Rank < 0:
		return run.Invalid("rank", d.Rank, "want a number of factors ≥ 0")
	case bad(d.SigmaR):
		return run.Invalid("sigma-r", d.SigmaR, "want a positive standard deviation")
	case bad(*d.ObsNoise):
		return run.Invalid("noise", *d.ObsNoise, "want a standard deviation ≥ 0 (0: none)")
	case d.Batch < 0:
		return run.Invalid("batch", d.Batch, "want a positive number of samples per step")
	case d.Points < 0:
		return run.Invalid("points", d.Points, "want a positive number of points")
	case d.BCPoints < 0:
		return run.Invalid("bc-points", d.BCPoints, "want a positive number of points")
	case bad(d.TimePower):
		return run.Invalid("time-power", d.TimePower, "want a positive power (0 or 1: uniform)")
	case d.Steps < 0:
		return run.Invalid("steps", d.Steps, "want a positive number of steps")
	case bad(d.LR):
		return run.Invalid("lr", d.LR, "want a positive learning rate")
	case d.DecayEvery < 0:
		return run.Invalid("decay-every", d.DecayEvery, "want a positive number of steps (0: steps/4)")
	case d.DType != "float32" && d.DType != "float64":
		return run.Invalid("dtype", d.DType, "want float32 or float64")
	}
	if heat {
		switch {
		case d.Rank != 0:
			return run.Invalid("rank", d.Rank, "the heat problem's forward map has no low-rank covariance")
		case *d.Whiten:
			return run.Invalid("whiten", true, "the heat problem has no stiffness matrix to whiten its residual with")
		case d.ForwardOnly:
			return run.Invalid("forward-only", true, "the heat problem always trains its inverse map")
		case d.DType != "float64":
			return run.Invalid("dtype", d.DType, "the heat problem trains in float64")
		}
		return nil
	}
	for _, f := range []struct {
		name string
		set  bool
	}{{"inv-hidden", c.InvHidden != nil}, {"points", c.Points != 0}, {"bc-points", c.BCPoints != 0}, {"time-power", c.TimePower != 0}} {
		if f.set {
			return run.Invalid(f.name, nil, "only the heat problem has this setting")
		}
	}
	return nil
}

func (c Config) dtype() dtypes.DType {
	if c.DType == "float64" {
		return dtypes.Float64
	}
	return dtypes.Float32
}

// obsNoise is ObsNoise, 0 when unset (a configuration without defaults).
func (c Config) obsNoise() float64 {
	if c.ObsNoise == nil {
		return 0
	}
	return *c.ObsNoise
}

// Model is a PDDLVM for one problem: the forward map q(u | θ), the inverse map
// p(θ | u) and the ELBO tying them to the discretised PDE.
type Model struct {
	Problem *Problem
	Config  Config

	whiten sync.Once
	w      []float64 // whitener A₀⁻¹ when Config.Whiten, computed by the first ELBO
}

// New returns a model of problem p with configuration cfg (defaults filled in; see
// Config.Validate for its values).
func New(p *Problem, cfg Config) *Model {
	return &Model{Problem: p, Config: cfg.WithDefaults()}
}

// whitener returns A₀⁻¹ (nil without Config.Whiten), computing it once: a dense
// inverse, which prediction does not need.
func (m *Model) whitener() []float64 {
	if w := m.Config.Whiten; w == nil || !*w {
		return nil
	}
	m.whiten.Do(func() {
		w, err := m.Problem.Disc.Whitener()
		if err != nil {
			panic(err)
		}
		m.w = w
	})
	return m.w
}

// Bounds of the log-variances, relative to the problem's scales.
const (
	logVarLo = -30.0
	logVarHi = 2.0
)

func logit(p float64) float64 { return math.Log(p / (1 - p)) }

func boundedLogVar(raw *Node, scale float64) *Node {
	// lo + (hi-lo)·sigmoid(raw) + 2 log scale: a smooth clamp (the paper bounds the
	// variance the same way, with a sigmoid).
	return AddScalar(MulScalar(Sigmoid(raw), logVarHi-logVarLo), logVarLo+2*math.Log(scale))
}

// Gaussian is a batch of Gaussians with mean Mean [B, n], diagonal log-variance
// LogVar [B, n] and, if Rank > 0, low-rank factors V [B, n, k]:
// Σ = diag(exp(LogVar)) + V Vᵀ.
type Gaussian struct {
	Mean, LogVar, V *Node
}

// Forward builds the forward map q(u | θ) for θ of shape [B, d].
func (m *Model) Forward(s *model.Scope, theta *Node) Gaussian {
	p, c := m.Problem, m.Config
	nf := p.Disc.NumFree()
	k := c.Rank
	s = s.In("forward")
	h := pinn.MLP(s.In("trunk"), theta, c.Hidden[:len(c.Hidden)-1], c.Hidden[len(c.Hidden)-1], c.Activation)
	h = pinn.Activate(c.Activation, h)
	mean := MulScalar(dense16(s.In("mean"), h, nf), p.UScale)
	// offset: at initialisation σ ≈ 1e-2·UScale
	lv := boundedLogVar(AddScalar(dense16(s.In("logvar"), h, nf), logit((2*math.Log(1e-2)-logVarLo)/(logVarHi-logVarLo))), p.UScale)
	out := Gaussian{Mean: mean, LogVar: lv}
	if k > 0 {
		v := dense16(s.In("lowrank"), h, nf*k)
		b := theta.Shape().Dimensions[0]
		out.V = MulScalar(Reshape(v, b, nf, k), 0.1*p.UScale)
	}
	return out
}

// forwardInfer is Forward for prediction: the mean and the marginal standard
// deviation exp(LogVar/2) for θ [B, d] (diagonal covariance only), with the same
// parameters, computed without FastMatMul's gradient slot and with the scalar
// factors folded into the last layers' weights: on large meshes each elementwise
// pass over a [B, NumFree] output costs as much as the product itself.
func (m *Model) forwardInfer(s *model.Scope, theta *Node) (mean, std *Node) {
	p, c := m.Problem, m.Config
	if c.Rank > 0 {
		panic("pddlvm: forwardInfer of a low-rank model")
	}
	nf := p.Disc.NumFree()
	s = s.In("forward")
	h := pinn.MLP2(s.In("trunk"), theta, c.Hidden[:len(c.Hidden)-1], c.Hidden[len(c.Hidden)-1], c.Activation)
	h = pinn.Activate(c.Activation, h)
	g, dt, k := h.Graph(), h.DType(), h.Shape().Dimensions[1]
	np := (nf + 15) / 16 * 16 // dense16's stored width
	// lin returns scale·(h·W + b + shift) over the first nf outputs of the layer.
	lin := func(name string, scale, shift float64) *Node {
		sl := s.In("%s", name)
		w := sl.VariableWithShape("weights", shapes.Make(dt, k, np)).ValueGraph(g)
		b := sl.VariableWithShape("biases", shapes.Make(dt, np)).ValueGraph(g)
		if np != nf {
			w, b = Slice(w, AxisRange(), AxisRange(0, nf)), Slice(b, AxisRange(0, nf))
		}
		return Add(Dot(h, MulScalar(w, scale)).Product(), ExpandAxes(MulScalar(AddScalar(b, shift), scale), 0))
	}
	mean = lin("mean", p.UScale, 0)
	// σ = exp(LogVar/2) with LogVar = lo + (hi−lo)·sigmoid(raw) + 2 log UScale (boundedLogVar)
	raw := lin("logvar", 1, logit((2*math.Log(1e-2)-logVarLo)/(logVarHi-logVarLo)))
	std = Exp(AddScalar(MulScalar(Sigmoid(raw), (logVarHi-logVarLo)/2), logVarLo/2+math.Log(p.UScale)))
	return mean, std
}

// Inverse builds the inverse map p(θ | u) for u of shape [B, NumFree].
func (m *Model) Inverse(s *model.Scope, u *Node) Gaussian {
	p, c := m.Problem, m.Config
	s = s.In("inverse")
	x := pad16(MulScalar(u, 1/p.UScale))
	out := pinn.MLP(s, x, c.Hidden, 2*p.Disc.NumParams(), c.Activation)
	d := p.Disc.NumParams()
	mean := Slice(out, AxisRange(), AxisRange(0, d))
	// offset: at initialisation the variance of θ is 1, that of its prior
	lv := boundedLogVar(AddScalar(Slice(out, AxisRange(), AxisRange(d, 2*d)), logit(-logVarLo/(logVarHi-logVarLo))), 1)
	return Gaussian{Mean: mean, LogVar: lv}
}

// Sample draws u = Mean + exp(LogVar/2)⊙eps1 + V eps2 (reparameterisation), with
// eps1 of shape [B, n] and eps2 [B, k] (ignored when there is no V).
func (q Gaussian) Sample(eps1, eps2 *Node) *Node {
	u := Add(q.Mean, Mul(Exp(MulScalar(q.LogVar, 0.5)), eps1))
	if q.V != nil {
		u = Add(u, ReduceSum(Mul(q.V, ExpandAxes(eps2, 1)), 2))
	}
	return u
}

// Entropy returns the entropy of each Gaussian, shape [B]:
// ½ Σ_i (log 2πe + LogVar_i) + ½ log det(I + Vᵀ D⁻¹ V).
func (q Gaussian) Entropy() *Node {
	n := q.Mean.Shape().Dimensions[1]
	h := MulScalar(AddScalar(ReduceSum(q.LogVar, 1), float64(n)*math.Log(2*math.Pi*math.E)), 0.5)
	if q.V != nil {
		dinv := Exp(Neg(q.LogVar))           // [B, n]
		w := Mul(q.V, ExpandAxes(dinv, 2))   // D⁻¹V [B, n, k]
		mk := Einsum("bnk,bnl->bkl", q.V, w) // [B, k, k]
		h = Add(h, MulScalar(logDetIPlus(mk), 0.5))
	}
	return h
}

// LogPDF returns log N(x; Mean, diag exp(LogVar)) for each row, shape [B] (the
// low-rank part, if any, is ignored: used for the diagonal inverse map).
func (q Gaussian) LogPDF(x *Node) *Node {
	d := Sub(x, q.Mean)
	t := Add(Mul(Square(d), Exp(Neg(q.LogVar))), q.LogVar)
	n := x.Shape().Dimensions[1]
	return MulScalar(AddScalar(ReduceSum(t, 1), float64(n)*math.Log(2*math.Pi)), -0.5)
}

// logDetIPlus returns log det(I + M) for a batch of small symmetric positive
// semi-definite matrices M [B, k, k], by an unrolled Cholesky factorisation.
func logDetIPlus(m *Node) *Node {
	k := m.Shape().Dimensions[1]
	el := func(i, j int) *Node {
		return Reshape(Slice(m, AxisRange(), AxisRange(i, i+1), AxisRange(j, j+1)), m.Shape().Dimensions[0])
	}
	l := make([][]*Node, k)
	var sum *Node
	for i := 0; i < k; i++ {
		l[i] = make([]*Node, k)
		for j := 0; j <= i; j++ {
			v := el(i, j)
			if i == j {
				v = AddScalar(v, 1)
			}
			for p := 0; p < j; p++ {
				v = Sub(v, Mul(l[i][p], l[j][p]))
			}
			if i == j {
				ld := Log(v)
				if sum == nil {
					sum = ld
				} else {
					sum = Add(sum, ld)
				}
				l[i][i] = Sqrt(v)
			} else {
				l[i][j] = Div(v, l[j][j])
			}
		}
	}
	return sum
}

// Terms are the parts of the ELBO for each θ of a batch, each of shape [B].
type Terms struct {
	LogResidual *Node // log N(r(u, θ); 0, σ_r² I)
	LogInverse  *Node // log p(θ | u)
	Entropy     *Node // H[q(u | θ)]
	ELBO        *Node // their sum
	U           *Node // the sampled u [B, NumFree]
}

// ELBO builds the ELBO terms for θ [B, d] with the standard normal noise of the
// reparameterisation given explicitly: eps1 [B, NumFree], eps2 [B, Rank] (nil when
// Rank is 0) and eps3 [B, NumFree], the observation noise of the inverse map's input
// (nil: none, as when Config.ObsNoise is 0).
func (m *Model) ELBO(s *model.Scope, theta, eps1, eps2, eps3 *Node) Terms {
	q := m.Forward(s, theta)
	u := q.Sample(eps1, eps2)
	r := m.Problem.Disc.Residual(u, theta)
	sr := m.Config.SigmaR
	if wh := m.whitener(); wh != nil {
		nf := m.Problem.Disc.NumFree()
		w := constOf(r.Graph(), r.DType(), wh, nf, nf)
		w = pad16(pad16(w, 1), 0) // [np, np]: the backend's small matmuls are ~5x faster on multiples of 16
		r = Slice(pinn.FastMatMul(pad16(r), Transpose(w, 0, 1)), AxisRange(), AxisRange(0, nf))
		sr *= m.Problem.UScale
	}
	nr := r.Shape().Dimensions[1]
	logr := AddScalar(MulScalar(ReduceSum(Square(r), 1), -0.5/(sr*sr)), -0.5*float64(nr)*math.Log(2*math.Pi*sr*sr))
	li := ScalarZero(u.Graph(), u.DType())
	if !m.Config.ForwardOnly {
		y := observed(u, eps3, m.Config.obsNoise()*m.Problem.UScale, m.Config.CoupledInverse)
		li = m.Inverse(s, y).LogPDF(theta)
	} else {
		li = BroadcastToDims(li, u.Shape().Dimensions[0])
	}
	h := q.Entropy()
	return Terms{LogResidual: logr, LogInverse: li, Entropy: h, ELBO: Add(Add(logr, li), h), U: u}
}

// Loss is the training loss: minus the batch-mean ELBO divided by the number of
// unknowns, with the reparameterisation noise drawn from the scope's random number
// generator. inputs[0] is θ [B, d].
func (m *Model) Loss(s *model.Scope, inputs []*Node) *Node {
	theta := inputs[0]
	g := theta.Graph()
	dt := theta.DType()
	b := theta.Shape().Dimensions[0]
	nf := m.Problem.Disc.NumFree()
	eps1 := s.RandomNormal(g, shapes.Make(dt, b, nf))
	var eps2 *Node
	if m.Config.Rank > 0 {
		eps2 = s.RandomNormal(g, shapes.Make(dt, b, m.Config.Rank))
	}
	var eps3 *Node
	if !m.Config.ForwardOnly && m.Config.obsNoise() > 0 {
		eps3 = s.RandomNormal(g, shapes.Make(dt, b, nf))
	}
	t := m.ELBO(s, theta, eps1, eps2, eps3)
	return MulScalar(ReduceAllMean(t.ELBO), -1/float64(nf))
}

// pad16 pads axis (default: the last) of x with zeros to a multiple of 16: the pure-Go
// backend's small matrix products are several times slower on other sizes.
func pad16(x *Node, axis ...int) *Node {
	a := x.Rank() - 1
	if len(axis) > 0 {
		a = axis[0]
	}
	n := x.Shape().Dimensions[a]
	np := (n + 15) / 16 * 16
	if np == n {
		return x
	}
	dims := append([]int(nil), x.Shape().Dimensions...)
	dims[a] = np - n
	return Concatenate([]*Node{x, Zeros(x.Graph(), shapes.Make(x.DType(), dims...))}, a)
}

// dense16 is nn.Dense with its output size rounded up to a multiple of 16 and the
// extra outputs dropped (see pad16).
func dense16(s *model.Scope, x *Node, out int) *Node {
	np := (out + 15) / 16 * 16
	y := pinn.Dense(s, x, np)
	if np == out {
		return y
	}
	return Slice(y, AxisRange(), AxisRange(0, out))
}

// observed is the inverse map's training input from a forward-map sample u: y = u +
// noise·eps (eps nil or noise ≤ 0: y = u), with the gradient stopped at y unless
// coupled (Config.ObsNoise, Config.CoupledInverse).
func observed(u, eps *Node, noise float64, coupled bool) *Node {
	y := u
	if eps != nil && noise > 0 {
		y = Add(u, MulScalar(eps, noise))
	}
	if !coupled {
		y = StopGradient(y)
	}
	return y
}
