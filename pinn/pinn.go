package pinn

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/ergml/erg/run"
	"github.com/ergml/erg/train"
	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// Residual returns a term's residual at the points of a field, shape [N]: the PDE
// written with the network and its derivatives (Field.D, Field.D2, Field.Laplacian),
// a boundary or initial condition u − g, or a data misfit. The scope gives access to
// unknown coefficients (Coef).
type Residual func(s *model.Scope, f *Field) *Node

// Points says where a term is evaluated: fixed points, or N points drawn in the
// problem's domain (or, with OnFace, on the face where coordinate Face.Coord equals
// Face.Value) by the configured sampler.
type Points struct {
	Fixed  []float64 // row-major [n, D]; used when not nil
	N      int
	OnFace bool
	Face   struct {
		Coord int
		Value float64
	}
}

// Term is one weighted mean-square part of the loss, Weight·mean(r²).
type Term struct {
	Name     string
	Points   Points
	Residual Residual
	Weight   float64 // 0: 1
	// Order is the highest derivative of u the residual uses: 0 (values only, the
	// default: boundary, initial and data terms), 1 or 2.
	Order int
	// Adaptive terms get new points where their residual is largest during L-BFGS
	// when Config.RAR > 0.
	Adaptive bool
}

// Unknown is a scalar coefficient learned with the network (an inverse problem).
// With Positive it is parametrised as exp(v), v starting at log(Init).
type Unknown struct {
	Name     string
	Init     float64
	Positive bool
}

// Problem is a physics-informed learning problem on a box.
type Problem struct {
	Name     string
	Domain   Box
	Terms    []Term
	Unknowns []Unknown
	// Transform, if set, maps the points and the raw network output [N] to u [N]
	// (hard constraints); nil means u is the network output.
	Transform func(x, net *Node) *Node
	// Second lists the second derivatives (i, j) the order-2 residuals use (nil: all).
	Second [][2]int
}

// Coef returns the value of the unknown coefficient name inside a Residual, a
// scalar in the graph and dtype of f.
func (p *Problem) Coef(s *model.Scope, f *Field, name string) *Node {
	for _, u := range p.Unknowns {
		if u.Name != name {
			continue
		}
		init := u.Init
		if u.Positive {
			init = math.Log(u.Init)
		}
		g := f.X.Graph()
		v := s.Store().RootScope().At("unknowns").WithInitializer(func(g *Graph, sh shapes.Shape) *Node {
			return Scalar(g, sh.DType, init)
		}).VariableWithShape(name, shapes.Make(f.X.DType())).ValueGraph(g)
		if u.Positive {
			return Exp(v)
		}
		return v
	}
	panic(fmt.Sprintf("pinn: problem %s has no unknown %q", p.Name, name))
}

// Config configures a network and its training. Unset fields take the defaults noted
// on each: zero, or nil for the pointer fields, whose zero is a setting of its own (0
// L-BFGS iterations: none). For fills in a benchmark's own defaults first; New, Run
// and Validate see the result, and config.json records it.
type Config struct {
	Hidden     []int  // hidden layer sizes; nil: [20, 20, 20, 20]
	Activation string // hidden activation (Activations); "": "tanh"
	Sampler    string // collocation sampler: "uniform", "lhs" (default), "sobol"
	// Resample draws new points every Resample steps; 0: fixed points; nil: the
	// benchmark's default (burgers 100), else 0.
	Resample *int
	Steps    int     // Adam steps; 0: 10000
	LR       float64 // Adam learning rate; 0: 1e-3
	// LBFGS is the number of L-BFGS iterations after Adam; 0: none; nil: the
	// benchmark's default (burgers 5000), else 0.
	LBFGS *int
	// RAR splits the L-BFGS iterations in RAR+1 rounds; after each round but the last,
	// the RARPoints points of largest |residual| among RARCandidates uniform ones are
	// added to every Adaptive term (residual-based adaptive refinement, DeepXDE).
	// 0: none; nil: the benchmark's default (burgers 4), else 0.
	RAR           *int
	RARPoints     int    // 0: 250
	RARCandidates int    // 0: 20000
	Seed          uint64 // seeds initialisation and collocation points (used as given; DefaultConfig: 1)
	DType         string // "float64" (default) or "float32"
	Autodiff      bool   // derivatives by nested reverse mode even when TaylorMLP applies
}

