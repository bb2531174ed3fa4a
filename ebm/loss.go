package ebm

import (
	"fmt"
	"github.com/ergml/erg/run"
	"math"

	"github.com/ergml/erg/ebm/sample"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// logSumExp reduces x over its last axis, stably.
func logSumExp(x *Node) *Node {
	m := StopGradient(ReduceMax(x, -1))
	return Add(Log(ReduceSum(expm1p1(Sub(x, ExpandAxes(m, -1))), -1)), m)
}

// EDConfig configures the energy-discrepancy loss. The zero value is the paper's
// default: t = 1, M = 4, w = 1.
type EDConfig struct {
	T            float64 `json:"t"`                      // noise variance t of the Gaussian perturbation (0: 1)
	M            int     `json:"m"`                      // contrastive samples per data point (0: 4)
	W            float64 `json:"w"`                      // stabiliser w (0: 1)
	Unstabilised bool    `json:"unstabilised,omitempty"` // w = 0: no stabilisation
}

func (c EDConfig) withDefaults() EDConfig {
	if c.T == 0 {
		c.T = 1
	}
	if c.M == 0 {
		c.M = 4
	}
	if c.W == 0 && !c.Unstabilised {
		c.W = 1
	}
	if c.Unstabilised {
		c.W = 0
	}
	return c
}

func (c EDConfig) validate() error {
	if !(c.T > 0) || math.IsInf(c.T, 0) {
		return run.Invalid("t", c.T, "ED noise variance must be positive")
	}
	if c.M < 1 {
		return run.Invalid("m", c.M, "ED needs at least 1 contrastive sample")
	}
	if c.W < 0 || math.IsNaN(c.W) {
		return run.Invalid("w", c.W, "ED stabiliser must be non-negative")
	}
	return nil
}

// EDLoss is the energy-discrepancy loss with Gaussian perturbation of the data x [n, d]
// (the noise is drawn from s's random number generator):
//
//	y_i = x_i + √t ξ_i,  x′_ij = y_i + √t ξ′_ij  (j = 1..M),
//	L = (1/n) Σ_i log( w/M + (1/M) Σ_j exp(U(x_i) − U(x′_ij)) ),
//
// the paper's w-stabilised estimator. It equals the value the paper's code computes,
// mean_i log(w + Σ_j exp(U(x_i) − U(x′_ij))), minus log M; the gradients are the same.
// It panics on an invalid configuration (see Config.Validate for checked errors).
func EDLoss(s *model.Scope, e Energy, x *Node, cfg EDConfig) *Node {
	cfg = cfg.withDefaults()
	n, d := x.Shape().Dimensions[0], x.Shape().Dimensions[1]
	g := x.Graph()
	xi := s.RandomNormal(g, shapes.Make(x.DType(), n, d))
	xij := s.RandomNormal(g, shapes.Make(x.DType(), n, cfg.M, d))
	return EDLossWithNoise(s, e, x, xi, xij, cfg)
}

// EDLossWithNoise is EDLoss with the standard normal draws given: xi [n, d] and
// xij [n, M, d].
func EDLossWithNoise(s *model.Scope, e Energy, x, xi, xij *Node, cfg EDConfig) *Node {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		panic(err.Error())
	}
	n, d := x.Shape().Dimensions[0], x.Shape().Dimensions[1]
	m := cfg.M
	sq := math.Sqrt(cfg.T)
	y := Add(x, MulScalar(xi, sq))
	xp := Add(ExpandAxes(y, 1), MulScalar(xij, sq)) // [n, M, d]
	// One pass of the energy over the data and its perturbations together.
	all := Concatenate([]*Node{x, Reshape(xp, n*m, d)}, 0)
	u := sample.Energies(s, e, all)
	pos := Slice(u, AxisRange(0, n))                    // [n]
	neg := Reshape(Slice(u, AxisRange(n, n+n*m)), n, m) // [n, M]
	val := Sub(ExpandAxes(pos, -1), neg)
	if cfg.W > 0 {
		logw := Scalar(x.Graph(), x.DType(), math.Log(cfg.W))
		val = Concatenate([]*Node{val, BroadcastToDims(Reshape(logw, 1, 1), n, 1)}, 1)
	}
	return AddScalar(ReduceAllMean(logSumExp(val)), -math.Log(float64(m)))
}

