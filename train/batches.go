package train

import (
	"fmt"
	"math/rand/v2"

	"github.com/gomlx/gomlx/core/tensors"
)

// Array is one in-memory input for Shuffled: a row-major array whose first dimension
// indexes examples. Data is []float32, []float64 or []int32.
type Array struct {
	Data any
	Dims []int
}

func (a Array) rows() int { return a.Dims[0] }

func (a Array) rowSize() int {
	n := 1
	for _, d := range a.Dims[1:] {
		n *= d
	}
	return n
}

func (a Array) length() int {
	switch d := a.Data.(type) {
	case []float32:
		return len(d)
	case []float64:
		return len(d)
	case []int32:
		return len(d)
	}
	return -1
}

// Shuffled yields minibatches of the rows of in-memory arrays (inputs and labels that
// share their first dimension). Rows are reshuffled every epoch by a permutation that
// depends only on (Seed, epoch), so Batch(step) is reproducible and resumable.
type Shuffled struct {
	arrays []Array
	n      int
	batch  int
	seed   uint64
	steps  int
}

// NewShuffled makes a batch source over arrays with the given batch size (clamped to
// the number of rows). The last incomplete batch of an epoch is dropped when there are
// more rows than the batch size, so every batch has the same shape (one compiled graph).
func NewShuffled(batch int, seed uint64, arrays ...Array) (*Shuffled, error) {
	if len(arrays) == 0 {
		return nil, fmt.Errorf("train: NewShuffled needs at least one array")
	}
	n := -1
	for i, a := range arrays {
		if len(a.Dims) == 0 {
			return nil, fmt.Errorf("train: array %d has no dimensions", i)
		}
		if l := a.length(); l < 0 {
			return nil, fmt.Errorf("train: array %d holds %T; want []float32, []float64 or []int32", i, a.Data)
		} else if l != a.rows()*a.rowSize() {
			return nil, fmt.Errorf("train: array %d has %d values, want %d for dims %v", i, l, a.rows()*a.rowSize(), a.Dims)
		}
		if n >= 0 && a.rows() != n {
			return nil, fmt.Errorf("train: array %d has %d rows, array 0 has %d", i, a.rows(), n)
		}
		n = a.rows()
	}
	if n == 0 {
		return nil, fmt.Errorf("train: no rows")
	}
	if batch <= 0 || batch > n {
		batch = n
	}
	return &Shuffled{arrays: arrays, n: n, batch: batch, seed: seed, steps: n / batch}, nil
}

// StepsPerEpoch is the number of batches in one pass over the rows.
func (s *Shuffled) StepsPerEpoch() int { return s.steps }

// BatchSize is the number of rows per batch.
func (s *Shuffled) BatchSize() int { return s.batch }

// Batch implements Batches.
func (s *Shuffled) Batch(step int) ([]*tensors.Tensor, error) {
	epoch, k := step/s.steps, step%s.steps
	perm := rand.New(rand.NewPCG(s.seed, uint64(epoch)+0x9e3779b97f4a7c15)).Perm(s.n)
	idx := perm[k*s.batch : (k+1)*s.batch]
	out := make([]*tensors.Tensor, len(s.arrays))
	for i, a := range s.arrays {
		rs := a.rowSize()
		dims := append([]int{s.batch}, a.Dims[1:]...)
		switch d := a.Data.(type) {
		case []float32:
			out[i] = tensors.FromFlatDataAndDimensions(gather(d, idx, rs), dims...)
		case []float64:
			out[i] = tensors.FromFlatDataAndDimensions(gather(d, idx, rs), dims...)
		case []int32:
			out[i] = tensors.FromFlatDataAndDimensions(gather(d, idx, rs), dims...)
		}
	}
	return out, nil
}

func gather[T any](d []T, idx []int, rs int) []T {
	out := make([]T, 0, len(idx)*rs)
	for _, r := range idx {
		out = append(out, d[r*rs:(r+1)*rs]...)
	}
	return out
}
