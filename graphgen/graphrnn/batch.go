package graphrnn

import (
	"fmt"

	"github.com/gomlx/gomlx/core/tensors"
)

// Batch is the input of one training step, flat row-major float32 arrays:
//
//   - X [B, N, M]: row 0 all ones (the start token), row t the adjacency
//     vector of node t (Rows[t-1]) for 1 ≤ t < n, zeros after;
//   - Y [B, N, M]: row t the adjacency vector of node t+1 for t < n-1 and
//     the all-zero end row at t = n-1;
//   - W: the weight of each cross-entropy term. GraphRNN-S ([B, N, M]):
//     1/(B·L·M) on the rows t < n of each graph, where L is the longest
//     sequence of the batch, as F.binary_cross_entropy over GraphRNN's
//     padded batch. GraphRNN ([B, N, K], K = min(N, M)): 1/(Σn·min(L, M)) on
//     the first min(t+1, M) entries of the rows t < n, GraphRNN's edge-level
//     packing.
//
// N is Arch.MaxNodes and n a graph's number of nodes.
type Batch struct {
	B, N, M, K int
	X, Y, W    []float32
}

// MakeBatch builds the batch of seqs for architecture a.
func MakeBatch(seqs []*Sequence, a Arch) (*Batch, error) {
	b, n, m := len(seqs), a.MaxNodes, a.MaxPrev
	bt := &Batch{B: b, N: n, M: m, K: m}
	if a.Kind == KindRNN {
		bt.K = a.EdgeSteps()
	}
	bt.X = make([]float32, b*n*m)
	bt.Y = make([]float32, b*n*m)
	bt.W = make([]float32, b*n*bt.K)
	longest, total := 0, 0
	for i, s := range seqs {
		if s.MaxPrev != m {
			return nil, fmt.Errorf("graphrnn: sequence %d has max_prev_node %d, the model %d", i, s.MaxPrev, m)
		}
		if s.Nodes() > n {
			return nil, fmt.Errorf("graphrnn: sequence %d has %d nodes, more than max_num_node %d", i, s.Nodes(), n)
		}
		longest = max(longest, s.Nodes())
		total += s.Nodes()
	}
	for i, s := range seqs {
		base := i * n * m
		for j := range m {
			bt.X[base+j] = 1
		}
		for t, row := range s.Rows {
			for j, v := range row {
				bt.X[base+(t+1)*m+j] = float32(v)
				bt.Y[base+t*m+j] = float32(v)
			}
		}
		switch a.Kind {
		case KindS:
			w := float32(1 / float64(b*longest*m))
			for t := range s.Nodes() {
				for j := range m {
					bt.W[base+t*m+j] = w
				}
			}
		default:
			w := float32(1 / float64(total*min(longest, m)))
			for t := range s.Nodes() {
				for j := range min(t+1, m) {
					bt.W[i*n*bt.K+t*bt.K+j] = w
				}
			}
		}
	}
	return bt, nil
}

// Tensors returns X, Y and W as tensors, the inputs of Loss.
func (bt *Batch) Tensors() []*tensors.Tensor {
	return []*tensors.Tensor{
		tensors.FromFlatDataAndDimensions(bt.X, bt.B, bt.N, bt.M),
		tensors.FromFlatDataAndDimensions(bt.Y, bt.B, bt.N, bt.M),
		tensors.FromFlatDataAndDimensions(bt.W, bt.B, bt.N, bt.K),
	}
}
