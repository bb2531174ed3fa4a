package nn

import (
	"fmt"
	"math"

	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// GRUConfig configures GRUCell and GRU. Hidden is required.
type GRUConfig struct {
	Hidden int // size of the hidden state
	// Init selects the initialiser: GlorotUniform (the zero value) draws both weight
	// matrices Glorot-uniform with zero biases (Keras uses an orthogonal recurrent
	// matrix instead); KaimingUniform draws all weights and biases from
	// U(-1/sqrt(Hidden), 1/sqrt(Hidden)), PyTorch's nn.GRU rule.
	Init Init
}

// gruWeights returns the GRU variables of scope s for input size in:
// w_ih [in, 3H], w_hh [H, 3H], b_ih [3H], b_hh [3H], gates in PyTorch's order r, z, n.
func gruWeights(s *model.Scope, g *Graph, dt shapes.Shape, in int, cfg GRUConfig) (wih, whh, bih, bhh *Node) {
	h := cfg.Hidden
	if h <= 0 {
		panic(fmt.Sprintf("nn: GRU hidden size %d must be positive", h))
	}
	var bi, bh, bb float64
	switch cfg.Init {
	case GlorotUniform:
		bi, bh = GlorotUniform.weightBound(in, 3*h), GlorotUniform.weightBound(h, 3*h)
	case KaimingUniform:
		bi = 1 / math.Sqrt(float64(h))
		bh, bb = bi, bi
	default:
		panic(fmt.Sprintf("nn: unknown initialiser %d", int(cfg.Init)))
	}
	d := dt.DType
	wih = uniformVar(s, "w_ih", shapes.Make(d, in, 3*h), bi).NodeValue(g)
	whh = uniformVar(s, "w_hh", shapes.Make(d, h, 3*h), bh).NodeValue(g)
	bih = uniformVar(s, "b_ih", shapes.Make(d, 3*h), bb).NodeValue(g)
	bhh = uniformVar(s, "b_hh", shapes.Make(d, 3*h), bb).NodeValue(g)
	return
}

// gruStep advances the hidden state h [batch, H] given the input projection
// gi = x·w_ih + b_ih [batch, 3H]:
//
//	r = σ(gi_r + gh_r), z = σ(gi_z + gh_z), n = tanh(gi_n + r ⊙ gh_n),
//	h' = (1 - z) ⊙ n + z ⊙ h,  with gh = h·w_hh + b_hh.
func gruStep(gi, h, whh, bhh *Node, hidden int) *Node {
	gh := Add(matMul(h, whh, false), ExpandAxes(bhh, 0))
	part := func(x *Node, i int) *Node {
		return Slice(x, AxisRange(), AxisRange(i*hidden, (i+1)*hidden))
	}
	r := Sigmoid(Add(part(gi, 0), part(gh, 0)))
	z := Sigmoid(Add(part(gi, 1), part(gh, 1)))
	n := Tanh(Add(part(gi, 2), Mul(r, part(gh, 2))))
	return Add(n, Mul(z, Sub(h, n))) // (1-z)n + zh
}

// GRUCell is one step of a gated recurrent unit (Cho et al. 2014) with PyTorch's
// gate convention (nn.GRUCell): given input x [batch, in] and state h [batch,
// cfg.Hidden] it returns the next state. The variables "w_ih" [in, 3H], "w_hh"
// [H, 3H], "b_ih" and "b_hh" [3H] (gates r, z, n; PyTorch's weight_ih transposed)
// live in scope s.
func GRUCell(s *model.Scope, x, h *Node, cfg GRUConfig) *Node {
	if x.Rank() != 2 || h.Rank() != 2 || h.Shape().Dimensions[1] != cfg.Hidden {
		panic(fmt.Sprintf("nn: GRUCell needs x [batch, in] and h [batch, %d], got %s and %s", cfg.Hidden, x.Shape(), h.Shape()))
	}
	wih, whh, bih, bhh := gruWeights(s, x.Graph(), x.Shape(), x.Shape().Dimensions[1], cfg)
	gi := Add(matMul(x, wih, false), ExpandAxes(bih, 0))
	return gruStep(gi, h, whh, bhh, cfg.Hidden)
}

// GRU runs a GRUCell (same variables, in scope s) over x [batch, time, in] from the
// state h0 [batch, Hidden] (nil for zeros), and returns the states at every step
// [batch, time, Hidden] and the last one [batch, Hidden]. The input projections of
// all steps are one matrix product; the loop over time is unrolled in the graph.
//
// If mask [batch, time] (boolean or 0/1) is not nil, a step where it is false/0
// keeps the previous state (its output repeats it), for padded sequences.
func GRU(s *model.Scope, x, h0, mask *Node, cfg GRUConfig) (outputs, last *Node) {
	if x.Rank() != 3 {
		panic(fmt.Sprintf("nn: GRU input must be [batch, time, features], got %s", x.Shape()))
	}
	dims := x.Shape().Dimensions
	batch, steps, in := dims[0], dims[1], dims[2]
	g := x.Graph()
	wih, whh, bih, bhh := gruWeights(s, g, x.Shape(), in, cfg)
	hd := cfg.Hidden
	gi := Add(matMul(Reshape(x, batch*steps, in), wih, false), ExpandAxes(bih, 0))
	gi = Reshape(gi, batch, steps, 3*hd)
	h := h0
	if h == nil {
		h = Zeros(g, shapes.Make(x.DType(), batch, hd))
	}
	var m *Node
	if mask != nil {
		if md := mask.Shape().Dimensions; len(md) != 2 || md[0] != batch || md[1] != steps {
			panic(fmt.Sprintf("nn: GRU mask %s does not match input %s", mask.Shape(), x.Shape()))
		}
		m = StopGradient(ConvertDType(mask, x.DType()))
	}
	outs := make([]*Node, steps)
	for t := range steps {
		git := Reshape(Slice(gi, AxisRange(), AxisElem(t), AxisRange()), batch, 3*hd)
		hn := gruStep(git, h, whh, bhh, hd)
		if m != nil {
			mt := Reshape(Slice(m, AxisRange(), AxisElem(t)), batch, 1)
			hn = Add(h, Mul(mt, Sub(hn, h)))
		}
		h = hn
		outs[t] = h
	}
	return Stack(outs, 1), h
}
