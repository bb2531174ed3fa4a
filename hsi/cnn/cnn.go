package cnn

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/nn"
	"github.com/ergml/erg/run"
	"github.com/ergml/erg/train"
	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// Cube is what the networks read: Lines × Samples pixels of Bands features each,
// pixel-major (pixel p = line·Samples + sample holds X[p·Bands : (p+1)·Bands]),
// normally the scene's standardised bands.
type Cube struct {
	Lines, Samples, Bands int
	X                     []float32
}

// NewCube converts pixel-major float64 features to a Cube.
func NewCube(lines, samples, bands int, x []float64) *Cube {
	if len(x) != lines*samples*bands {
		panic(fmt.Sprintf("cnn: %d values for %d×%d×%d", len(x), lines, samples, bands))
	}
	c := &Cube{Lines: lines, Samples: samples, Bands: bands, X: make([]float32, len(x))}
	for i, v := range x {
		c.X[i] = float32(v)
	}
	return c
}

// Pixels returns Lines·Samples.
func (c *Cube) Pixels() int { return c.Lines * c.Samples }

// Patch copies the size×size×Bands patch centred on pixel p into dst (size²·Bands
// values, ordered line, sample, band: the [h, w, bands] of nn.Conv3D's input without
// the channel axis). Positions outside the image are mirrored at its border
// (reflection without repeating the edge: index −1 reads 1), as numpy's "reflect".
// size must be odd; size 1 is the pixel's spectrum.
func (c *Cube) Patch(p, size int, dst []float32) {
	r := size / 2
	l0, s0 := p/c.Samples, p%c.Samples
	i := 0
	for dl := -r; dl <= r; dl++ {
		l := reflect(l0+dl, c.Lines)
		for ds := -r; ds <= r; ds++ {
			s := reflect(s0+ds, c.Samples)
			q := l*c.Samples + s
			copy(dst[i:i+c.Bands], c.X[q*c.Bands:(q+1)*c.Bands])
			i += c.Bands
		}
	}
}

// Patches returns the patches of the pixels idx, one after another.
func (c *Cube) Patches(idx []int, size int) []float32 {
	n := size * size * c.Bands
	out := make([]float32, len(idx)*n)
	for i, p := range idx {
		c.Patch(p, size, out[i*n:(i+1)*n])
	}
	return out
}

func reflect(i, n int) int {
	if n == 1 {
		return 0
	}
	for i < 0 || i >= n {
		if i < 0 {
			i = -i
		}
		if i >= n {
			i = 2*(n-1) - i
		}
	}
	return i
}

// Options are what an architecture needs besides its input.
type Options struct {
	Classes  int
	Training bool
}

// Arch builds a network's logits [B, Classes] from its input: spectra [B, bands, 1]
// for Patch 1, else patches [B, Patch, Patch, bands, 1].
type Arch func(s *model.Scope, x *Node, o Options) *Node

// Spec is one network with its default training (Adam at LR, Batch pixels per step,
// Epochs passes over the labelled pixels).
type Spec struct {
	Name   string
	Title  string
	Arch   Arch
	Patch  int // 1: the pixel's spectrum
	Epochs int
	Batch  int
	LR     float64
}

// Specs lists the networks by name (hsi's model names cnn1d and cnn3d).
//
// The layer sizes are those of DeepHyperX (N. Audebert, github.com/nshaud/DeepHyperX,
// models.py, classes HuEtAl and HamidaEtAl, and its get_model defaults: patch 1 for
// Hu, 5 for Hamida). Its training (SGD at 0.01, 100 epochs, batch 100) is replaced by
// Adam at 1e-3 with batch 32: with 10 labels per class an epoch is 5 steps, and SGD's
// 200 steps leave the networks far from converged.
var Specs = map[string]Spec{
	"cnn1d": {Name: "cnn1d", Title: "Hu et al. 2015 1-D CNN: conv1d 20@ceil(B/9), max pool ceil(k/5), tanh, dense 100 tanh, classes",
		Arch: Hu, Patch: 1, Epochs: 200, Batch: 32, LR: 1e-3},
	"cnn3d": {Name: "cnn3d", Title: "Hamida et al. 2018 3-D CNN on 5×5 patches: conv3d 20@3×3×3, conv 20@1×1×3 s2, conv 35@3×3×3, conv 35@1×1×3 s2, conv 35@1×1×3, conv 35@1×1×2 s2, dense",
		Arch: Hamida, Patch: 5, Epochs: 100, Batch: 32, LR: 1e-3},
}

