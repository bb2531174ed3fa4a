package core

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/loss"
	"github.com/gomlx/gomlx/ml/train/optimizer"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/bench"
	"github.com/ergml/erg/nn"
)

// Workload is one training-step benchmark: a model, a loss and a fixed batch.
type Workload struct {
	Name   string  // short name, also the key in the peer's JSON ("mlp", "fcn")
	Title  string  // one-line description for tables
	Goal   float64 // target ratio erg/peer (at most)
	Warmup int     // untimed steps before timing (the first one compiles)
	Steps  int     // timed steps per round

	model func(s *model.Scope, x *Node) *Node
	loss  train.LossFn
	batch func() (inputs, labels *tensors.Tensor)
	seed  int64
}

// MLP is the 2-128-128-1 ReLU regression network, batch 256, mean squared error.
func MLP() *Workload {
	const n = 256
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float32, 2*n)
	y := make([]float32, n)
	for i := range n {
		a, b := 2*rng.Float64()-1, 2*rng.Float64()-1
		x[2*i], x[2*i+1] = float32(a), float32(b)
		y[i] = float32(math.Sin(math.Pi*a) * math.Cos(math.Pi*b))
	}
	return &Workload{
		Name: "mlp", Title: "MLP 2-128-128-1, batch 256, Adam", Goal: 1.0, Warmup: 50, Steps: 500,
		model: func(s *model.Scope, x *Node) *Node {
			return nn.MLP(s.In("mlp"), x, nn.MLPConfig{Hidden: []int{128, 128}, Out: 1, Init: nn.KaimingUniform})
		},
		loss: loss.MeanSquaredError,
		batch: func() (*tensors.Tensor, *tensors.Tensor) {
			return tensors.FromFlatDataAndDimensions(x, n, 2), tensors.FromFlatDataAndDimensions(y, n, 1)
		},
		seed: 1,
	}
}

// FCN is the fully convolutional network of Wang et al. (2017) as in dl-4-tsc:
// conv 128k8 / 256k5 / 128k3, each with batch norm and ReLU, global average pooling
// and a dense softmax layer; batch 16 univariate series of length 150, 2 classes.
func FCN() *Workload {
	const (
		batch, length, classes = 16, 150, 2
	)
	rng := rand.New(rand.NewPCG(3, 4))
	x := make([]float32, batch*length)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	labels := make([]int32, batch)
	for i := range labels {
		labels[i] = int32(i % classes)
	}
	return &Workload{
		Name: "fcn", Title: "FCN conv 128k8/256k5/128k3 + BN + GAP, batch 16, length 150, Adam", Goal: 1.5,
		Warmup: 5, Steps: 30,
		model: func(s *model.Scope, x *Node) *Node {
			return FCNModel(s, x, classes, s.IsTraining(x.Graph()))
		},
		loss: loss.SparseCategoricalCrossEntropyLogits,
		batch: func() (*tensors.Tensor, *tensors.Tensor) {
			return tensors.FromFlatDataAndDimensions(x, batch, length, 1), tensors.FromFlatDataAndDimensions(labels, batch, 1)
		},
		seed: 2,
	}
}

// FCNModel builds the FCN of Wang et al. (2017) on x [batch, length, channels],
// returning class logits [batch, classes].
func FCNModel(s *model.Scope, x *Node, classes int, training bool) *Node {
	h := x
	for i, l := range []struct{ filters, kernel int }{{128, 8}, {256, 5}, {128, 3}} {
		si := s.In("block_%d", i)
		h = nn.Conv1D(si.In("conv"), h, nn.Conv1DConfig{Filters: l.filters, Kernel: l.kernel, Init: nn.KaimingUniform})
		h = nn.BatchNorm(si.In("bn"), h, training)
		h = nn.ReLU(h)
	}
	h = nn.GlobalAvgPool1D(h, nil)
	return nn.DenseWith(s.In("out"), h, nn.DenseConfig{Out: classes, Init: nn.KaimingUniform})
}

// Stepper runs training steps of one model on one batch.
type Stepper interface {
	// Step runs one training step (forward, backward, Adam update) and returns the loss.
	Step() (float64, error)
}

// NewStepper builds the training step of w: Adam (learning rate 1e-3, epsilon 1e-8,
// PyTorch's defaults) on w's loss.
// It is the one place that chooses the training machinery (GoMLX's train.Trainer for
// now), so another trainer can replace it without touching the workloads.
func NewStepper(backend compute.Backend, w *Workload) (Stepper, error) {
	store := model.NewStore()
	if err := store.SetRNGStateFromSeed(w.seed); err != nil {
		return nil, err
	}
	tr := train.NewTrainer(backend, store, w.model, w.loss, optimizer.Adam().LearningRate(1e-3).Epsilon(1e-8).Done(), nil, nil)
	return &trainerStepper{tr: tr, w: w}, nil
}

type trainerStepper struct {
	tr *train.Trainer
	w  *Workload
}

func (t *trainerStepper) Step() (l float64, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("bench/core: %s step: %v", t.w.Name, r)
		}
	}()
	in, lab := t.w.batch()
	metrics, err := t.tr.TrainStep(train.Batch{Inputs: []*tensors.Tensor{in}, Labels: []*tensors.Tensor{lab}})
	if err != nil {
		return 0, fmt.Errorf("bench/core: %s step: %w", t.w.Name, err)
	}
	v := metrics[0].Value()
	for _, m := range metrics {
		m.MustFinalizeAll()
	}
	switch v := v.(type) {
	case float32:
		return float64(v), nil
	case float64:
		return v, nil
	}
	return 0, fmt.Errorf("bench/core: %s: unexpected loss %v", t.w.Name, v)
}

