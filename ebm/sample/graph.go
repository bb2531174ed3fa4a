package sample

import (
	"fmt"

	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// Energy maps a batch of points x [n, d] to one energy each, [n] (or [n, 1]), inside a
// GoMLX graph. It may create or use variables in s, such as the weights of a trained
// network. Samplers and losses call it several times per graph (through Energies,
// which clears the scope's visited sub-scopes first), so it must reuse its variables.
type Energy func(s *model.Scope, x *Node) *Node

// RNG draws random numbers inside a graph. *model.Store and *model.Scope satisfy it
// (their draws advance the store's checkpointed RNG state).
type RNG interface {
	RandomNormal(g *Graph, shape shapes.Shape) *Node
	RandomUniform(g *Graph, shape shapes.Shape) *Node
}

// StateRNG is an RNG that carries its own state node (see graph.RNGStateFromSeed);
// after drawing, State holds the advanced state to return from the graph.
type StateRNG struct{ State *Node }

// RandomNormal implements RNG.
func (r *StateRNG) RandomNormal(g *Graph, shape shapes.Shape) *Node {
	var v *Node
	r.State, v = RandomNormal(r.State, shape)
	return v
}

// RandomUniform implements RNG.
func (r *StateRNG) RandomUniform(g *Graph, shape shapes.Shape) *Node {
	var v *Node
	r.State, v = RandomUniform(r.State, shape)
	return v
}

// Energies evaluates e at x [n, d] and returns the energies as a vector [n]. It
// panics (a programmer error) if e returns another shape.
func Energies(s *model.Scope, e Energy, x *Node) *Node {
	n := x.Shape().Dimensions[0]
	u := e(s.ResetVisited(), x) // energies are called many times per graph
	switch {
	case u.Rank() == 1 && u.Shape().Dimensions[0] == n:
		return u
	case u.Rank() == 2 && u.Shape().Dimensions[0] == n && u.Shape().Dimensions[1] == 1:
		return Reshape(u, n)
	}
	panic(fmt.Sprintf("sample: energy of x %s returned %s; want [%d] or [%d, 1]", x.Shape(), u.Shape(), n, n))
}

// EnergyGrad returns U(x) [n] and ∇ₓU(x) [n, d]. The point x is detached
// (StopGradient) first, so the gradient is the energy's own input gradient; the result
// still depends on the energy's parameters, so it can enter a loss (score matching).
func EnergyGrad(s *model.Scope, e Energy, x *Node) (u, grad *Node) {
	xs := Identity(StopGradient(x)) // a gradient w.r.t. the StopGradient node itself would be zero
	u = Energies(s, e, xs)
	grad = Gradient(ReduceAllSum(u), xs)[0]
	return u, grad
}

// State is a batch of chain states with their energies and energy gradients.
type State struct {
	X, U, Grad *Node // [n, d], [n], [n, d]
}

// NewState evaluates U and ∇U at x.
func NewState(s *model.Scope, e Energy, x *Node) State {
	u, g := EnergyGrad(s, e, x)
	return State{X: x, U: u, Grad: g}
}

func scalarLike(x *Node, v float64) *Node { return Scalar(x.Graph(), x.DType(), v) }

// ULAStep is one unadjusted Langevin step x′ = x − (ε/2)∇U(x) + √ε ξ; eps is a scalar
// node of x's dtype (or a float64 constant via Scalar).
func ULAStep(s *model.Scope, e Energy, rng RNG, x, eps *Node) *Node {
	_, g := EnergyGrad(s, e, x)
	xi := rng.RandomNormal(x.Graph(), x.Shape())
	return Add(Sub(x, Mul(MulScalar(eps, 0.5), g)), Mul(Sqrt(eps), xi))
}

// Langevin runs k unadjusted Langevin steps of size eps from x inside the graph (the
// steps are unrolled) and returns the final points, detached from the graph's
// gradients (StopGradient), as contrastive divergence needs.
func Langevin(s *model.Scope, e Energy, rng RNG, x *Node, k int, eps float64) *Node {
	if k < 0 || eps <= 0 {
		panic(fmt.Sprintf("sample: Langevin with %d steps of size %g", k, eps))
	}
	ep := scalarLike(x, eps)
	for range k {
		x = ULAStep(s, e, rng, x, ep)
	}
	return StopGradient(x)
}

// sqNorm returns Σ_j v[:, j]² as [n].
func sqNorm(v *Node) *Node { return ReduceSum(Square(v), -1) }

// MALAStep is one Metropolis-adjusted Langevin step from st with step size eps. It
// returns the new state and a [n] vector of 1 (accepted) / 0 (rejected).
func MALAStep(s *model.Scope, e Energy, rng RNG, st State, eps *Node) (State, *Node) {
	g := st.X.Graph()
	half := MulScalar(eps, 0.5)
	xi := rng.RandomNormal(g, st.X.Shape())
	y := Add(Sub(st.X, Mul(half, st.Grad)), Mul(Sqrt(eps), xi))
	ny := NewState(s, e, y)
	// log q(y|x) = −|y − x + (ε/2)∇U(x)|²/(2ε); log q(x|y) likewise.
	inv2eps := Inverse(MulScalar(eps, 2))
	logqYX := Neg(Mul(sqNorm(Add(Sub(y, st.X), Mul(half, st.Grad))), inv2eps))
	logqXY := Neg(Mul(sqNorm(Add(Sub(st.X, y), Mul(half, ny.Grad))), inv2eps))
	logA := Add(Sub(st.U, ny.U), Sub(logqXY, logqYX))
	return accept(rng, st, ny, logA)
}

// accept keeps proposal ny where log u < logA (u uniform), else st.
func accept(rng RNG, st, ny State, logA *Node) (State, *Node) {
	g := st.X.Graph()
	u := rng.RandomUniform(g, logA.Shape())
	ok := LessThan(Log(u), logA) // false when logA is NaN: rejected
	okX := BroadcastToDims(ExpandAxes(ok, -1), st.X.Shape().Dimensions...)
	next := State{
		X:    Where(okX, ny.X, st.X),
		U:    Where(ok, ny.U, st.U),
		Grad: Where(okX, ny.Grad, st.Grad),
	}
	return next, ConvertDType(ok, st.X.DType())
}

// HMCStep is one Hamiltonian Monte Carlo step from st: a fresh unit-variance momentum,
// leapfrog leapfrog steps of size eps, and a Metropolis test on H = U + |p|²/2. It
// returns the new state and a [n] vector of acceptances.
func HMCStep(s *model.Scope, e Energy, rng RNG, st State, eps *Node, leapfrog int) (State, *Node) {
	if leapfrog < 1 {
		panic(fmt.Sprintf("sample: HMC with %d leapfrog steps", leapfrog))
	}
	g := st.X.Graph()
	p0 := rng.RandomNormal(g, st.X.Shape())
	half := MulScalar(eps, 0.5)
	p := Sub(p0, Mul(half, st.Grad))
	ny := st
	for l := 1; l <= leapfrog; l++ {
		x := Add(ny.X, Mul(eps, p))
		ny = NewState(s, e, x)
		if l < leapfrog {
			p = Sub(p, Mul(eps, ny.Grad))
		} else {
			p = Sub(p, Mul(half, ny.Grad))
		}
	}
	h0 := Add(st.U, MulScalar(sqNorm(p0), 0.5))
	h1 := Add(ny.U, MulScalar(sqNorm(p), 0.5))
	return accept(rng, st, ny, Sub(h0, h1))
}
