package imageset

import (
	"fmt"
	"iter"
	"math/rand/v2"
	"slices"
	"sync"

	"github.com/gomlx/gomlx/core/tensors"
)

// LoaderConfig configures a Loader.
type LoaderConfig struct {
	BatchSize int    // images per batch (> 0; clamped to the set's size)
	Seed      uint64 // the shuffles and the augmentation depend only on Seed and the step
	// KeepLast keeps an epoch's last, smaller batch when BatchSize does not divide the
	// set's size (a second input shape: one more graph compilation). By default it is
	// dropped, as train.NewShuffled does, so every batch has the same shape; the
	// dropped images differ from epoch to epoch.
	KeepLast bool
	// OneHot yields labels as one-hot float32 [B, K] instead of int32 class indices
	// [B] (the form tsc/deep's loss takes, which one-hots in the graph).
	OneHot  bool
	Augment Augment
}

// Loader yields shuffled, augmented batches of a set for package train: it
// implements train.Batches. Batch(step) is images [B, H, W, C] float32 and labels
// [B] int32 (or [B, K] float32 with OneHot). Step s is batch s mod StepsPerEpoch of
// epoch s / StepsPerEpoch; each epoch visits the images in the order of a
// permutation drawn from (Seed, epoch), and the augmentation of a batch is drawn
// from (Seed, step), so a batch depends on nothing but the step and the Seed: a run
// resumed at step k sees the batches an uninterrupted one would.
//
// The set is not copied: a Loader keeps the current epoch's permutation (one
// []int of N, redrawn when the step's epoch changes) and gathers a batch straight
// into the memory of its new tensors. A Loader is safe for concurrent use; it reads
// the set, which must not change meanwhile.
type Loader struct {
	set   *Set
	cfg   LoaderConfig
	steps int
	fill  []float32

	mu        sync.Mutex
	permEpoch int
	perm      []int
}

// NewLoader makes a Loader over s.
func NewLoader(s *Set, cfg LoaderConfig) (*Loader, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	n := s.Len()
	if n == 0 {
		return nil, fmt.Errorf("imageset: NewLoader: empty set")
	}
	if cfg.BatchSize <= 0 {
		return nil, fmt.Errorf("imageset: NewLoader: batch size %d, want > 0", cfg.BatchSize)
	}
	if cfg.Augment.Pad < 0 {
		return nil, fmt.Errorf("imageset: NewLoader: Augment.Pad %d < 0", cfg.Augment.Pad)
	}
	cfg.BatchSize = min(cfg.BatchSize, n)
	steps := n / cfg.BatchSize
	if cfg.KeepLast {
		steps = (n + cfg.BatchSize - 1) / cfg.BatchSize
	}
	fill := make([]float32, s.C)
	for k := range fill {
		fill[k] = s.Black(k)
	}
	return &Loader{set: s, cfg: cfg, steps: steps, fill: fill, permEpoch: -1}, nil
}

// StepsPerEpoch is the number of batches in one epoch.
func (l *Loader) StepsPerEpoch() int { return l.steps }

// BatchSize is the number of images of a full batch.
func (l *Loader) BatchSize() int { return l.cfg.BatchSize }

// Size is the number of images of step's batch: BatchSize, or fewer for the last
// batch of an epoch with KeepLast.
func (l *Loader) Size(step int) int {
	k := step % l.steps
	return min(l.cfg.BatchSize, l.set.Len()-k*l.cfg.BatchSize)
}

// Indices returns the set indices of step's batch, in batch order.
func (l *Loader) Indices(step int) []int {
	if step < 0 {
		panic(fmt.Sprintf("imageset: Loader step %d < 0", step))
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.indices(step))
}

// indices is Indices without the copy; l.mu must be held.
func (l *Loader) indices(step int) []int {
	epoch, k := step/l.steps, step%l.steps
	if epoch != l.permEpoch {
		rng := rand.New(rand.NewPCG(l.cfg.Seed, uint64(epoch)+0x9e3779b97f4a7c15))
		if l.perm == nil {
			l.perm = make([]int, l.set.Len())
		}
		for i := range l.perm {
			l.perm[i] = i
		}
		rng.Shuffle(len(l.perm), func(i, j int) { l.perm[i], l.perm[j] = l.perm[j], l.perm[i] })
		l.permEpoch = epoch
	}
	lo := k * l.cfg.BatchSize
	return l.perm[lo:min(lo+l.cfg.BatchSize, len(l.perm))]
}

