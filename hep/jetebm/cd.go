package jetebm

import (
	"fmt"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/ergml/erg/run"
)

// CD configures contrastive divergence. Zero values are the paper's/issue's settings.
type CD struct {
	K         int     `json:"k"`          // Langevin steps per training step (0: 24)
	StepSize  float64 `json:"step_size"`  // ε of x ← x + N(0,σ²) − ε∇E (0: 0.1)
	Noise     float64 `json:"noise"`      // Langevin noise σ (0: 0.005)
	DataNoise float64 `json:"data_noise"` // noise σ added to data (0: 0.005)
	Alpha     float64 `json:"alpha"`      // weight of α·mean(E⁺² + E⁻²) (0: 0.1)
	Buffer    int     `json:"buffer"`     // replay buffer size, rounded up to whole batches (0: 10000)
	Reinit    float64 `json:"reinit"`     // fraction of chains re-initialised (0: 0.05)
}

func (c CD) withDefaults() CD {
	if c.K == 0 {
		c.K = 24
	}
	if c.StepSize == 0 {
		c.StepSize = 0.1
	}
	if c.Noise == 0 {
		c.Noise = 0.005
	}
	if c.DataNoise == 0 {
		c.DataNoise = 0.005
	}
	if c.Alpha == 0 {
		c.Alpha = 0.1
	}
	if c.Buffer == 0 {
		c.Buffer = 10000
	}
	if c.Reinit == 0 {
		c.Reinit = 0.05
	}
	return c
}

func (c CD) validate() error {
	switch {
	case c.K < 1:
		return run.Invalid("k", c.K, "must be at least 1")
	case !(c.StepSize > 0):
		return run.Invalid("step-size", c.StepSize, "must be positive")
	case !(c.Noise >= 0):
		return run.Invalid("noise", c.Noise, "must be non-negative")
	case !(c.DataNoise >= 0):
		return run.Invalid("data-noise", c.DataNoise, "must be non-negative")
	case !(c.Alpha >= 0):
		return run.Invalid("alpha", c.Alpha, "must be non-negative")
	case c.Buffer < 1:
		return run.Invalid("buffer", c.Buffer, "must be positive")
	case !(c.Reinit >= 0 && c.Reinit <= 1):
		return run.Invalid("reinit", c.Reinit, "must be in [0, 1]")
	}
	return nil
}

// Init means and standard deviations of (log pT, Δη, Δφ) for fresh chains (the paper's
// random_sample).
var (
	InitMean = [3]float64{2, 0, 0}
	InitStd  = [3]float64{1, 0.1, 0.2}
)

// initNoise returns fresh chains [n, D] from the Gaussian init.
func initNoise(s *model.Scope, g *Graph, dt dtypes.DType, n int) *Node {
	z := s.RandomNormal(g, shapes.Make(dt, n, D/3, 3))
	mean := Const(g, []float32{float32(InitMean[0]), float32(InitMean[1]), float32(InitMean[2])})
	std := Const(g, []float32{float32(InitStd[0]), float32(InitStd[1]), float32(InitStd[2])})
	x := Add(Mul(z, Reshape(ConvertDType(std, dt), 1, 1, 3)), Reshape(ConvertDType(mean, dt), 1, 1, 3))
	return Reshape(x, n, D)
}

// EnergyFunc is an energy E(x) [n] of jets x [n, D].
type EnergyFunc func(s *model.Scope, x *Node) *Node

// Grad returns ∇ₓ ΣE(x), without gradients flowing to parameters through x.
func Grad(s *model.Scope, e EnergyFunc, x *Node) *Node {
	xs := Identity(StopGradient(x)) // a gradient w.r.t. the StopGradient node itself is zero
	return Gradient(ReduceAllSum(e(s.ResetVisited(), xs)), xs)[0]
}

// Langevin runs k steps x ← x + N(0, σ²) − ε∇E(x) (the paper's sampler) and returns the
// final state with its gradient stopped.
func Langevin(s *model.Scope, e EnergyFunc, x *Node, k int, eps, sigma float64) *Node {
	for range k {
		if sigma > 0 {
			x = Add(x, MulScalar(s.RandomNormal(x.Graph(), x.Shape()), sigma))
		}
		x = Sub(x, MulScalar(Grad(s, e, x), eps))
	}
	return StopGradient(x)
}

// CDLoss is the contrastive-divergence loss for a batch of jets x [n, D] with a
// persistent replay buffer (non-trainable variable "/cd/buffer" [blocks, n, D],
// checkpointed with the model). It also returns E⁺ and E⁻ means for logging.
func CDLoss(s *model.Scope, e EnergyFunc, x *Node, c CD) (loss, ePos, eNeg *Node) {
	c = c.withDefaults()
	if err := c.validate(); err != nil {
		panic("jetebm: " + err.Error())
	}
	n := x.Shape().Dimensions[0]
	if x.Shape().Dimensions[1] != D {
		panic(fmt.Sprintf("jetebm: CDLoss wants jets [n, %d], got %s", D, x.Shape()))
	}
	g, dt := x.Graph(), x.DType()
	blocks := (c.Buffer + n - 1) / n
	bs := s.Store().RootScope().In("cd")
	buf := bs.WithInitializer(func(gg *Graph, sh shapes.Shape) *Node {
		return Reshape(initNoise(bs, gg, sh.DType, blocks*n), blocks, n, D)
	}).VariableWithShape("buffer", shapes.Make(dt, blocks, n, D))
	buf.Trainable = false
	bv := buf.NodeValue(g)
	k := s.RandomIntN(g, int32(blocks), shapes.Make(dtypes.Int32))
	sel := Equal(Iota(g, shapes.Make(dtypes.Int32, blocks), 0), k)
	mask := BroadcastToDims(Reshape(sel, blocks, 1, 1), blocks, n, D)
	block := ReduceSum(Where(mask, bv, ZerosLike(bv)), 0)
	restart := LessThan(s.RandomUniform(g, shapes.Make(dt, n, 1)), Scalar(g, dt, c.Reinit))
	start := Where(BroadcastToDims(restart, n, D), initNoise(s, g, dt, n), block)
	xneg := Langevin(s, e, start, c.K, c.StepSize, c.Noise)
	buf.SetNodeValue(Where(mask, BroadcastToDims(ExpandAxes(xneg, 0), blocks, n, D), bv))
	xpos := x
	if c.DataNoise > 0 {
		xpos = Add(x, MulScalar(s.RandomNormal(g, x.Shape()), c.DataNoise))
	}
	u := e(s.ResetVisited(), Concatenate([]*Node{xpos, xneg}, 0))
	pos := Slice(u, AxisRange(0, n))
	neg := Slice(u, AxisRange(n, 2*n))
	ePos, eNeg = ReduceAllMean(pos), ReduceAllMean(neg)
	loss = Sub(ePos, eNeg)
	if c.Alpha > 0 {
		loss = Add(loss, MulScalar(Add(ReduceAllMean(Square(pos)), ReduceAllMean(Square(neg))), c.Alpha))
	}
	return loss, ePos, eNeg
}
