package nn

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/loss"
)

// lenet5 is LeNet-5 as in scripts/nn/bench_cnn.py: conv 6@5×5 same, ReLU, max pool 2;
// conv 16@5×5 valid, ReLU, max pool 2; flatten; dense 120, 84 (ReLU) and 10.
func lenet5(s *model.Scope, x *Node) *Node {
	h := ReLU(Conv2D(s.In("c1"), x, Conv2DConfig{Filters: 6, Kernel: [2]int{5, 5}, Init: KaimingUniform}))
	h = MaxPool2D(h, [2]int{2, 2}, [2]int{}, Valid)
	h = ReLU(Conv2D(s.In("c2"), h, Conv2DConfig{Filters: 16, Kernel: [2]int{5, 5}, Padding: Valid, Init: KaimingUniform}))
	h = MaxPool2D(h, [2]int{2, 2}, [2]int{}, Valid)
	return MLP(s.In("mlp"), Flatten(h), MLPConfig{Hidden: []int{120, 84}, Out: 10, Init: KaimingUniform})
}

// resnet8 is the CIFAR ResNet of He et al. (2016) with n = 1 (6n+2 = 8 layers), as in
// scripts/nn/bench_cnn.py: conv 16@3×3 + BN + ReLU, basic blocks of 16, 32 and 64
// channels (the last two with stride 2 and a 1×1 shortcut), global average pool, dense
// 10. Batch norm is in training mode.
func resnet8(s *model.Scope, x *Node) *Node {
	h := Conv2D(s.In("stem"), x, Conv2DConfig{Filters: 16, Kernel: [2]int{3, 3}, Init: KaimingUniform})
	h = ReLU(BatchNorm2D(s.In("stem_bn"), h, true, BatchNormConfig{}))
	for i, b := range []struct{ f, s int }{{16, 1}, {32, 2}, {64, 2}} {
		h = basicBlock(s.In("block_%d", i), h, b.f, b.s, true)
	}
	return DenseWith(s.In("out"), GlobalAvgPool2D(h), DenseConfig{Out: 10, Init: KaimingUniform})
}

// cnnStep returns a function running one forward and backward pass (mean
// cross-entropy over 10 classes, gradients of every trainable variable; no optimiser)
// of net on a fixed float32 batch [64, 28, 28, 1].
func cnnStep(tb testing.TB, be compute.Backend, net func(*model.Scope, *Node) *Node) func() {
	const batch = 64
	x := randTensor32(21, batch, 28, 28, 1)
	labels := make([]int32, batch)
	for i := range labels {
		labels[i] = int32(i % 10)
	}
	lab := tensors.FromFlatDataAndDimensions(labels, batch, 1)
	store := model.NewStore()
	if err := store.SetRNGStateFromSeed(1); err != nil {
		tb.Fatal(err)
	}
	exec := model.MustNewExec(be, store, func(s *model.Scope, x, labels *Node) []*Node {
		logits := net(s.In("net"), x)
		l := loss.SparseCategoricalCrossEntropyLogits([]*Node{labels}, []*Node{logits})
		return append([]*Node{l}, s.BuildTrainableVariablesGradientsGraph(l)...)
	})
	return func() {
		for _, t := range exec.MustExec(x, lab) {
			t.MustFinalizeAll()
		}
	}
}

// BenchmarkCNN times one forward+backward pass of LeNet-5 and of ResNet-8 on
// [64, 28, 28, 1] float32 images (compare scripts/nn/bench_cnn.py), interleaving
// rounds, and reports each one's fastest round in ms. $ERG_BENCH_CNN selects models
// ("lenet5", "resnet8", comma-separated).
func BenchmarkCNN(b *testing.B) {
	nets := []struct {
		name string
		fn   func(*model.Scope, *Node) *Node
	}{{"lenet5", lenet5}, {"resnet8", resnet8}}
	if sel := os.Getenv("ERG_BENCH_CNN"); sel != "" {
		var keep []struct {
			name string
			fn   func(*model.Scope, *Node) *Node
		}
		for _, n := range nets {
			if strings.Contains(","+sel+",", ","+n.name+",") {
				keep = append(keep, n)
			}
		}
		nets = keep
	}
	steps := make([]func(), len(nets))
	for i, n := range nets {
		steps[i] = cnnStep(b, testBackend(), n.fn)
		for range 3 {
			steps[i]()
		}
	}
	best := make([]time.Duration, len(nets))
	for i := range best {
		best[i] = time.Hour
	}
	b.ReportAllocs()
	for b.Loop() {
		for i := range nets {
			start := time.Now()
			steps[i]()
			best[i] = min(best[i], time.Since(start))
		}
	}
	for i, n := range nets {
		b.ReportMetric(float64(best[i].Microseconds())/1e3, n.name+"-ms")
	}
}

// BenchmarkConv2D times one forward and backward pass (gradients of sum(y*R) for the
// input and the weights) of a 3×3, 16→16-channel Same convolution on [64, 28, 28, 16]
// float32 (ResNet-8's first block) with Conv2D and with GoMLX's built-in Convolve,
// and the forward passes alone; the built-in backward runs once.
func BenchmarkConv2D(b *testing.B) {
	const batch, size, cin, filters = 64, 28, 16, 16
	be := testBackend()
	cfg := Conv2DConfig{Filters: filters, Kernel: [2]int{3, 3}}
	builtin := func(x, w *Node) *Node {
		// GoMLX's kernel layout is [kh, kw, in, out].
		return Convolve(x, TransposeAllAxes(w, 1, 2, 3, 0)).PadSame().Done()
	}
	ours := func(x, w *Node) *Node { return Conv2DWithWeights(x, w, nil, cfg) }
	type variant struct {
		name     string
		fn       func(x, w *Node) *Node
		backward bool
		once     bool
	}
	variants := []variant{
		{"conv2d-fwd", ours, false, false}, {"conv2d-fwdbwd", ours, true, false},
		{"builtin-fwd", builtin, false, true},
	}
	if os.Getenv("ERG_BENCH_BUILTIN_BWD") != "" {
		variants = append(variants, variant{"builtin-fwdbwd", builtin, true, true})
	}
	x := randTensor32(1, batch, size, size, cin)
	w := randTensor32(2, filters, 3, 3, cin)
	r := randTensor32(3, batch, size, size, filters)
	execs := make([]*Exec, len(variants))
	for i, v := range variants {
		execs[i] = MustNewExec(be, func(x, w, r *Node) []*Node {
			y := v.fn(x, w)
			if !v.backward {
				return []*Node{y}
			}
			return Gradient(ReduceAllSum(Mul(y, r)), x, w)
		})
		run(execs[i], x, w, r)
	}
	best := make([]time.Duration, len(variants))
	for i := range best {
		best[i] = time.Hour
	}
	first := true
	b.ReportAllocs()
	for b.Loop() {
		for i, v := range variants {
			if v.once && !first {
				continue
			}
			start := time.Now()
			run(execs[i], x, w, r)
			best[i] = min(best[i], time.Since(start))
		}
		first = false
	}
	for i, v := range variants {
		b.ReportMetric(float64(best[i].Microseconds())/1e3, v.name+"-ms")
	}
}

var _ = shapes.Make