// Fill writes step's batch into x (Size(step)·H·W·C values, NHWC) and y (Size(step)
// labels) and returns Size(step): Batch without tensors, for a caller that reuses its
// buffers. It panics if step < 0 or a buffer is too short.
func (l *Loader) Fill(step int, x []float32, y []int32) int {
	if step < 0 {
		panic(fmt.Sprintf("imageset: Loader step %d < 0", step))
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.fillLocked(step, x, func(j, label int) { y[j] = int32(label) })
}

func (l *Loader) fillLocked(step int, x []float32, label func(j, y int)) int {
	s := l.set
	idx := l.indices(step)
	n := s.ImageSize()
	x = x[:len(idx)*n]
	var rng *rand.Rand
	if l.cfg.Augment.Active() {
		rng = rand.New(rand.NewPCG(l.cfg.Seed^0xa076_1d64_78bd_642f, uint64(step)))
	}
	for j, i := range idx {
		dst, src := x[j*n:(j+1)*n], s.Pixels[i*n:(i+1)*n]
		if rng != nil {
			l.cfg.Augment.Apply(dst, src, s.H, s.W, s.C, l.fill, rng)
		} else {
			copy(dst, src)
		}
		label(j, s.Labels[i])
	}
	return len(idx)
}

// Batch implements train.Batches: images [B, H, W, C] float32 and labels [B] int32, or
// one-hot [B, K] float32 with OneHot, in new tensors. It fails for a negative step.
func (l *Loader) Batch(step int) ([]*tensors.Tensor, error) {
	if step < 0 {
		return nil, fmt.Errorf("imageset: Loader.Batch: step %d < 0", step)
	}
	s := l.set
	b := l.Size(step)
	xt := tensors.FromShape(shapeF32(b, s.H, s.W, s.C))
	labels := make([]int32, b)
	l.mu.Lock()
	err := tensors.MutableFlatData(xt, func(x []float32) {
		l.fillLocked(step, x, func(j, label int) { labels[j] = int32(label) })
	})
	l.mu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("imageset: Loader.Batch: %w", err)
	}
	if l.cfg.OneHot {
		return []*tensors.Tensor{xt, oneHot(labels, len(s.Classes))}, nil
	}
	return []*tensors.Tensor{xt, tensors.FromFlatDataAndDimensions(labels, b)}, nil
}

// oneHot is labels as a one-hot [len(labels), k] float32 tensor.
func oneHot(labels []int32, k int) *tensors.Tensor {
	y := make([]float32, len(labels)*k)
	for j, label := range labels {
		y[j*k+int(label)] = 1
	}
	return tensors.FromFlatDataAndDimensions(y, len(labels), k)
}

// InOrder yields a set's images in order in batches of a given size, the last one
// smaller when the size does not divide N: for evaluation. Batch k holds images
// [k·size, min((k+1)·size, N)).
type InOrder struct {
	set    *Set
	size   int
	oneHot bool
}

// NewInOrder makes an InOrder over s with batches of size images (clamped to N) and
// labels as int32 [B], or one-hot float32 [B, K] when oneHot.
func NewInOrder(s *Set, size int, oneHot bool) (*InOrder, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if s.Len() == 0 {
		return nil, fmt.Errorf("imageset: NewInOrder: empty set")
	}
	if size <= 0 {
		return nil, fmt.Errorf("imageset: NewInOrder: batch size %d, want > 0", size)
	}
	return &InOrder{set: s, size: min(size, s.Len()), oneHot: oneHot}, nil
}

// Steps is the number of batches, ceil(N/size).
func (it *InOrder) Steps() int { return (it.set.Len() + it.size - 1) / it.size }

// Range is the half-open range of set indices of batch k.
func (it *InOrder) Range(k int) (lo, hi int) {
	lo = k * it.size
	return lo, min(lo+it.size, it.set.Len())
}

// Batch returns batch k as images [B, H, W, C] float32 and labels; it fails unless
// 0 ≤ k < Steps().
func (it *InOrder) Batch(k int) ([]*tensors.Tensor, error) {
	if k < 0 || k >= it.Steps() {
		return nil, fmt.Errorf("imageset: InOrder.Batch: batch %d not in [0, %d)", k, it.Steps())
	}
	s := it.set
	lo, hi := it.Range(k)
	n := s.ImageSize()
	xt := tensors.FromFlatDataAndDimensions(s.Pixels[lo*n:hi*n], hi-lo, s.H, s.W, s.C)
	y := make([]int32, hi-lo)
	for j, label := range s.Labels[lo:hi] {
		y[j] = int32(label)
	}
	if it.oneHot {
		return []*tensors.Tensor{xt, oneHot(y, len(s.Classes))}, nil
	}
	return []*tensors.Tensor{xt, tensors.FromFlatDataAndDimensions(y, hi-lo)}, nil
}

// All iterates over the batches in order: for k, batch := range it.All().
func (it *InOrder) All() iter.Seq2[int, []*tensors.Tensor] {
	return func(yield func(int, []*tensors.Tensor) bool) {
		for k := range it.Steps() {
			b, _ := it.Batch(k) // k is in range
			if !yield(k, b) {
				return
			}
		}
	}
}
