// Package visionbench is `erg bench vision`: a training step and an inference pass of
// the image classifiers LeNet-5 and ResNet-8 (package vision), timed in erg and in
// PyTorch side by side.
//
// Four workloads, float32 on 28×28×1 images and 10 classes:
//   - lenet5_step, resnet8_step: one Adam step (learning rate 1e-3, PyTorch's
//     defaults) on a fixed batch of 64 images, with mean cross-entropy; erg's step is
//     train.Trainer.Step, the one erg vision train runs;
//   - lenet5_infer, resnet8_infer: one inference pass (batch norm with running
//     statistics) over 10,000 images in batches of 500 (InferBatch; with several
//     sizes each side reports its fastest, and the report's extra says which).
//
// The PyTorch peer (bench/peers/vision.py, Debian's python3-torch with
// torch.set_num_threads(2) and the BLAS set-up of core.py) builds the same networks
// (NCHW; PyTorch's default initialisation, as erg's). Each side runs warm-up
// iterations, then Rounds timed rounds, and reports its fastest round's mean. The
// goal ratio erg/PyTorch is 1.5.
//
// References:
//   - Y. LeCun, L. Bottou, Y. Bengio and P. Haffner, "Gradient-based learning applied
//     to document recognition", Proc. IEEE 86, 1998.
//   - K. He, X. Zhang, S. Ren and J. Sun, "Deep residual learning for image
//     recognition", CVPR 2016.
package visionbench

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/bench"
	"github.com/ergml/erg/imageset"
	"github.com/ergml/erg/train"
	"github.com/ergml/erg/vision"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// PeerScript is the name of the suite's peer script in package bench/peers.
const PeerScript = "vision.py"

// Sizes of the workloads.
const (
	StepBatch   = 64
	InferImages = 10000
	Classes     = 10
	Height      = 28
	Width       = 28
	Channels    = 1
)

// Workload is one timed piece of work.
type Workload struct {
	Name   string // key in the peer's "ms"
	Title  string
	Model  string // vision model name
	Infer  bool   // an inference pass over InferImages (else a training step)
	Warmup int    // untimed iterations (the first compiles)
	Iters  int    // timed iterations per round
	Goal   float64
}

// Workloads returns the suite's workloads, in order.
func Workloads() []Workload {
	return []Workload{
		{Name: "lenet5_step", Title: "LeNet-5 Adam step, batch 64, 28x28x1", Model: "lenet5", Warmup: 20, Iters: 100, Goal: 1.5},
		{Name: "resnet8_step", Title: "ResNet-8 Adam step, batch 64, 28x28x1", Model: "resnet8", Warmup: 5, Iters: 20, Goal: 1.5},
		{Name: "lenet5_infer", Title: "LeNet-5 inference, 10000 images 28x28x1", Model: "lenet5", Infer: true, Warmup: 1, Iters: 3, Goal: 1.5},
		{Name: "resnet8_infer", Title: "ResNet-8 inference, 10000 images 28x28x1", Model: "resnet8", Infer: true, Warmup: 1, Iters: 1, Goal: 1.5},
	}
}

// Names lists the workload names.
func Names() []string {
	var n []string
	for _, w := range Workloads() {
		n = append(n, w.Name)
	}
	return n
}

// Options configures Run. The zero value runs every workload, three rounds, batches
// of 500 for inference, with the peer when available.
type Options struct {
	Backend     string        // GoMLX backend configuration ("" = erg's default)
	Only        []string      // workload names (default all)
	Rounds      int           // timed rounds per workload and side (default 3)
	Repeats     int           // erg/peer alternations (default 1); each side keeps its fastest
	Scale       float64       // multiplies warm-up and iteration counts (default 1; at least 1 each)
	InferBatch  []int         // inference batch sizes to try (default 500)
	NoPeer      bool          // time erg only
	PeerScript  string        // run this file instead of the embedded vision.py (development)
	PeerTimeout time.Duration // default 15 minutes
}

