package ebm

import (
	"fmt"
	"github.com/ergml/erg/run"
	"math"

	"github.com/ergml/erg/ebm/sample"
	"github.com/ergml/erg/nn"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// Energy maps a batch of points x [n, d] to one energy each, [n], inside a GoMLX graph;
// its variables live in the scope it is given. The model density is p(x) ∝ exp(−U(x)).
// Any GoMLX function of this form works with the losses and samplers.
type Energy = sample.Energy

// Grad returns ∇ₓU(x) [n, d] for every point of x [n, d]: the negative score. The
// result depends on the energy's parameters, so losses can be built on it (score
// matching) and differentiated again.
func Grad(s *model.Scope, e Energy, x *Node) *Node {
	_, g := sample.EnergyGrad(s, e, x)
	return g
}

// MLPConfig configures MLP. The zero value is the energy-discrepancy paper's toy network:
// four hidden layers of 128 softplus units (PyTorch's default initialisation).
type MLPConfig struct {
	Hidden     []int  `json:"hidden"`     // hidden layer sizes (nil: 128, 128, 128, 128)
	Activation string `json:"activation"` // see nn.Activate ("": softplus)
}

func (c MLPConfig) withDefaults() MLPConfig {
	if c.Hidden == nil {
		c.Hidden = []int{128, 128, 128, 128}
	}
	if c.Activation == "" {
		c.Activation = "softplus"
	}
	return c
}

func (c MLPConfig) validate() error {
	for _, h := range c.Hidden {
		if h <= 0 {
			return run.Invalid("hidden", c.Hidden, "layer size %d must be positive", h)
		}
	}
	switch c.Activation {
	case "relu", "tanh", "sigmoid", "softplus", "swish", "silu", "gelu", "elu", "leaky_relu":
		return nil
	}
	return run.Invalid("activation", c.Activation, "unknown activation (have relu, tanh, sigmoid, softplus, swish, silu, gelu, elu, leaky_relu)")
}

// MLP returns the energy U(x) = MLP(x): dense layers of sizes cfg.Hidden (PyTorch's
// initialisation, variables "weights" [in, out] and "biases" in sub-scopes "dense_i"),
// each followed by cfg.Activation, and one linear output unit.
func MLP(cfg MLPConfig) Energy {
	cfg = cfg.withDefaults()
	return func(s *model.Scope, x *Node) *Node {
		h := x
		for i, n := range cfg.Hidden {
			h = dense(s.In("dense_%d", i), h, n)
			if cfg.Activation == "softplus" {
				h = FastSoftplus(h)
			} else {
				h = nn.Activate(cfg.Activation, h)
			}
		}
		u := dense(s.In("dense_%d", len(cfg.Hidden)), h, 1)
		return Reshape(u, x.Shape().Dimensions[0])
	}
}

// FastSoftplus is log(1 + eˣ) = max(x, 0) + log(1 + e), e = exp(−|x|), with its
// derivative given directly as the logistic function σ(x) = [1 or e]/(1 + e);
// derivatives of every order work (score matching). Autodiff of the formula would
// add several element-wise passes over every hidden layer (and GoMLX's Softplus uses
// Log1p, scalar Go in the pure-Go backend, where Exp and Log are vectorised).
func FastSoftplus(x *Node) *Node {
	if x.Rank() != 2 {
		panic(fmt.Sprintf("ebm: FastSoftplus needs [n, k] pre-activations, got %s", x.Shape()))
	}
	var e, ope *Node // e^−|x| and 1 + e^−|x|, computed without gradients
	return withVJP([]*Node{x}, func(in []*Node) *Node {
		xi := in[0]
		e = Exp(Neg(Abs(StopGradient(xi))))
		ope = AddScalar(e, 1)
		return Add(MaxScalar(xi, 0.0), Log(ope))
	}, func(v *Node, in []*Node) []*Node {
		x := in[0]
		sig := Div(Where(GreaterOrEqual(x, ZerosLike(x)), OnesLike(e), e), ope)
		return []*Node{Mul(v, logistic(x, sig))}
	})
}

// logistic returns σ(x) with the value s (computed without gradients) and the
// derivative σ(1 − σ) given directly (itself differentiable).
func logistic(x, s *Node) *Node {
	var out *Node
	out = withVJP([]*Node{x}, func(in []*Node) *Node {
		// + 0·x: withVJP's custom gradient is reached only through a differentiable
		// path from its input to its output.
		return Add(s, MulScalar(in[0], 0.0))
	}, func(v *Node, _ []*Node) []*Node {
		return []*Node{Mul(v, Mul(out, OneMinus(out)))}
	})
	return out
}

// withValue returns a node with the value val (computed without gradients) and the
// derivative with respect to z of dval(out)·(d/dz), out being the returned node:
// for val = f(z) with f′ = dval(f), derivatives of every order are right.
func withValue(val, z *Node, dval func(out *Node) *Node) *Node {
	var out *Node
	g := IdentityWithCustomGradient(z, func(_, v *Node) *Node { return Mul(v, dval(out)) })
	out = Add(StopGradient(val), Sub(g, StopGradient(g)))
	return out
}

// expm1p1 is eˣ computed as expm1(x) + 1 (exact to float64 rounding, ~1e-16 absolute,
// which is what the callers need: arguments ≤ 0 whose tiny results are added to 1).
// (It dates from when the pure-Go backend's Exp was slow, see third_party/README.md;
// it is used on small [n] tensors only.)
// Its derivative (GoMLX defines none for Expm1) is the result itself, so derivatives
// of every order work.
func expm1p1(x *Node) *Node {
	return withValue(AddScalar(Expm1(StopGradient(x)), 1), x, func(out *Node) *Node { return out })
}

// Quadratic returns the Gaussian energy U(x) = ½(x−μ)ᵀAᵀA(x−μ) in d dimensions, with
// variables "a" [d, d] (initialised to the identity) and "mu" [d] (zeros) in its
// scope. Its density is N(μ, (AᵀA)⁻¹); QuadraticCov reads the covariance back.
func Quadratic(d int) Energy {
	return func(s *model.Scope, x *Node) *Node {
		dt := x.DType()
		a := s.WithInitializer(func(g *Graph, sh shapes.Shape) *Node {
			return ConvertDType(Const(g, identity(d)), dt)
		}).VariableWithShape("a", shapes.Make(dt, d, d)).NodeValue(x.Graph())
		mu := s.WithInitializer(func(g *Graph, sh shapes.Shape) *Node { return Zeros(g, sh) }).
			VariableWithShape("mu", shapes.Make(dt, d)).NodeValue(x.Graph())
		z := Dot(Sub(x, ExpandAxes(mu, 0)), Transpose(a, 0, 1)).Product() // rows (A(x−μ))ᵀ
		return MulScalar(ReduceSum(Square(z), -1), 0.5)
	}
}

func identity(d int) [][]float64 {
	m := make([][]float64, d)
	for i := range m {
		m[i] = make([]float64, d)
		m[i][i] = 1
	}
	return m
}

// QuadraticCov returns the covariance (AᵀA)⁻¹ (row-major d×d) of a Quadratic energy
// with matrix a (row-major d×d), by Gauss–Jordan elimination.
func QuadraticCov(a []float64, d int) []float64 {
	p := make([]float64, d*d)
	for i := range d {
		for j := range d {
			for k := range d {
				p[i*d+j] += a[k*d+i] * a[k*d+j]
			}
		}
	}
	return invert(p, d)
}

func invert(m []float64, d int) []float64 {
	a := append([]float64(nil), m...)
	inv := make([]float64, d*d)
	for i := range d {
		inv[i*d+i] = 1
	}
	for c := range d {
		p := c
		for r := c + 1; r < d; r++ {
			if math.Abs(a[r*d+c]) > math.Abs(a[p*d+c]) {
				p = r
			}
		}
		for k := range d {
			a[c*d+k], a[p*d+k] = a[p*d+k], a[c*d+k]
			inv[c*d+k], inv[p*d+k] = inv[p*d+k], inv[c*d+k]
		}
		piv := a[c*d+c]
		for k := range d {
			a[c*d+k] /= piv
			inv[c*d+k] /= piv
		}
		for r := range d {
			if r == c {
				continue
			}
			f := a[r*d+c]
			for k := range d {
				a[r*d+k] -= f * a[c*d+k]
				inv[r*d+k] -= f * inv[c*d+k]
			}
		}
	}
	return inv
}