// WithDefaults returns c with its unset fields set to the general defaults (those of
// a problem that is not a benchmark: no resampling, no L-BFGS, no refinement).
func (c Config) WithDefaults() Config {
	if c.Hidden == nil {
		c.Hidden = []int{20, 20, 20, 20}
	}
	if c.Activation == "" {
		c.Activation = "tanh"
	}
	if c.Sampler == "" {
		c.Sampler = "lhs"
	}
	if c.Steps == 0 {
		c.Steps = 10000
	}
	if c.LR == 0 {
		c.LR = 1e-3
	}
	if c.DType == "" {
		c.DType = "float64"
	}
	if c.RARPoints == 0 {
		c.RARPoints = 250
	}
	if c.RARCandidates == 0 {
		c.RARCandidates = 20000
	}
	for _, p := range []**int{&c.Resample, &c.LBFGS, &c.RAR} {
		if *p == nil {
			*p = new(0)
		}
	}
	return c
}

// For returns c with its unset fields set to the defaults of benchmark (the settings
// that reach its target, docs/results.md), then to the general ones (WithDefaults).
// An unknown benchmark has no defaults of its own.
func (c Config) For(benchmark string) Config {
	d := benchmarks[benchmark].config
	for _, f := range []struct{ p, d **int }{{&c.Resample, &d.Resample}, {&c.LBFGS, &d.LBFGS}, {&c.RAR, &d.RAR}} {
		if *f.p == nil && *f.d != nil {
			*f.p = new(**f.d)
		}
	}
	return c.WithDefaults()
}

// DefaultConfig returns the configuration of `erg pde pinn BENCHMARK` without flags:
// the benchmark's defaults and seed 1.
func DefaultConfig(benchmark string) Config { return Config{Seed: 1}.For(benchmark) }

// Activations lists the hidden activations a Config may name; TaylorMLP applies to
// tanh and sin, the others use nested automatic differentiation.
func Activations() []string {
	return []string{"tanh", "sin", "relu", "sigmoid", "softplus", "swish", "silu", "gelu", "elu", "leaky_relu", "linear"}
}

// Validate reports the first bad value of c (unset fields are good: their defaults
// are) as a *run.FieldError named after its flag of `erg pde pinn`.
func (c Config) Validate() error {
	for _, h := range c.Hidden {
		if h <= 0 {
			return run.Invalid("hidden", c.Hidden, "want positive layer sizes")
		}
	}
	d := c.WithDefaults()
	switch {
	case len(d.Hidden) == 0:
		return run.Invalid("hidden", "", "want at least one hidden layer")
	case !slices.Contains(Activations(), d.Activation):
		return run.Invalid("activation", d.Activation, "unknown activation (have %s)", strings.Join(Activations(), ", "))
	case *d.Resample < 0:
		return run.Invalid("resample", *d.Resample, "want a number of steps ≥ 0 (0: fixed points)")
	case d.Steps < 0:
		return run.Invalid("steps", d.Steps, "want a positive number of steps")
	case !(d.LR > 0) || math.IsInf(d.LR, 0):
		return run.Invalid("lr", d.LR, "want a positive learning rate")
	case *d.LBFGS < 0:
		return run.Invalid("lbfgs", *d.LBFGS, "want a number of iterations ≥ 0")
	case *d.RAR < 0:
		return run.Invalid("rar", *d.RAR, "want a number of refinement rounds ≥ 0")
	case *d.LBFGS > 0 && *d.RAR >= *d.LBFGS:
		return run.Invalid("rar", *d.RAR, "want fewer refinement rounds than the %d L-BFGS iterations they split", *d.LBFGS)
	case d.RARPoints < 0:
		return run.Invalid("rar-points", d.RARPoints, "want a positive number of points")
	case d.RARCandidates < 0:
		return run.Invalid("rar-candidates", d.RARCandidates, "want a positive number of candidates")
	case d.DType != "float64" && d.DType != "float32":
		return run.Invalid("dtype", d.DType, "want float64 or float32")
	}
	if _, err := NewSampler(d.Sampler); err != nil {
		return run.Invalid("sampler", d.Sampler, "unknown sampler (have uniform, lhs, sobol)")
	}
	return nil
}

func (c Config) dtype() dtypes.DType {
	if c.DType == "float32" {
		return dtypes.Float32
	}
	return dtypes.Float64
}

// Model is a network u(x) for a problem.
type Model struct {
	Problem *Problem
	Config  Config
}

// New returns the model of p with cfg (defaults filled in).
func New(p *Problem, cfg Config) *Model {
	return &Model{Problem: p, Config: cfg.WithDefaults()}
}

// Field builds u at points x [N, D] with its derivatives: by TaylorMLP when the
// activation allows it and there is no Transform, else by nested automatic
// differentiation of U.
func (m *Model) Field(s *model.Scope, x *Node, order int) *Field {
	c := m.Config
	if m.Problem.Transform == nil && (c.Activation == "tanh" || c.Activation == "sin") && !c.Autodiff {
		b := m.Problem.Domain
		sc := make([]float64, b.Dim())
		for i := range sc {
			sc[i] = 2 / (b.Hi[i] - b.Lo[i])
		}
		f := TaylorMLP(s.At("net"), m.normalise(x), sc, c.Hidden, c.Activation, order, m.Problem.Second)
		f.X = x // the physical points, for Coord
		return f
	}
	return NewField(x, m.U(s, x))
}