// CDConfig configures contrastive divergence. The zero value is the paper's code: K = 10
// Langevin steps of size ε = 0.01 started at the data, and the energy-magnitude
// regulariser with weight 0.3.
type CDConfig struct {
	K          int     `json:"k"`                    // Langevin steps (0: 10)
	StepSize   float64 `json:"step_size"`            // Langevin step size ε (0: 0.01)
	Reg        float64 `json:"reg"`                  // weight α of α·mean(U(x⁺)² + U(x⁻)²) (0: 0.3)
	NoReg      bool    `json:"no_reg,omitempty"`     // α = 0
	Persistent bool    `json:"persistent,omitempty"` // start chains from a replay buffer
	Buffer     int     `json:"buffer,omitempty"`     // replay buffer size, rounded up to a multiple of the batch (0: 10000)
	Reinit     float64 `json:"reinit,omitempty"`     // probability of restarting a chain from uniform noise (0: 0.05)
	NoReinit   bool    `json:"no_reinit,omitempty"`  // never restart chains
	// Box is the [lo, hi] range per dimension (lo1, hi1, lo2, hi2, ...) of the uniform
	// noise that starts persistent chains; set by Train from the data.
	Box []float64 `json:"box,omitempty"`
}

func (c CDConfig) withDefaults() CDConfig {
	if c.K == 0 {
		c.K = 10
	}
	if c.StepSize == 0 {
		c.StepSize = 0.01
	}
	if c.Reg == 0 && !c.NoReg {
		c.Reg = 0.3
	}
	if c.NoReg {
		c.Reg = 0
	}
	if c.Buffer == 0 {
		c.Buffer = 10000
	}
	if c.Reinit == 0 && !c.NoReinit {
		c.Reinit = 0.05
	}
	if c.NoReinit {
		c.Reinit = 0
	}
	return c
}

func (c CDConfig) validate() error {
	if c.K < 1 {
		return run.Invalid("k", c.K, "CD needs at least 1 Langevin step")
	}
	if !(c.StepSize > 0) || math.IsInf(c.StepSize, 0) {
		return run.Invalid("eps", c.StepSize, "Langevin step size must be positive")
	}
	if c.Reg < 0 {
		return run.Invalid("reg", c.Reg, "CD regulariser weight must be non-negative")
	}
	if c.Persistent {
		if c.Buffer < 1 {
			return run.Invalid("buffer", c.Buffer, "replay buffer size must be positive")
		}
		if c.Reinit < 0 || c.Reinit > 1 {
			return run.Invalid("reinit", c.Reinit, "re-initialisation probability must be in [0, 1]")
		}
	}
	return nil
}

