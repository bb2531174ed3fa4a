package graphrnn

import (
	"fmt"
	"math/rand/v2"

	"github.com/ergml/erg/graphgen"
	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// Model is a GraphRNN network: its architecture and a store holding its
// parameters (trained by Train, loaded by Load, or freshly initialised).
type Model struct {
	Arch Arch
	// SampleTime is GraphRNN's sample_time for GraphRNN-S: an all-zero
	// adjacency vector (which ends the graph) is drawn again up to SampleTime
	// times in all (0 or 1: drawn once). GraphRNN samples GraphRNN-S with 1,
	// 2 and 3 and GraphRNN with 1.
	SampleTime int
	backend    compute.Backend
	store      *model.Store
	step       *model.Exec // graph-level step
	edge       *model.Exec // edge-level step (KindRNN)
}

// NewModel returns a model of architecture a whose parameters live in store
// (variables missing from it are created, seeded by the store's RNG, when
// the model first runs).
func NewModel(b compute.Backend, store *model.Store, a Arch) (*Model, error) {
	if err := a.Validate(); err != nil {
		return nil, err
	}
	return &Model{Arch: a, backend: b, store: store}, nil
}

// Store returns the model's parameter store.
func (m *Model) Store() *model.Store { return m.store }

func (m *Model) build() error {
	if m.step != nil {
		return nil
	}
	a := m.Arch
	var err error
	m.step, err = model.NewExec(m.backend, m.store, func(s *model.Scope, in []*Node) []*Node {
		s = s.In("graphrnn")
		hs := layers(in[1], a.Layers)
		top := graphRNN(s, a).step(in[0], hs)
		out := graphHead(s, top, a)
		if a.Kind == KindS {
			out = Sigmoid(out)
		}
		return []*Node{out, Stack(hs, 0)}
	})
	if err != nil {
		return err
	}
	if a.Kind == KindRNN {
		m.edge, err = model.NewExec(m.backend, m.store, func(s *model.Scope, in []*Node) []*Node {
			s = s.In("graphrnn")
			hs := layers(in[1], a.Layers)
			top := edgeRNN(s, a).step(in[0], hs)
			return []*Node{Sigmoid(edgeHead(s, top, a)), Stack(hs, 0)}
		})
	}
	return err
}

// layers splits the states h [layers, batch, hidden] into one per layer.
func layers(h *Node, n int) []*Node {
	hs := make([]*Node, n)
	for l := range hs {
		hs[l] = Squeeze(Slice(h, AxisElem(l)), 0)
	}
	return hs
}

// execute runs e and returns its outputs.
func execute(e *model.Exec, args ...*tensors.Tensor) ([]*tensors.Tensor, error) {
	as := make([]any, len(args))
	for i, t := range args {
		as[i] = t
	}
	return e.Exec(as...)
}

// Sample draws n graphs autoregressively (GraphRNN's test_mlp_epoch and
// test_rnn_epoch): node i's adjacency vector has min(i, M) Bernoulli entries
// (GraphRNN-S: independent given the graph-level state; GraphRNN: each
// conditioned on the earlier ones through the edge-level RNN); a graph ends
// at its first all-zero vector (see SampleTime) or at MaxNodes nodes. The sampled vector is
// the next step's input. r drives every draw.
func (m *Model) Sample(n int, r *rand.Rand) ([]*graphgen.Graph, error) {
	if n <= 0 {
		return nil, fmt.Errorf("graphrnn: number of graphs %d must be positive", n)
	}
	before := m.store.NumVariables()
	if err := m.build(); err != nil {
		return nil, err
	}
	a := m.Arch
	M, L := a.MaxPrev, a.Layers
	x := make([]float32, n*M)
	for i := range x {
		x[i] = 1
	}
	h := tensors.FromFlatDataAndDimensions(make([]float32, L*n*a.Hidden), L, n, a.Hidden)
	rows := make([][][]uint8, n)
	done := make([]bool, n)
	left := n
	for i := 0; i < a.MaxNodes-1 && left > 0; i++ {
		out, err := execute(m.step, tensors.FromFlatDataAndDimensions(x, n, M), h)
		if err != nil {
			return nil, err
		}
		if i == 0 && m.store.NumVariables() != before && before > 0 {
			return nil, fmt.Errorf("graphrnn: the parameters do not match the architecture (%d variables, the model has %d)", before, m.store.NumVariables())
		}
		h = out[1]
		valid := min(i+1, M)
		bits := make([]uint8, n*M)
		if a.Kind == KindS {
			p := tensors.MustCopyFlatData[float32](out[0])
			for b := range n {
				for range max(1, m.SampleTime) {
					any := false
					for j := range valid {
						bits[b*M+j] = 0
						if r.Float32() < p[b*M+j] {
							bits[b*M+j] = 1
							any = true
						}
					}
					if any {
						break
					}
				}
			}
		} else if err := m.sampleEdges(out[0], valid, bits, r); err != nil {
			return nil, err
		}
		out[0].FinalizeAll()
		for b := range n {
			row := bits[b*M : (b+1)*M]
			for j := range M {
				x[b*M+j] = float32(row[j])
			}
			if done[b] {
				continue
			}
			zero := true
			for _, v := range row {
				if v != 0 {
					zero = false
					break
				}
			}
			if zero {
				done[b] = true
				left--
				continue
			}
			rows[b] = append(rows[b], row)
		}
	}
	gs := make([]*graphgen.Graph, n)
	for b := range n {
		gs[b] = (&Sequence{MaxPrev: M, Rows: rows[b]}).Decode()
	}
	return gs, nil
}

// sampleEdges runs the edge-level RNN for one node of every graph: valid
// steps from the state he0 [n, EdgeHidden] given by the graph-level RNN,
// starting from the input 1, each step's Bernoulli draw fed to the next.
func (m *Model) sampleEdges(he0 *tensors.Tensor, valid int, bits []uint8, r *rand.Rand) error {
	a := m.Arch
	n := he0.Shape().Dimensions[0]
	hd := a.EdgeHidden
	h := make([]float32, a.Layers*n*hd)
	copy(h, tensors.MustCopyFlatData[float32](he0))
	ht := tensors.FromFlatDataAndDimensions(h, a.Layers, n, hd)
	xe := make([]float32, n)
	for i := range xe {
		xe[i] = 1
	}
	for j := range valid {
		out, err := execute(m.edge, tensors.FromFlatDataAndDimensions(xe, n, 1), ht)
		if err != nil {
			return err
		}
		p := tensors.MustCopyFlatData[float32](out[0])
		out[0].FinalizeAll()
		ht = out[1]
		for b := range n {
			xe[b] = 0
			if r.Float32() < p[b] {
				xe[b] = 1
				bits[b*a.MaxPrev+j] = 1
			}
		}
	}
	return nil
}