func (m *Model) normalise(x *Node) *Node {
	b := m.Problem.Domain
	d := b.Dim()
	lo := make([]float64, d)
	sc := make([]float64, d)
	for i := range lo {
		lo[i] = b.Lo[i]
		sc[i] = 2 / (b.Hi[i] - b.Lo[i])
	}
	g, dt := x.Graph(), x.DType()
	return AddScalar(Mul(Sub(x, ConvertDType(Const(g, [][]float64{lo}), dt)), ConvertDType(Const(g, [][]float64{sc}), dt)), -1)
}

// U builds u at points x [N, D]: the network on the points scaled to [−1, 1]^D,
// then the problem's Transform.
func (m *Model) U(s *model.Scope, x *Node) *Node {
	c := m.Config
	n := x.Shape().Dimensions[0]
	u := Reshape(MLP2(s.At("net"), m.normalise(x), c.Hidden, 1, c.Activation), n)
	if m.Problem.Transform != nil {
		u = m.Problem.Transform(x, u)
	}
	return u
}

// Losses returns each term's weighted mean-square residual for the points of each
// term (inputs in the order of Problem.Terms).
func (m *Model) Losses(s *model.Scope, inputs []*Node) []*Node {
	var out []*Node
	for i, t := range m.Problem.Terms {
		f := m.Field(s, inputs[i], t.Order)
		r := t.Residual(s, f)
		w := t.Weight
		if w == 0 {
			w = 1
		}
		out = append(out, MulScalar(ReduceAllMean(Square(r)), w))
	}
	return out
}

// Loss is the training loss, the sum of Losses.
func (m *Model) Loss(s *model.Scope, inputs []*Node) *Node {
	ls := m.Losses(s, inputs)
	l := ls[0]
	for _, x := range ls[1:] {
		l = Add(l, x)
	}
	return l
}

// Collocation is the batch source: the points of every term, fixed or redrawn every
// Config.Resample steps, from generators seeded by (Seed, draw index).
type Collocation struct {
	M     *Model
	cache map[int][]*tensors.Tensor
}

// Points returns the points of every term for draw k (row-major [n, D]).
func (c *Collocation) Points(k int) [][]float64 {
	m := c.M
	cfg := m.Config
	smp, err := NewSampler(cfg.Sampler)
	if err != nil {
		panic(err)
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, uint64(k)+0x51ed))
	var out [][]float64
	for _, t := range m.Problem.Terms {
		p := t.Points
		switch {
		case p.Fixed != nil:
			out = append(out, p.Fixed)
		case p.OnFace:
			out = append(out, m.Problem.Domain.Face(smp, p.Face.Coord, p.Face.Value, p.N, rng))
		default:
			out = append(out, m.Problem.Domain.Sample(smp, p.N, rng))
		}
	}
	return out
}

// Batch implements train.Batches.
func (c *Collocation) Batch(step int) ([]*tensors.Tensor, error) {
	k := 0
	if r := *c.M.Config.Resample; r > 0 {
		k = step / r
	}
	if c.cache == nil {
		c.cache = map[int][]*tensors.Tensor{}
	}
	if ts, ok := c.cache[k]; ok {
		return ts, nil
	}
	clear(c.cache)
	d := c.M.Problem.Domain.Dim()
	var ts []*tensors.Tensor
	for _, p := range c.Points(k) {
		ts = append(ts, c.M.tensor(p, len(p)/d, d))
	}
	c.cache[k] = ts
	return ts, nil
}

func (m *Model) tensor(x []float64, dims ...int) *tensors.Tensor {
	if m.Config.dtype() == dtypes.Float64 {
		return tensors.FromFlatDataAndDimensions(append([]float64(nil), x...), dims...)
	}
	f := make([]float32, len(x))
	for i, v := range x {
		f[i] = float32(v)
	}
	return tensors.FromFlatDataAndDimensions(f, dims...)
}

// TrainOptions are the knobs of Train without an experiment (with one, progress
// follows its options).
type TrainOptions struct {
	Progress io.Writer
	Quiet    bool
}

// TrainResult reports Train.
type TrainResult struct {
	Adam       *train.Result
	LBFGSIters int
	LBFGSEvals int
	LBFGSSecs  float64 // L-BFGS wall time, over all sessions
	FinalLoss  float64
	Seconds    float64 // Adam + L-BFGS wall time, over all sessions
	RARPoints  int     // collocation points added by residual-based adaptive refinement
}

