package nn

import (
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ergml/erg/meter"
	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/loss"
	"github.com/gomlx/gomlx/ml/train/optimizer"

	"github.com/ergml/erg/backend"
)

// mlpTrainer builds a Trainer for the 2-128-128-1 MLP (the `erg bench core` mlp
// workload) on a fixed batch of 256, and returns a step function.
func mlpTrainer(tb testing.TB, be compute.Backend, autodiff bool) func() {
	const n = 256
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float32, 2*n)
	y := make([]float32, n)
	for i := range x {
		x[i] = float32(2*rng.Float64() - 1)
	}
	for i := range y {
		y[i] = x[2*i] * x[2*i+1]
	}
	store := model.NewStore()
	if err := store.SetRNGStateFromSeed(1); err != nil {
		tb.Fatal(err)
	}
	modelFn := func(s *model.Scope, x *Node) *Node {
		autodiffOnly = autodiff
		defer func() { autodiffOnly = false }()
		return MLP(s, x, MLPConfig{Hidden: []int{128, 128}, Out: 1})
	}
	tr := train.NewTrainer(be, store, modelFn, loss.MeanSquaredError, optimizer.Adam().Done(), nil, nil)
	return func() {
		in := tensors.FromFlatDataAndDimensions(x, n, 2)
		lab := tensors.FromFlatDataAndDimensions(y, n, 1)
		m, err := tr.TrainStep(train.Batch{Inputs: []*tensors.Tensor{in}, Labels: []*tensors.Tensor{lab}})
		if err != nil {
			tb.Fatal(err)
		}
		for _, t := range m {
			t.MustFinalizeAll()
		}
	}
}

// fcnTrainer builds a Trainer for the FCN of Wang et al. (2017) (the `erg bench core`
// workload) on a fixed batch of 16 series of length 150, and returns a step function.
func fcnTrainer(tb testing.TB, be compute.Backend, autodiff bool) func() {
	const batch, length, classes = 16, 150, 2
	rng := rand.New(rand.NewPCG(3, 4))
	x := make([]float32, batch*length)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	labels := make([]int32, batch)
	for i := range labels {
		labels[i] = int32(i % classes)
	}
	store := model.NewStore()
	if err := store.SetRNGStateFromSeed(1); err != nil {
		tb.Fatal(err)
	}
	modelFn := func(s *model.Scope, x *Node) *Node {
		autodiffOnly = autodiff // read while building the graph
		defer func() { autodiffOnly = false }()
		training := s.IsTraining(x.Graph())
		h := x
		for i, l := range []struct{ f, k int }{{128, 8}, {256, 5}, {128, 3}} {
			si := s.In("block_%d", i)
			h = Conv1D(si.In("conv"), h, Conv1DConfig{Filters: l.f, Kernel: l.k})
			h = BatchNorm(si.In("bn"), h, training)
			h = ReLU(h)
		}
		return Dense(s.In("out"), GlobalAvgPool1D(h, nil), classes)
	}
	tr := train.NewTrainer(be, store, modelFn, loss.SparseCategoricalCrossEntropyLogits, optimizer.Adam().Done(), nil, nil)
	return func() {
		in := tensors.FromFlatDataAndDimensions(x, batch, length, 1)
		lab := tensors.FromFlatDataAndDimensions(labels, batch, 1)
		m, err := tr.TrainStep(train.Batch{Inputs: []*tensors.Tensor{in}, Labels: []*tensors.Tensor{lab}})
		if err != nil {
			tb.Fatal(err)
		}
		for _, t := range m {
			t.MustFinalizeAll()
		}
	}
}

// cpuTime is the process's CPU time so far (0 where the system cannot report it).
func cpuTime() time.Duration {
	u, _ := meter.Self().Usage()
	return u.CPU
}

// BenchmarkSteps compares the training steps of the `erg bench core` workloads with
// the custom gradients and with GoMLX's automatic ones, interleaving rounds so that a
// busy machine affects all alike. It reports each variant's fastest round in wall and
// process-CPU milliseconds per step.
//
// $ERG_BENCH_BACKENDS (comma-separated backend configurations) adds the custom
// variants on other backends, e.g. "go:parallelism=-1".
func BenchmarkSteps(b *testing.B) {
	type variant struct {
		name    string
		make    func(testing.TB, compute.Backend, bool) func()
		auto    bool
		per     int
		backend string
	}
	variants := []variant{
		{"mlp-custom", mlpTrainer, false, 100, ""}, {"mlp-autodiff", mlpTrainer, true, 100, ""},
		{"fcn-custom", fcnTrainer, false, 4, ""}, {"fcn-autodiff", fcnTrainer, true, 4, ""},
	}
	for _, cfg := range strings.Split(os.Getenv("ERG_BENCH_BACKENDS"), ",") {
		if cfg != "" {
			variants = append(variants, variant{"mlp-custom[" + cfg + "]", mlpTrainer, false, 100, cfg},
				variant{"fcn-custom[" + cfg + "]", fcnTrainer, false, 4, cfg})
		}
	}
	steps := make([]func(), len(variants))
	for i, v := range variants {
		be := testBackend()
		if v.backend != "" {
			be = backend.Must(v.backend)
		}
		steps[i] = v.make(b, be, v.auto)
		for range 3 {
			steps[i]()
		}
	}
	bestWall := make([]time.Duration, len(variants))
	bestCPU := make([]time.Duration, len(variants))
	for i := range bestWall {
		bestWall[i], bestCPU[i] = time.Hour, time.Hour
	}
	for b.Loop() {
		for i, v := range variants {
			w0, c0 := time.Now(), cpuTime()
			for range v.per {
				steps[i]()
			}
			bestWall[i] = min(bestWall[i], time.Since(w0)/time.Duration(v.per))
			bestCPU[i] = min(bestCPU[i], (cpuTime()-c0)/time.Duration(v.per))
		}
	}
	for i, v := range variants {
		b.ReportMetric(float64(bestWall[i].Microseconds())/1e3, v.name+"-ms")
		b.ReportMetric(float64(bestCPU[i].Microseconds())/1e3, v.name+"-cpu-ms")
	}
}

// BenchmarkFCNCustomOnly times the custom-gradient FCN step alone (for profiling).
func BenchmarkFCNCustomOnly(b *testing.B) {
	step := fcnTrainer(b, testBackend(), false)
	for range 3 {
		step()
	}
	for b.Loop() {
		step()
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1e3/float64(b.N), "ms/step")
}

// BenchmarkMLPCustomOnly times the custom-gradient MLP 2-128-128-1 Adam step (batch
// 256) of `erg bench core` alone (for profiling: go test -run - -bench MLPCustomOnly
// -cpuprofile cpu.out ./nn).
func BenchmarkMLPCustomOnly(b *testing.B) {
	step := mlpTrainer(b, testBackend(), false)
	for range 3 {
		step()
	}
	for b.Loop() {
		step()
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1e3/float64(b.N), "ms/step")
}