// Run times the selected workloads in erg, then in PyTorch, opts.Repeats times
// alternating, and returns the report (each side's fastest milliseconds per step or per
// pass, ratios erg/PyTorch). A peer that cannot run is
// recorded in the report's PeerError, not returned as an error.
func Run(ctx context.Context, opts Options) (*bench.Report, error) {
	if opts.Rounds <= 0 {
		opts.Rounds = 3
	}
	if opts.Scale <= 0 {
		opts.Scale = 1
	}
	if opts.Repeats <= 0 {
		opts.Repeats = 1
	}
	if len(opts.InferBatch) == 0 {
		opts.InferBatch = []int{vision.DefaultEvalBatch}
	}
	if opts.PeerTimeout <= 0 {
		opts.PeerTimeout = 15 * time.Minute
	}
	for _, b := range opts.InferBatch {
		if b <= 0 || b > InferImages {
			return nil, fmt.Errorf("bench vision: inference batch %d not in [1, %d]", b, InferImages)
		}
	}
	var ws []Workload
	for _, w := range Workloads() {
		if len(opts.Only) == 0 || slices.Contains(opts.Only, w.Name) {
			w.Warmup = max(1, int(math.Round(float64(w.Warmup)*opts.Scale)))
			w.Iters = max(1, int(math.Round(float64(w.Iters)*opts.Scale)))
			ws = append(ws, w)
		}
	}
	for _, n := range opts.Only {
		if !slices.Contains(Names(), n) {
			return nil, fmt.Errorf("bench vision: unknown workload %q (have %s)", n, strings.Join(Names(), ", "))
		}
	}
	be, err := backend.New(opts.Backend)
	if err != nil {
		return nil, err
	}
	rep := bench.Start("vision", fmt.Sprintf("GoMLX %s backend, float32, package vision", backend.Name(opts.Backend)))
	var batches []map[string]int // erg's fastest inference batch size, per pass
	var peerRun func(int) (*bench.PeerResult, error)
	if !opts.NoPeer {
		peerRun = func(int) (*bench.PeerResult, error) { return runPeer(ctx, ws, opts) }
	}
	alt, err := bench.Alternate(ctx, opts.Repeats, func(int) (map[string]float64, error) {
		ms, used := map[string]float64{}, map[string]int{}
		for _, w := range ws {
			t, b, err := timeErg(be, w, opts)
			if err != nil {
				return nil, err
			}
			ms[w.Name] = t
			if w.Infer {
				used[w.Name] = b
			}
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		batches = append(batches, used)
		return ms, nil
	}, peerRun)
	if err != nil {
		return nil, err
	}
	best := make([]float64, len(ws))
	batchUsed := map[string]int{}
	for i, w := range ws {
		best[i] = alt.Erg[w.Name]
		if w.Infer {
			batchUsed[w.Name] = batches[alt.ErgPass[w.Name]][w.Name]
		}
	}
	peer, peerErr := alt.Peer, alt.PeerErr
	peerBatch := map[string]any{}
	for name, pass := range alt.PeerPass {
		b, _ := alt.PeerRuns[pass].Info["infer_batch"].(map[string]any)
		if v, ok := b[name]; ok {
			peerBatch[name] = v
		}
	}
	for i, w := range ws {
		title := w.Title
		if w.Infer {
			title += fmt.Sprintf(" (batch %d)", batchUsed[w.Name])
		}
		rep.Add(bench.Figure{Name: w.Name, Title: title, ErgMS: best[i], Goal: w.Goal})
	}
	if len(batchUsed) > 0 {
		rep.SetExtra("erg_infer_batch", batchUsed)
	}
	switch {
	case opts.NoPeer:
		rep.SetPeer(nil, errors.New(bench.NoPeer))
	case peer == nil:
		rep.SetPeer(nil, peerErr)
	default:
		peer.Info = maps.Clone(peer.Info)
		if peer.Info == nil {
			peer.Info = map[string]any{}
		}
		peer.Info["infer_batch"] = peerBatch
		rep.SetPeer(peer, nil)
		if len(peerBatch) > 0 {
			rep.SetExtra("peer_infer_batch", peerBatch)
		}
	}
	rep.Finish()
	return rep, nil
}

// timeErg times workload w in erg: milliseconds per step or per pass, and for an
// inference pass the fastest batch size of opts.InferBatch.
func timeErg(be compute.Backend, w Workload, opts Options) (float64, int, error) {
	if !w.Infer {
		ms, _, err := TimeStep(be, w.Model, w.Warmup, w.Iters, opts.Rounds)
		return ms, 0, err
	}
	best, batch := math.Inf(1), 0
	for _, b := range opts.InferBatch {
		t, err := TimeInference(be, w.Model, b, w.Warmup, w.Iters, opts.Rounds)
		if err != nil {
			return 0, 0, err
		}
		if t < best {
			best, batch = t, b
		}
	}
	return best, batch, nil
}

func runPeer(ctx context.Context, ws []Workload, opts Options) (*bench.PeerResult, error) {
	var names []string
	args := []string{"--threads", "2", "--rounds", strconv.Itoa(opts.Rounds)}
	for _, w := range ws {
		names = append(names, w.Name)
		args = append(args, "--"+strings.ReplaceAll(w.Name, "_", "-")+"-warmup", strconv.Itoa(w.Warmup),
			"--"+strings.ReplaceAll(w.Name, "_", "-")+"-iters", strconv.Itoa(w.Iters))
	}
	var bs []string
	for _, b := range opts.InferBatch {
		bs = append(bs, strconv.Itoa(b))
	}
	args = append(args, "--only", strings.Join(names, ","), "--infer-batch", strings.Join(bs, ","))
	return bench.RunPeer(ctx, bench.Peer{Script: PeerScript, Path: opts.PeerScript, Args: args, Timeout: opts.PeerTimeout})
}

// randomImages returns n random normal images 28×28×1 (seeded) and labels i mod 10.
func randomImages(n int, seed uint64) ([]float32, []int32) {
	rng := rand.New(rand.NewPCG(seed, 99))
	x := make([]float32, n*Height*Width*Channels)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	y := make([]int32, n)
	for i := range y {
		y[i] = int32(i % Classes)
	}
	return x, y
}

// Stepper is one model's training step on a fixed batch, as erg vision train runs it
// (train.Trainer.Step with the model's loss and Adam).
type Stepper struct {
	tr   *train.Trainer
	x, y *tensors.Tensor
}

// NewStepper prepares the training step of the named model of the zoo on a random
// batch of StepBatch images.
func NewStepper(b compute.Backend, name string) (*Stepper, error) {
	spec, err := vision.Lookup(name)
	if err != nil {
		return nil, err
	}
	store := model.NewStore()
	if err := store.SetRNGStateFromSeed(1); err != nil {
		return nil, err
	}
	tr, err := train.New(b, store, spec.Loss(Classes, 0), train.Config{Steps: 1, Optimizer: spec.Optimizer(1e-3), Seed: 1, Quiet: true, NoMeter: true})
	if err != nil {
		return nil, err
	}
	x, y := randomImages(StepBatch, 7)
	return &Stepper{tr: tr, x: tensors.FromFlatDataAndDimensions(x, StepBatch, Height, Width, Channels),
		y: tensors.FromFlatDataAndDimensions(y, StepBatch)}, nil
}

// Step runs one Adam step and returns the loss.
func (s *Stepper) Step() (float64, error) {
	l, _, err := s.tr.Step(1e-3, s.x, s.y)
	return l, err
}

// TimeStep runs warmup untimed steps of the model, then rounds rounds of iters steps,
// and returns the fastest round's milliseconds per step and the last loss.
func TimeStep(b compute.Backend, name string, warmup, iters, rounds int) (ms, loss float64, err error) {
	st, err := NewStepper(b, name)
	if err != nil {
		return 0, 0, err
	}
	ms, err = fastest(func() error {
		loss, err = st.Step()
		return err
	}, warmup, iters, rounds)
	return ms, loss, err
}

// TimeInference times inference passes of the named model (freshly initialised
// parameters; batch norm in inference mode) over InferImages random images, batch at
// a time, and returns the fastest round's milliseconds per pass.
func TimeInference(b compute.Backend, name string, batch, warmup, iters, rounds int) (float64, error) {
	spec, err := vision.Lookup(name)
	if err != nil {
		return 0, err
	}
	store := model.NewStore()
	if err := store.SetRNGStateFromSeed(1); err != nil {
		return 0, err
	}
	p, err := vision.NewPredictor(b, store, spec, Classes, batch)
	if err != nil {
		return 0, err
	}
	defer p.Finalize()
	x, y := randomImages(InferImages, 8)
	labels := make([]int, len(y))
	for i, v := range y {
		labels[i] = int(v)
	}
	set := &imageset.Set{Pixels: x, Labels: labels, Classes: imageset.MNISTClasses, H: Height, W: Width, C: Channels}
	return fastest(func() error {
		_, err := p.Logits(set)
		return err
	}, warmup, iters, rounds)
}

func fastest(f func() error, warmup, iters, rounds int) (float64, error) {
	for range warmup {
		if err := f(); err != nil {
			return 0, err
		}
	}
	best := math.Inf(1)
	for range max(rounds, 1) {
		start := time.Now()
		for range iters {
			if err := f(); err != nil {
				return 0, err
			}
		}
		best = min(best, float64(time.Since(start).Microseconds())/1e3/float64(iters))
	}
	return best, nil
}