// Time runs warmup untimed steps, then rounds rounds of steps steps, and returns the
// fastest round's milliseconds per step and the last loss.
func Time(st Stepper, warmup, steps, rounds int) (msPerStep, lastLoss float64, err error) {
	for range warmup {
		if lastLoss, err = st.Step(); err != nil {
			return 0, 0, err
		}
	}
	best := math.Inf(1)
	for range max(rounds, 1) {
		start := time.Now()
		for range steps {
			if lastLoss, err = st.Step(); err != nil {
				return 0, 0, err
			}
		}
		best = min(best, float64(time.Since(start).Microseconds())/1e3/float64(steps))
	}
	return best, lastLoss, nil
}

// Options configures Run. The zero value runs both workloads once each side, three
// rounds, with the peer when available.
type Options struct {
	Backend     string        // GoMLX backend configuration ("" for the default, see package backend)
	Only        []string      // workload names to run (default all)
	Rounds      int           // timed rounds per workload and side (default 3)
	Repeats     int           // erg/peer alternations (default 1)
	NoPeer      bool          // skip the peer
	PeerScript  string        // run this file instead of the embedded peer core.py (development)
	PeerTimeout time.Duration // per peer run (default 10 minutes)
	// Scale multiplies every workload's warm-up and step counts (default 1), to make
	// quick runs (tests use 0.1) or steadier ones.
	Scale float64
}

// Workloads returns the benchmark's workloads, in order.
func Workloads() []*Workload { return []*Workload{MLP(), FCN()} }

// Run times the selected workloads in erg and in the PyTorch peer, alternating
// opts.Repeats times, and returns the report. A peer that cannot run is recorded in
// the report's PeerError, not returned as an error.
func Run(ctx context.Context, opts Options) (*bench.Report, error) {
	if opts.Rounds <= 0 {
		opts.Rounds = 3
	}
	if opts.Repeats <= 0 {
		opts.Repeats = 1
	}
	if opts.Scale <= 0 {
		opts.Scale = 1
	}
	if opts.PeerTimeout <= 0 {
		opts.PeerTimeout = 10 * time.Minute
	}
	cfg := backend.Name(opts.Backend)
	be, err := backend.New(cfg)
	if err != nil {
		return nil, err
	}
	var ws []*Workload
	for _, w := range Workloads() {
		if len(opts.Only) == 0 || slices.Contains(opts.Only, w.Name) {
			w.Warmup = max(1, int(math.Round(float64(w.Warmup)*opts.Scale)))
			w.Steps = max(1, int(math.Round(float64(w.Steps)*opts.Scale)))
			ws = append(ws, w)
		}
	}
	for _, name := range opts.Only {
		if !slices.ContainsFunc(ws, func(w *Workload) bool { return w.Name == name }) {
			return nil, fmt.Errorf("bench/core: unknown workload %q (have mlp, fcn)", name)
		}
	}
	rep := bench.Start("core", fmt.Sprintf("GoMLX %s backend, float32", cfg))
	steppers := make([]Stepper, len(ws))
	alt, err := bench.Alternate(ctx, opts.Repeats, func(int) (map[string]float64, error) {
		ms := map[string]float64{}
		for i, w := range ws {
			warmup := 0 // compiled and warm after the first pass
			if steppers[i] == nil {
				var err error
				if steppers[i], err = NewStepper(be, w); err != nil {
					return nil, err
				}
				warmup = w.Warmup
			}
			t, _, err := Time(steppers[i], warmup, w.Steps, opts.Rounds)
			if err != nil {
				return nil, err
			}
			ms[w.Name] = t
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		return ms, nil
	}, peerPass(opts.NoPeer, func() (*bench.PeerResult, error) { return runPeer(ctx, ws, opts) }))
	if err != nil {
		return nil, err
	}
	rep.Finish()
	for _, w := range ws {
		rep.Add(bench.Figure{Name: w.Name, Title: w.Title, ErgMS: alt.Erg[w.Name], Goal: w.Goal})
	}
	switch {
	case opts.NoPeer:
		rep.SetPeer(nil, errors.New(bench.NoPeer))
	case alt.Peer == nil:
		rep.SetPeer(nil, alt.PeerErr)
	default:
		rep.SetPeer(alt.Peer, nil)
	}
	return rep, nil
}

// PeerScript is the name of the suite's peer script in package bench/peers.
const PeerScript = "core.py"

// peerPass is Alternate's peer function: nil under --no-peer.
func peerPass(noPeer bool, run func() (*bench.PeerResult, error)) func(int) (*bench.PeerResult, error) {
	if noPeer {
		return nil
	}
	return func(int) (*bench.PeerResult, error) { return run() }
}

// runPeer runs the PyTorch peer (bench/peers/core.py) with the workloads' counts.
func runPeer(ctx context.Context, ws []*Workload, opts Options) (*bench.PeerResult, error) {
	names := make([]string, len(ws))
	args := []string{"--threads", "2", "--rounds", strconv.Itoa(opts.Rounds)}
	for i, w := range ws {
		names[i] = w.Name
		args = append(args, "--"+w.Name+"-warmup", strconv.Itoa(w.Warmup), "--"+w.Name+"-steps", strconv.Itoa(w.Steps))
	}
	args = append(args, "--only", strings.Join(names, ","))
	return bench.RunPeer(ctx, bench.Peer{Script: PeerScript, Path: opts.PeerScript, Args: args, Timeout: opts.PeerTimeout})
}