// CDLoss is contrastive divergence with short-run Langevin: negatives x⁻ come from K
// unadjusted Langevin steps (unrolled in this one graph) started at the data x [n, d]
// or, if cfg.Persistent, at a block of a replay buffer (a non-trainable variable
// "/cd/buffer" of s's store, checkpointed with the model) whose chains restart from uniform noise
// on cfg.Box with probability cfg.Reinit; the final states are written back. The loss
// is mean U(x⁺) − mean U(x⁻) + α·mean(U(x⁺)² + U(x⁻)²), as in the paper's code.
func CDLoss(s *model.Scope, e Energy, x *Node, cfg CDConfig) *Node {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		panic(err.Error())
	}
	n, d := x.Shape().Dimensions[0], x.Shape().Dimensions[1]
	g := x.Graph()
	start := x
	var write func(xneg *Node)
	if cfg.Persistent {
		if len(cfg.Box) != 2*d {
			panic(fmt.Sprintf("ebm: persistent CD needs a box of %d values for %d dimensions, got %d", 2*d, d, len(cfg.Box)))
		}
		blocks := (cfg.Buffer + n - 1) / n
		lo, width := boxNodes(g, x.DType(), cfg.Box)
		uniform := func(shape shapes.Shape) *Node {
			return Add(lo, Mul(width, s.RandomUniform(g, shape)))
		}
		bs := s.Store().RootScope().In("cd")
		buf := bs.WithInitializer(func(gg *Graph, sh shapes.Shape) *Node {
			l, w := boxNodes(gg, sh.DType, cfg.Box)
			u := bs.RandomUniform(gg, shapes.Make(sh.DType, blocks*n, d))
			return Reshape(Add(l, Mul(w, u)), blocks, n, d)
		}).VariableWithShape("buffer", shapes.Make(x.DType(), blocks, n, d))
		buf.Trainable = false
		bv := buf.NodeValue(g)
		// A random block of the buffer, selected with a mask (the pure-Go backend has
		// no DynamicSlice); Where keeps the selection and the write-back exact.
		k := s.RandomIntN(g, int32(blocks), shapes.Make(dtypes.Int32))
		sel := Equal(Iota(g, shapes.Make(dtypes.Int32, blocks), 0), k)
		mask := BroadcastToDims(Reshape(sel, blocks, 1, 1), blocks, n, d)
		block := ReduceSum(Where(mask, bv, ZerosLike(bv)), 0)
		fresh := uniform(shapes.Make(x.DType(), n, d))
		restart := LessThan(s.RandomUniform(g, shapes.Make(x.DType(), n, 1)), Scalar(g, x.DType(), cfg.Reinit))
		start = Where(BroadcastToDims(restart, n, d), fresh, block)
		write = func(xneg *Node) {
			buf.SetNodeValue(Where(mask, BroadcastToDims(ExpandAxes(xneg, 0), blocks, n, d), bv))
		}
	}
	xneg := sample.Langevin(s, e, s, start, cfg.K, cfg.StepSize)
	if write != nil {
		write(xneg)
	}
	u := sample.Energies(s, e, Concatenate([]*Node{x, xneg}, 0))
	pos := Slice(u, AxisRange(0, n))
	neg := Slice(u, AxisRange(n, 2*n))
	loss := Sub(ReduceAllMean(pos), ReduceAllMean(neg))
	if cfg.Reg > 0 {
		loss = Add(loss, MulScalar(Add(ReduceAllMean(Square(pos)), ReduceAllMean(Square(neg))), cfg.Reg))
	}
	return loss
}

// boxNodes returns lo [1, d] and hi−lo [1, d] for a box lo1, hi1, lo2, hi2, ...
func boxNodes(g *Graph, dt dtypes.DType, box []float64) (lo, width *Node) {
	d := len(box) / 2
	l := make([]float64, d)
	w := make([]float64, d)
	for j := range d {
		l[j], w[j] = box[2*j], box[2*j+1]-box[2*j]
	}
	return ConvertDType(Const(g, [][]float64{l}), dt), ConvertDType(Const(g, [][]float64{w}), dt)
}

// DSMConfig configures denoising score matching. The zero value has σ = 0.1.
type DSMConfig struct {
	Sigma float64 `json:"sigma"` // noise standard deviation σ (0: 0.1)
}

func (c DSMConfig) withDefaults() DSMConfig {
	if c.Sigma == 0 {
		c.Sigma = 0.1
	}
	return c
}

func (c DSMConfig) validate() error {
	if !(c.Sigma > 0) || math.IsInf(c.Sigma, 0) {
		return run.Invalid("sigma", c.Sigma, "DSM noise σ must be positive")
	}
	return nil
}

// DSMLoss is denoising score matching (Vincent 2011) with Gaussian noise of standard
// deviation σ: x̃ = x + σξ and L = (1/n) Σ_i ½‖−∇U(x̃_i) + ξ_i/σ‖², the model score
// −∇U matched to the score of the noising kernel, −(x̃−x)/σ². Its minimiser is the
// data density convolved with N(0, σ²I).
func DSMLoss(s *model.Scope, e Energy, x *Node, cfg DSMConfig) *Node {
	xi := s.RandomNormal(x.Graph(), x.Shape())
	return DSMLossWithNoise(s, e, x, xi, cfg)
}

// DSMLossWithNoise is DSMLoss with the standard normal draws xi [n, d] given.
func DSMLossWithNoise(s *model.Scope, e Energy, x, xi *Node, cfg DSMConfig) *Node {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		panic(err.Error())
	}
	xt := Add(x, MulScalar(xi, cfg.Sigma))
	gu := Grad(s, e, xt)
	r := Add(Neg(gu), MulScalar(xi, 1/cfg.Sigma))
	return MulScalar(ReduceAllMean(ReduceSum(Square(r), -1)), 0.5)
}

