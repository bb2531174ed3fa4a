package graphrnn

import (
	"fmt"

	"github.com/ergml/erg/nn"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// Model kinds.
const (
	KindS   = "graphrnn-s" // GraphRNN-S: graph-level GRU, MLP edge output (GraphRNN_MLP)
	KindRNN = "graphrnn"   // GraphRNN: graph-level GRU, edge-level GRU (GraphRNN_RNN)
)

// Kinds lists the model kinds.
var Kinds = []string{KindS, KindRNN}

// Arch is a network's architecture (GraphRNN's args.py), saved in a run's
// model.json.
type Arch struct {
	Kind       string `json:"kind"`             // KindS or KindRNN
	MaxPrev    int    `json:"max_prev_node"`    // M: length of the adjacency vectors
	MaxNodes   int    `json:"max_num_node"`     // largest training graph: sequences are padded to it and sampling stops there
	Hidden     int    `json:"hidden"`           // graph-level GRU state (hidden_size_rnn: 128, 64 on small sets)
	Embed      int    `json:"embedding"`        // graph-level input embedding (embedding_size_rnn: 64, 32 on small sets)
	OutEmbed   int    `json:"output_embedding"` // GraphRNN-S output MLP width (embedding_size_output: 64, 32 on small sets)
	EdgeHidden int    `json:"edge_hidden"`      // GraphRNN edge-level GRU state (hidden_size_rnn_output: 16)
	EdgeEmbed  int    `json:"edge_embedding"`   // GraphRNN edge-level input embedding (embedding_size_rnn_output: 8)
	Layers     int    `json:"layers"`           // stacked GRU layers of both RNNs (num_layers: 4)
}

// DefaultArch returns GraphRNN's architecture for kind with max_prev_node m
// and at most maxNodes nodes; small halves the graph-level sizes, as
// GraphRNN's parameter_shrink for sets named *small*.
func DefaultArch(kind string, m, maxNodes int, small bool) Arch {
	a := Arch{Kind: kind, MaxPrev: m, MaxNodes: maxNodes, Hidden: 128, Embed: 64, OutEmbed: 64, EdgeHidden: 16, EdgeEmbed: 8, Layers: 4}
	if small {
		a.Hidden, a.Embed, a.OutEmbed = 64, 32, 32
	}
	return a
}

// Validate checks the architecture; errors name the model.json field.
func (a Arch) Validate() error {
	switch {
	case a.Kind != KindS && a.Kind != KindRNN:
		return fmt.Errorf("graphrnn: kind %q: want %s or %s", a.Kind, KindS, KindRNN)
	case a.MaxPrev <= 0:
		return fmt.Errorf("graphrnn: max_prev_node %d must be positive", a.MaxPrev)
	case a.MaxNodes < 2:
		return fmt.Errorf("graphrnn: max_num_node %d must be at least 2", a.MaxNodes)
	case a.Hidden <= 0 || a.Embed <= 0 || a.Layers <= 0:
		return fmt.Errorf("graphrnn: hidden %d, embedding %d and layers %d must be positive", a.Hidden, a.Embed, a.Layers)
	case a.Kind == KindS && a.OutEmbed <= 0:
		return fmt.Errorf("graphrnn: output_embedding %d must be positive", a.OutEmbed)
	case a.Kind == KindRNN && (a.EdgeHidden <= 0 || a.EdgeEmbed <= 0):
		return fmt.Errorf("graphrnn: edge_hidden %d and edge_embedding %d must be positive", a.EdgeHidden, a.EdgeEmbed)
	}
	return nil
}

// EdgeSteps is the length of the edge-level sequences: min(MaxNodes, MaxPrev)
// (row t of a graph has min(t+1, MaxPrev) possible earlier neighbours).
func (a Arch) EdgeSteps() int { return min(a.MaxNodes, a.MaxPrev) }

// BCEWithLogits is the binary cross-entropy of Bernoulli logits z against
// targets y, elementwise: max(z,0) − z·y + log(1+e^−|z|).
func BCEWithLogits(z, y *Node) *Node {
	return Add(Sub(Max(z, ZerosLike(z)), Mul(z, y)), Log1p(Exp(Neg(Abs(z)))))
}

// rnn is GRU_plain without its output head: a dense input embedding with a
// ReLU, then Layers stacked GRU cells, their variables in the scopes
// "<prefix>input" and "<prefix>gru_<l>" of s.
type rnn struct {
	embed  *model.Scope
	layers []*model.Scope
	cfg    nn.GRUConfig
	width  int
}

func newRNN(s *model.Scope, prefix string, embed, hidden, layers int) *rnn {
	r := &rnn{embed: s.In("%sinput", prefix), cfg: nn.GRUConfig{Hidden: hidden}, width: embed}
	for l := range layers {
		r.layers = append(r.layers, s.In("%sgru_%d", prefix, l))
	}
	return r
}

// step advances the states hs (one [batch, hidden] per layer) by the input x
// [batch, in] and returns the top layer's new state.
func (r *rnn) step(x *Node, hs []*Node) *Node {
	in := nn.ReLU(nn.Dense(r.embed, x, r.width))
	for l, sc := range r.layers {
		hs[l] = nn.GRUCell(sc, in, hs[l], r.cfg)
		in = hs[l]
	}
	return in
}

// unroll runs the RNN over x [batch, steps, in] from the first layer's state
// h0 (nil: zeros; the other layers start at zero) and returns the top
// layer's states [batch, steps, hidden]. The steps of x are sliced from the
// data and the states never are, so the gradient has no padded slices (a
// slice's gradient writes a whole zero tensor: nn.GRU, which slices its
// precomputed input projections step by step, made a GraphRNN step on
// community-small 30% slower).
func (r *rnn) unroll(x, h0 *Node) *Node {
	dims := x.Shape().Dimensions
	b, steps := dims[0], dims[1]
	hs := make([]*Node, len(r.layers))
	for l := range hs {
		hs[l] = Zeros(x.Graph(), shapes.Make(x.DType(), b, r.cfg.Hidden))
	}
	if h0 != nil {
		hs[0] = h0
	}
	outs := make([]*Node, steps)
	for t := range steps {
		xt := StopGradient(Reshape(Slice(x, AxisRange(), AxisElem(t), AxisRange()), b, dims[2]))
		outs[t] = r.step(xt, hs)
	}
	return Stack(outs, 1)
}

// graphRNN is the graph-level RNN (GraphRNN's rnn): input M, embedding
// Embed, Hidden states, Layers layers.
func graphRNN(s *model.Scope, a Arch) *rnn { return newRNN(s, "", a.Embed, a.Hidden, a.Layers) }

// edgeRNN is GraphRNN's edge-level RNN (its output module before the head):
// input 1, embedding EdgeEmbed, EdgeHidden states, Layers layers.
func edgeRNN(s *model.Scope, a Arch) *rnn {
	return newRNN(s, "edge_", a.EdgeEmbed, a.EdgeHidden, a.Layers)
}

// graphHead maps graph-level states to GraphRNN-S's edge logits [.., M] or to
// GraphRNN's edge-level initial state [.., EdgeHidden] (the GRU_plain output
// head: dense, ReLU, dense).
func graphHead(s *model.Scope, h *Node, a Arch) *Node {
	if a.Kind == KindS {
		return nn.MLP(s.In("output"), h, nn.MLPConfig{Hidden: []int{a.OutEmbed}, Out: a.MaxPrev})
	}
	return nn.MLP(s.In("output"), h, nn.MLPConfig{Hidden: []int{a.Embed}, Out: a.EdgeHidden})
}

// edgeHead maps edge-level states to edge logits [.., 1].
func edgeHead(s *model.Scope, h *Node, a Arch) *Node {
	return nn.MLP(s.In("edge_output"), h, nn.MLPConfig{Hidden: []int{a.EdgeEmbed}, Out: 1})
}

// Loss is the training loss of a batch made by MakeBatch (inputs x, y, w):
// the weighted sum of the binary cross-entropies of the edge logits against
// y. The weights are GraphRNN's normalisation, so that the loss equals its
// F.binary_cross_entropy over the padded batch (see MakeBatch).
func Loss(s *model.Scope, in []*Node, a Arch) *Node {
	x, y, w := in[0], in[1], in[2]
	s = s.In("graphrnn")
	h := graphRNN(s, a).unroll(x, nil)
	out := graphHead(s, h, a)
	if a.Kind == KindS {
		return ReduceAllSum(Mul(BCEWithLogits(out, y), w))
	}
	dims := y.Shape().Dimensions
	b, n, k := dims[0], dims[1], a.EdgeSteps()
	// teacher forcing: the edge RNN sees 1 (start), y[.., 0], …, y[.., k-2]
	xe := OnesLike(Slice(y, AxisRange(), AxisRange(), AxisRange(0, 1)))
	if k > 1 {
		xe = Concatenate([]*Node{xe, Slice(y, AxisRange(), AxisRange(), AxisRange(0, k-1))}, 2)
	}
	xe = Reshape(xe, b*n, k, 1)
	he := edgeRNN(s, a).unroll(xe, Reshape(out, b*n, a.EdgeHidden))
	logits := Reshape(edgeHead(s, he, a), b, n, k)
	yk := Slice(y, AxisRange(), AxisRange(), AxisRange(0, k))
	return ReduceAllSum(Mul(BCEWithLogits(logits, yk), w))
}