// Train runs Adam for Config.Steps steps, then L-BFGS for Config.LBFGS iterations on
// the points of draw 0. Within an experiment (exp not nil) metrics and checkpoints go
// to its run directory and a resumed experiment continues from its checkpoint: Adam
// where it stopped, L-BFGS from the parameters Adam ended with (or, asked for more
// iterations than it ran, from where it ended); without one nothing is written.
func (m *Model) Train(ctx context.Context, be compute.Backend, exp *run.Experiment, opt TrainOptions) (*model.Store, *TrainResult, error) {
	if err := m.Config.Validate(); err != nil {
		return nil, nil, err
	}
	c := m.Config
	store := model.NewStore()
	tr, err := train.New(be, store, m.Loss, train.Config{
		Steps: c.Steps, StepsPerEpoch: 100,
		Optimizer: train.Optimizer{Name: "adam", LR: c.LR},
		Seed:      c.Seed, Progress: opt.Progress, Quiet: opt.Quiet, CheckpointEvery: 2000,
	})
	if err != nil {
		return nil, nil, err
	}
	data := &Collocation{M: m}
	var res *train.Result
	if exp != nil {
		res, err = tr.Run(ctx, data, exp)
	} else {
		res, err = tr.Fit(ctx, data, nil)
	}
	if err != nil {
		return nil, nil, err
	}
	out := &TrainResult{Adam: res, FinalLoss: res.Loss, Seconds: res.Seconds}
	if *c.LBFGS > 0 {
		lr, err := m.lbfgs(ctx, be, store, data, exp, res.Steps)
		if err != nil {
			return nil, nil, err
		}
		out.LBFGSIters, out.LBFGSEvals, out.LBFGSSecs, out.FinalLoss = lr.iters, lr.evals, lr.secs, lr.loss
		out.RARPoints = lr.added
		out.Seconds += lr.session
	}
	return store, out, nil
}

// Predictor evaluates a trained network on the host.
type Predictor struct {
	m    *Model
	exec *model.Exec
}

// NewPredictor compiles u(x) with the parameters in store.
func NewPredictor(be compute.Backend, m *Model, store *model.Store) (*Predictor, error) {
	e, err := model.NewExec(be, store, func(s *model.Scope, x *Node) *Node {
		return m.U(s, x)
	})
	if err != nil {
		return nil, err
	}
	return &Predictor{m: m, exec: e}, nil
}

// U returns u at points x (row-major [n, D]).
func (p *Predictor) U(x []float64) ([]float64, error) {
	d := p.m.Problem.Domain.Dim()
	out, err := p.exec.Exec(p.m.tensor(x, len(x)/d, d))
	if err != nil {
		return nil, err
	}
	defer out[0].FinalizeAll()
	return flat(out[0]), nil
}

// CoefValues returns the learned unknown coefficients.
func CoefValues(store *model.Store, p *Problem) map[string]float64 {
	out := map[string]float64{}
	for _, u := range p.Unknowns {
		v := store.GetVariable("/unknowns/" + u.Name)
		if v == nil || !v.HasValue() {
			continue
		}
		x := flat(v.MustValue())[0]
		if u.Positive {
			x = math.Exp(x)
		}
		out[u.Name] = x
	}
	return out
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

// modelVars lists the trainable variables of the model (network and unknowns) in
// the order a fresh store creates them (layer by layer, weights before biases, then
// the unknowns), whether the store was built by training or loaded from a
// checkpoint (whose variables come sorted by path): L-BFGS works on them as one
// vector, and its arithmetic depends on the order (TestModelVarsOrder).
func modelVars(store *model.Store) []*model.Variable {
	var vs []*model.Variable
	for v := range store.IterVariables() {
		p := v.Path()
		if v.Trainable && v.DType().IsFloat() && (strings.HasPrefix(p, "/net/") || strings.HasPrefix(p, "/unknowns/")) {
			vs = append(vs, v)
		}
	}
	key := func(p string) (group, layer, kind int, rest string) {
		if r, ok := strings.CutPrefix(p, "/unknowns/"); ok {
			return 1, 0, 0, r
		}
		var name string
		if n, err := fmt.Sscanf(p, "/net/dense_%d/%s", &layer, &name); err != nil || n != 2 {
			return 0, math.MaxInt, 0, p
		}
		kind = map[string]int{"weights": 0, "biases": 1}[name]
		if kind == 0 && name != "weights" {
			kind = 2
		}
		return 0, layer, kind, name
	}
	slices.SortStableFunc(vs, func(a, b *model.Variable) int {
		ga, la, ka, ra := key(a.Path())
		gb, lb, kb, rb := key(b.Path())
		return cmp.Or(cmp.Compare(ga, gb), cmp.Compare(la, lb), cmp.Compare(ka, kb), strings.Compare(ra, rb))
	})
	return vs
}