// SSMConfig configures sliced score matching. The zero value uses one projection.
type SSMConfig struct {
	Projections int `json:"projections"` // random projections per point (0: 1)
}

// SSMLoss is sliced score matching with variance reduction (SSM-VR, Song et al. 2019):
// with the model score s(x) = −∇U(x) and v ~ N(0, I),
// L = (1/n) Σ_i [ ½‖s(x_i)‖² + vᵀ∇ₓ(vᵀs(x_i)) ], averaged over the projections. The
// second term is a gradient of a gradient; training differentiates it once more.
func SSMLoss(s *model.Scope, e Energy, x *Node, cfg SSMConfig) *Node {
	p := max(cfg.Projections, 1)
	n, d := x.Shape().Dimensions[0], x.Shape().Dimensions[1]
	v := s.RandomNormal(x.Graph(), shapes.Make(x.DType(), p, n, d))
	return SSMLossWithProjections(s, e, x, v)
}

// SSMLossWithProjections is SSMLoss with the projections v [p, n, d] given.
func SSMLossWithProjections(s *model.Scope, e Energy, x, v *Node) *Node {
	p := v.Shape().Dimensions[0]
	xs := Identity(StopGradient(x))
	u := sample.Energies(s, e, xs)
	sc := Neg(Gradient(ReduceAllSum(u), xs)[0]) // [n, d]
	loss := MulScalar(ReduceAllMean(ReduceSum(Square(sc), -1)), 0.5)
	for k := range p {
		vk := Reshape(Slice(v, AxisElem(k)), sc.Shape().Dimensions...)
		jv := Gradient(ReduceAllSum(Mul(vk, sc)), xs)[0] // ∇ₓ(vᵀs) [n, d]
		loss = Add(loss, MulScalar(ReduceAllMean(ReduceSum(Mul(vk, jv), -1)), 1/float64(p)))
	}
	return loss
}

// SMLoss is exact score matching (Hyvärinen 2005), the paper's baseline:
// L = (1/n) Σ_i [ ½‖∇U(x_i)‖² − ΔU(x_i) ], with the Laplacian from d second
// derivatives (one gradient of a gradient per dimension).
func SMLoss(s *model.Scope, e Energy, x *Node) *Node {
	d := x.Shape().Dimensions[1]
	xs := Identity(StopGradient(x))
	u := sample.Energies(s, e, xs)
	gu := Gradient(ReduceAllSum(u), xs)[0]
	loss := MulScalar(ReduceAllMean(ReduceSum(Square(gu), -1)), 0.5)
	for i := range d {
		hi := Gradient(ReduceAllSum(Slice(gu, AxisRange(), AxisElem(i))), xs)[0]
		loss = Sub(loss, ReduceAllMean(Slice(hi, AxisRange(), AxisElem(i))))
	}
	return loss
}

// MLELoss is maximum likelihood with the partition function integrated on a grid
// (2-D only, the gold reference): L = (1/n) Σ_i U(x_i) + log Z, with
// log Z = log Σ_k exp(−U(c_k)) + log(cell area) over the cell centres c_k of grid.
func MLELoss(s *model.Scope, e Energy, x *Node, grid Grid) *Node {
	if x.Shape().Dimensions[1] != 2 {
		panic(fmt.Sprintf("ebm: MLE on a grid needs 2-D data, got %s", x.Shape()))
	}
	if err := grid.validate(); err != nil {
		panic(err.Error())
	}
	g := x.Graph()
	pts := ConvertDType(Const(g, grid.centres()), x.DType())
	n := x.Shape().Dimensions[0]
	u := sample.Energies(s, e, Concatenate([]*Node{x, pts}, 0))
	pos := Slice(u, AxisRange(0, n))
	ug := Slice(u, AxisRange(n, n+grid.N*grid.N))
	logZ := AddScalar(logSumExp(ExpandAxes(Neg(ug), 0)), math.Log(grid.CellArea()))
	return Add(ReduceAllMean(pos), Reshape(logZ))
}