// Names lists the networks.
func Names() []string {
	var n []string
	for k := range Specs {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}

// Lookup returns a network's spec by name.
func Lookup(name string) (Spec, error) {
	s, ok := Specs[strings.ToLower(name)]
	if !ok {
		return s, fmt.Errorf("cnn: unknown network %q (have %s)", name, strings.Join(Names(), ", "))
	}
	return s, nil
}

// HuKernel returns the kernel and pooling sizes of Hu et al.'s network on bands
// bands: k1 = ceil(bands/9), k2 = ceil(k1/5) (DeepHyperX's reading of the paper).
func HuKernel(bands int) (k1, k2 int) {
	k1 = (bands + 8) / 9
	return k1, (k1 + 4) / 5
}

// Hu is the 1-D CNN of Hu et al. (2015) on a pixel's spectrum x [B, bands, 1]: a
// convolution of 20 filters of length k1 = ceil(bands/9) (valid), max pooling of
// k2 = ceil(k1/5) (stride k2), tanh, a dense layer of 100 units with tanh, and the
// output layer. (The paper's U(±0.05) initialisation is replaced by PyTorch's
// default, nn.KaimingUniform.)
func Hu(s *model.Scope, x *Node, o Options) *Node {
	k1, k2 := HuKernel(x.Shape().Dimensions[1])
	h := nn.Conv1D(s.In("conv"), x, nn.Conv1DConfig{Filters: 20, Kernel: k1, Padding: nn.Valid, Init: nn.KaimingUniform})
	d := h.Shape().Dimensions
	h = Reshape(h, d[0], d[1], 1, d[2])
	h = nn.MaxPool2D(h, [2]int{k2, 1}, [2]int{k2, 1}, nn.Valid)
	h = Tanh(nn.Flatten(h))
	h = Tanh(nn.DenseWith(s.In("fc1"), h, nn.DenseConfig{Out: 100, Init: nn.KaimingUniform}))
	return nn.DenseWith(s.In("fc2"), h, nn.DenseConfig{Out: o.Classes, Init: nn.KaimingUniform})
}

// Hamida is the 3-D CNN of Ben Hamida et al. (2018) as DeepHyperX builds it, on
// patches x [B, p, p, bands, 1] (p = 5; DeepHyperX's kernel (d, h, w) is nn's
// [h, w, d]):
//
//	conv1  20 filters 3×3×3, valid, ReLU
//	pool1  20 filters 1×1×3, stride 2 along the bands, band padding 1 (a learnt pooling)
//	conv2  35 filters 3×3×3, band padding 1, ReLU
//	pool2  35 filters 1×1×3, stride 2 along the bands, band padding 1
//	conv3  35 filters 1×1×3, band padding 1, ReLU
//	conv4  35 filters 1×1×2, stride 2 along the bands, band padding 1, ReLU
//	fc     flatten, dense to the classes
//
// On 5×5×200 patches the spatial axes are 1×1 after conv2 and the flattened features
// 26·35 = 910. (DeepHyperX's Kaiming-normal initialisation is replaced by
// nn.KaimingUniform.)
func Hamida(s *model.Scope, x *Node, o Options) *Node {
	conv := func(name string, h *Node, filters int, k, stride [3]int, padD int, relu bool) *Node {
		cfg := nn.Conv3DConfig{Filters: filters, Kernel: k, Stride: stride, Padding: nn.Valid, Init: nn.KaimingUniform}
		if padD > 0 {
			cfg.Pad = [3][2]int{{0, 0}, {0, 0}, {padD, padD}}
		}
		h = nn.Conv3D(s.In("%s", name), h, cfg)
		if relu {
			h = nn.ReLU(h)
		}
		return h
	}
	one := [3]int{1, 1, 1}
	band2 := [3]int{1, 1, 2}
	h := conv("conv1", x, 20, [3]int{3, 3, 3}, one, 0, true)
	h = conv("pool1", h, 20, [3]int{1, 1, 3}, band2, 1, false)
	h = conv("conv2", h, 35, [3]int{3, 3, 3}, one, 1, true)
	h = conv("pool2", h, 35, [3]int{1, 1, 3}, band2, 1, false)
	h = conv("conv3", h, 35, [3]int{1, 1, 3}, one, 1, true)
	h = conv("conv4", h, 35, [3]int{1, 1, 2}, band2, 1, true)
	return nn.DenseWith(s.In("fc"), nn.Flatten(h), nn.DenseConfig{Out: o.Classes, Init: nn.KaimingUniform})
}

// CrossEntropy is the mean softmax cross-entropy of logits [B, K] against int32
// labels [B] (0..K-1).
func CrossEntropy(logits, labels *Node) *Node {
	k := logits.Shape().Dimensions[1]
	return Neg(ReduceAllMean(ReduceSum(Mul(OneHot(labels, k, logits.DType()), LogSoftmax(logits, 1)), 1)))
}

// Config is the training of Fit. Zero values take the spec's defaults.
type Config struct {
	Model   string  // a name of Specs (cnn1d, cnn3d)
	Epochs  int     // passes over the labelled pixels; 0: the spec's
	Batch   int     // pixels per step; 0: the spec's
	LR      float64 // Adam learning rate; 0: the spec's
	Seed    uint64  // parameter initialisation and batch order
	Backend string  // backend.New's name; "": the default
	Quiet   bool    // no progress output
	NoMeter bool    // no energy meter (without an experiment)
	// CheckpointEvery is the steps between checkpoints within an experiment; 0: one
	// per 10% of the run.
	CheckpointEvery int
}

// Result is a trained network's class probabilities for every pixel.
type Result struct {
	Prob       []float64 // Pixels × classes, row-major (class k-1 in column k-1)
	Params     int       // trainable parameters
	Steps      int
	Epochs     int
	Loss       float64 // mean training loss of the best epoch
	StepMillis float64
	Seconds    float64 // training time over all sessions
}

// Fit trains cfg.Model on the pixels train of c with labels (1..classes, one per
// training pixel) and returns the class probabilities of every pixel. With exp not
// nil the training runs inside the experiment (metrics, checkpoints, progress,
// energy; a resumed experiment continues from its checkpoint); exp is left open.
func Fit(ctx context.Context, c *Cube, trainIdx, labels []int, classes int, cfg Config, exp *run.Experiment) (*Result, error) {
	spec, err := Lookup(cfg.Model)
	if err != nil {
		return nil, err
	}
	if len(trainIdx) == 0 || len(trainIdx) != len(labels) {
		return nil, fmt.Errorf("cnn: %d training pixels and %d labels", len(trainIdx), len(labels))
	}
	if cfg.Epochs == 0 {
		cfg.Epochs = spec.Epochs
	}
	if cfg.Batch == 0 {
		cfg.Batch = spec.Batch
	}
	if cfg.LR == 0 {
		cfg.LR = spec.LR
	}
	if cfg.Epochs < 0 || cfg.Batch < 0 || cfg.LR < 0 {
		return nil, fmt.Errorf("cnn: epochs %d, batch %d, learning rate %g: want ≥ 0", cfg.Epochs, cfg.Batch, cfg.LR)
	}
	y := make([]int32, len(labels))
	for i, l := range labels {
		if l < 1 || l > classes {
			return nil, fmt.Errorf("cnn: label %d of training pixel %d not in 1..%d", l, trainIdx[i], classes)
		}
		y[i] = int32(l - 1)
	}
	b, err := backend.New(cfg.Backend)
	if err != nil {
		return nil, err
	}
	x := c.Patches(trainIdx, spec.Patch)
	batches, err := train.NewShuffled(cfg.Batch, cfg.Seed, train.Array{Data: x, Dims: InputDims(len(trainIdx), spec.Patch, c.Bands)},
		train.Array{Data: y, Dims: []int{len(y)}})
	if err != nil {
		return nil, err
	}
	spe := batches.StepsPerEpoch()
	steps := cfg.Epochs * spe
	every := cfg.CheckpointEvery
	if every == 0 {
		every = max(1, steps/10)
	}
	store := model.NewStore()
	arch := spec.Arch
	loss := func(s *model.Scope, in []*Node) *Node {
		return CrossEntropy(arch(s.In("net"), in[0], Options{Classes: classes, Training: true}), in[1])
	}
	tr, err := train.New(b, store, loss, train.Config{Steps: steps, StepsPerEpoch: spe,
		Optimizer: train.Optimizer{Name: "adam", LR: cfg.LR}, CheckpointEvery: every, Seed: cfg.Seed,
		ProgressEpochs: true, Quiet: cfg.Quiet, NoMeter: cfg.NoMeter})
	if err != nil {
		return nil, err
	}
	res, err := tr.Run(ctx, batches, exp)
	if err != nil {
		return nil, err
	}
	prob, err := Classify(b, store, func(s *model.Scope, x *Node) *Node {
		return arch(s.In("net"), x, Options{Classes: classes})
	}, c, spec.Patch, classes)
	if err != nil {
		return nil, err
	}
	return &Result{Prob: prob, Params: CountParams(store), Steps: res.Steps, Epochs: res.Epochs, Loss: res.Loss,
		StepMillis: res.StepMillis, Seconds: res.Seconds}, nil
}

// InputDims returns the dimensions of n inputs of a network with the given patch
// size: [n, bands, 1] for 1, else [n, patch, patch, bands, 1].
func InputDims(n, patch, bands int) []int {
	if patch == 1 {
		return []int{n, bands, 1}
	}
	return []int{n, patch, patch, bands, 1}
}

// ClassifyBatch is the number of pixels per inference pass of Classify.
const ClassifyBatch = 256

// Classify runs logits (a network in inference mode, on inputs of InputDims) over
// every pixel of c and returns the softmax of its first classes logits, Pixels ×
// classes. The network's variables are read from store.
func Classify(b compute.Backend, store *model.Store, logits func(s *model.Scope, x *Node) *Node, c *Cube, patch, classes int) ([]float64, error) {
	exec, err := model.NewExec(b, store, func(s *model.Scope, x *Node) *Node {
		l := logits(s, x)
		if k := l.Shape().Dimensions[1]; k > classes {
			l = Slice(l, AxisRange(), AxisRange(0, classes))
		}
		return Softmax(l, 1)
	})
	if err != nil {
		return nil, err
	}
	defer exec.Finalize()
	n := c.Pixels()
	size := patch * patch * c.Bands
	buf := make([]float32, ClassifyBatch*size)
	idx := make([]int, ClassifyBatch)
	out := make([]float64, 0, n*classes)
	for lo := 0; lo < n; lo += ClassifyBatch {
		hi := min(lo+ClassifyBatch, n)
		for i := range idx {
			idx[i] = min(lo+i, n-1) // the last batch repeats the last pixel
		}
		for i, p := range idx {
			c.Patch(p, patch, buf[i*size:(i+1)*size])
		}
		res, err := exec.Exec(tensors.FromFlatDataAndDimensions(buf, InputDims(ClassifyBatch, patch, c.Bands)...))
		if err != nil {
			return nil, fmt.Errorf("cnn: inference: %w", err)
		}
		pr := tensors.MustCopyFlatData[float32](res[0])
		for _, r := range res {
			r.FinalizeAll()
		}
		for _, v := range pr[:(hi-lo)*classes] {
			if math.IsNaN(float64(v)) {
				return nil, fmt.Errorf("cnn: inference: NaN probability")
			}
			out = append(out, float64(v))
		}
	}
	return out, nil
}

// CountParams is the number of trainable parameters in store (optimizer state
// excluded).
func CountParams(store *model.Store) int {
	n := 0
	for v := range store.IterVariables() {
		if v.Trainable && v.DType().IsFloat() && strings.HasPrefix(v.Path(), "/net") {
			n += v.Shape().Size()
		}
	}
	return n
}

// ParamCount is the number of trainable parameters of spec's network on inputs of
// the given bands and classes, from its graph built (not run) on backend b (nil: the
// default).
func ParamCount(b compute.Backend, spec Spec, bands, classes int) (int, error) {
	if b == nil {
		var err error
		if b, err = backend.New(""); err != nil {
			return 0, err
		}
	}
	store := model.NewStore()
	arch := spec.Arch
	var out []int
	exec, err := model.NewExec(b, store, func(s *model.Scope, x *Node) *Node {
		l := arch(s.In("net"), x, Options{Classes: classes})
		out = l.Shape().Dimensions
		return l
	})
	if err != nil {
		return 0, err
	}
	defer exec.Finalize()
	if _, err := exec.Compile(shapes.Make(dtypes.Float32, InputDims(2, spec.Patch, bands)...)); err != nil {
		return 0, fmt.Errorf("cnn: %s on %d bands: %w", spec.Name, bands, err)
	}
	if len(out) != 2 || out[1] != classes {
		return 0, fmt.Errorf("cnn: %s: logits %v, want [2 %d]", spec.Name, out, classes)
	}
	return CountParams(store), nil
}
