package ssgan

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/hsi/cnn"
	"github.com/ergml/erg/nn"
	"github.com/ergml/erg/run"
	"github.com/ergml/erg/train"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// Patch is the side of the discriminator's and generator's patches.
const Patch = 7

// Config is the SS-GAN's training. Zero values are the documented defaults.
type Config struct {
	Steps   int     // optimizer steps (each: D and G together); 0: 1500
	Batch   int     // labelled, unlabelled and generated patches per step, each; 0: 32
	LR      float64 // Adam learning rate (β1 0.5, β2 0.999, as Salimans et al.); 0: 3e-4
	Noise   int     // generator input size; 0: 100
	Unsup   float64 // weight of the unsupervised (real/fake) loss; 0: 1
	Dropout float64 // discriminator dropout rate; 0: 0.3 (negative: none)
	Seed    uint64
	Backend string // backend.New's name; "": the default
	Quiet   bool   // no progress output
	NoMeter bool   // no energy meter (without an experiment)
	// CheckpointEvery is the steps between checkpoints within an experiment; 0: one
	// per 10% of the run.
	CheckpointEvery int
}

func (c Config) withDefaults() Config {
	if c.Steps == 0 {
		c.Steps = 1500
	}
	if c.Batch == 0 {
		c.Batch = 32
	}
	if c.LR == 0 {
		c.LR = 3e-4
	}
	if c.Noise == 0 {
		c.Noise = 100
	}
	if c.Unsup == 0 {
		c.Unsup = 1
	}
	if c.Dropout == 0 {
		c.Dropout = 0.3
	}
	if c.Dropout < 0 {
		c.Dropout = 0
	}
	return c
}

// Validate reports the first bad field (after defaults).
func (c Config) Validate() error {
	c = c.withDefaults()
	switch {
	case c.Steps < 0:
		return fmt.Errorf("ssgan: steps %d: want ≥ 0", c.Steps)
	case c.Batch < 2:
		return fmt.Errorf("ssgan: batch %d: want ≥ 2", c.Batch)
	case c.LR < 0:
		return fmt.Errorf("ssgan: learning rate %g: want ≥ 0", c.LR)
	case c.Noise < 1:
		return fmt.Errorf("ssgan: noise size %d: want ≥ 1", c.Noise)
	case c.Unsup < 0:
		return fmt.Errorf("ssgan: unsupervised weight %g: want ≥ 0", c.Unsup)
	case c.Dropout >= 1:
		return fmt.Errorf("ssgan: dropout %g: want < 1", c.Dropout)
	}
	return nil
}

// lrelu is the leaky ReLU of slope 0.2, as 0.2·x + 0.8·max(x, 0) (nn.ReLU's fast
// mask instead of a select).
func lrelu(x *Node) *Node { return Add(MulScalar(x, 0.2), MulScalar(nn.ReLU(x), 0.8)) }

// dropout zeroes each element of x [4B, ...] with probability rate (and scales the
// others by 1/(1-rate)); the last B rows reuse the mask of rows 2B..3B, so that the
// generated patches and their stopped-gradient copy see the same network.
func dropout(s *model.Scope, x *Node, rate float64, b int) *Node {
	if rate == 0 {
		return x
	}
	d := append([]int(nil), x.Shape().Dimensions...)
	d[0] = 3 * b
	u := s.RandomUniform(x.Graph(), shapes.Make(x.DType(), d...))
	keep := StopGradient(ConvertDType(GreaterOrEqual(u, Scalar(x.Graph(), x.DType(), rate)), x.DType()))
	spec := make([]SliceAxisSpec, len(d))
	for i := range spec {
		spec[i] = AxisRange()
	}
	spec[0] = AxisRange(2*b, 3*b)
	keep = Concatenate([]*Node{keep, Slice(keep, spec...)}, 0)
	return Mul(x, MulScalar(keep, 1/(1-rate)))
}

// Discriminator returns the K+1-class discriminator's logits [N, K] (the fake class's
// logit is fixed at 0, Salimans et al.'s parameterisation) and its last hidden layer
// [N, 128] (the features matched by the generator) for patches x [N, 7, 7, d, 1]:
//
//	spectral  conv3d 16@1×1×5 (valid along the bands), leaky ReLU 0.2
//	spatial   conv3d 32@3×3×1 (valid: 5×5), leaky ReLU
//	spectral  conv3d 32@1×1×3, stride 2 along the bands, leaky ReLU
//	spatial   conv3d 64@3×3×1 (valid: 3×3), leaky ReLU, dropout
//	dense     128, leaky ReLU (the features), dropout
//	dense     K
//
// In training, N is 4B (labelled, unlabelled, generated, generated again; see Loss)
// and dropout (rate > 0) uses one mask for the two generated blocks.
func Discriminator(s *model.Scope, x *Node, classes int, training bool, rate float64) (logits, features *Node) {
	n := x.Shape().Dimensions[0]
	drop := func(name string, h *Node) *Node {
		if !training || rate == 0 {
			return h
		}
		return dropout(s.In("%s", name), h, rate, n/4)
	}
	conv := func(name string, h *Node, filters int, k, stride [3]int) *Node {
		return lrelu(nn.Conv3D(s.In("%s", name), h, nn.Conv3DConfig{Filters: filters, Kernel: k, Stride: stride, Padding: nn.Valid, Init: nn.KaimingUniform}))
	}
	one := [3]int{1, 1, 1}
	d := x.Shape().Dimensions[3]
	k1 := min(5, d)
	h := conv("spectral1", x, 16, [3]int{1, 1, k1}, one)
	h = conv("spatial1", h, 32, [3]int{3, 3, 1}, one)
	if h.Shape().Dimensions[3] >= 3 {
		h = conv("spectral2", h, 32, [3]int{1, 1, 3}, [3]int{1, 1, 2})
	}
	h = conv("spatial2", h, 64, [3]int{3, 3, 1}, one)
	h = drop("drop1", nn.Flatten(h))
	features = lrelu(nn.DenseWith(s.In("hidden"), h, nn.DenseConfig{Out: 128, Init: nn.KaimingUniform}))
	logits = nn.DenseWith(s.In("out"), drop("drop2", features), nn.DenseConfig{Out: classes, Init: nn.KaimingUniform})
	return logits, features
}

// Generator maps noise z [B, noise] to patches [B, 7, 7, d, 1]. nn has no transposed
// convolution, so the "transposed spectral and spatial convolutions" of the paper
// are a dense layer to the whole 7×7×d×4 volume followed by two convolutions that
// keep the size:
//
//	dense    7·7·d·4, batch norm, ReLU; reshape to [7, 7, d, 4]
//	spatial  conv3d 16@3×3×1 (same), batch norm, ReLU
//	spectral conv3d 1@1×1×3 (same), linear (the features are standardised)
func Generator(s *model.Scope, z *Node, d int, training bool) *Node {
	b := z.Shape().Dimensions[0]
	h := nn.DenseWith(s.In("dense"), z, nn.DenseConfig{Out: Patch * Patch * d * 4, NoBias: true, Init: nn.KaimingUniform})
	h = nn.ReLU(nn.BatchNormWith(s.In("bn0"), h, training, nn.BatchNormConfig{}))
	h = Reshape(h, b, Patch, Patch, d, 4)
	h = nn.Conv3D(s.In("spatial"), h, nn.Conv3DConfig{Filters: 16, Kernel: [3]int{3, 3, 1}, Padding: nn.Same, NoBias: true, Init: nn.KaimingUniform})
	h = nn.ReLU(nn.BatchNormWith(s.In("bn1"), h, training, nn.BatchNormConfig{}))
	return nn.Conv3D(s.In("spectral"), h, nn.Conv3DConfig{Filters: 1, Kernel: [3]int{1, 1, 3}, Padding: nn.Same, Init: nn.KaimingUniform})
}

// LogSumExp is log Σ_k exp(l[:, k]) over the last axis of logits [N, K], shifted by
// the (gradient-stopped) row maximum: [N].
func LogSumExp(l *Node) *Node {
	m := StopGradient(ReduceAndKeep(l, ReduceMax, 1))
	return Add(Reshape(m, l.Shape().Dimensions[0]), Log(ReduceSum(Exp(Sub(l, m)), 1)))
}

// Losses are the terms of the SS-GAN objective, each a mean over its batch.
type Losses struct {
	Sup   *Node // cross-entropy of the K real classes on labelled patches
	Unsup *Node // real/fake loss of the unlabelled and generated patches
	FM    *Node // feature matching: ‖mean f(unlabelled) − mean f(generated)‖² / dims
}

// GANLosses are Salimans et al.'s (2016) K+1-class losses from the discriminator's K
// logits (the fake class has logit 0): with Z(x) = Σ_k exp l_k(x), D(x) = Z/(Z+1) is
// the probability of "real", and
//
//	Sup   = −mean log softmax(l_lab)[y]
//	Unsup = −½ mean log D(x_unl) − ½ mean log(1 − D(G(z)))
//	      =  ½ mean [softplus(lse_unl) − lse_unl] + ½ mean softplus(lse_fake)
//
// (lse = log Z), the form of their code. y are int32 labels 0..K-1.
func GANLosses(lLab, y, lUnl, lFake *Node) (sup, unsup *Node) {
	sup = cnn.CrossEntropy(lLab, y)
	lu, lf := LogSumExp(lUnl), LogSumExp(lFake)
	unsup = Add(MulScalar(ReduceAllMean(Sub(Softplus(lu), lu)), 0.5), MulScalar(ReduceAllMean(Softplus(lf)), 0.5))
	return sup, unsup
}

// featureMatching is the mean squared difference of the batch means of a and b.
func featureMatching(a, b *Node) *Node {
	return ReduceAllMean(Square(Sub(ReduceMean(a, 0), ReduceMean(b, 0))))
}

// Loss returns the training loss of package train for inputs [labelled patches
// [B,7,7,d,1], labels [B] int32, unlabelled patches [B,7,7,d,1], noise [B, noise]].
//
// One optimizer (Adam) updates both networks from one scalar: the discriminator's
// loss Sup + w·Unsup on the generated patches behind a StopGradient, plus the
// feature-matching loss FM(f(x_unl), f(G(z))) minus the same loss with G(z) behind a
// StopGradient. The two FM terms are equal in value (the same patches through the
// same network with the same dropout mask), so their difference is 0 and its
// gradient with respect to the discriminator's parameters cancels exactly, while the
// generator's parameters get the gradient of FM alone: the alternating D and G
// updates of a GAN in one step of the shared trainer. The batch goes through the
// discriminator once, as [labelled; unlabelled; G(z) stopped; G(z)].
func Loss(classes, bands int, cfg Config) train.LossFunc {
	cfg = cfg.withDefaults()
	return func(s *model.Scope, in []*Node) *Node {
		t := terms(s, in, classes, bands, cfg)
		return Add(Add(t.Sup, MulScalar(t.Unsup, cfg.Unsup)), Sub(t.FM, t.FMStopped))
	}
}

// stepTerms are the terms of one training step.
type stepTerms struct {
	Sup, Unsup *Node // GANLosses, the generated patches behind a StopGradient
	FM         *Node // feature matching of f(x_unl) (stopped) and f(G(z))
	FMStopped  *Node // the same with G(z) stopped: equal in value to FM
}

func terms(s *model.Scope, in []*Node, classes, bands int, cfg Config) stepTerms {
	xl, y, xu, z := in[0], in[1], in[2], in[3]
	b := xl.Shape().Dimensions[0]
	xg := Generator(s.In("gen"), z, bands, true)
	x := Concatenate([]*Node{xl, xu, StopGradient(xg), xg}, 0)
	logits, f := Discriminator(s.In("net"), x, classes, true, cfg.Dropout)
	rows := func(t *Node, i int) *Node {
		spec := []SliceAxisSpec{AxisRange(i*b, (i+1)*b)}
		for range t.Rank() - 1 {
			spec = append(spec, AxisRange())
		}
		return Slice(t, spec...)
	}
	var t stepTerms
	t.Sup, t.Unsup = GANLosses(rows(logits, 0), y, rows(logits, 1), rows(logits, 2))
	fu := StopGradient(rows(f, 1))
	t.FM, t.FMStopped = featureMatching(fu, rows(f, 3)), featureMatching(fu, rows(f, 2))
	return t
}

// batches draws each step's inputs from a generator seeded by (seed, step): B
// labelled patches (sampled with replacement), B unlabelled ones and B noise vectors
// N(0, 1).
type batches struct {
	c                *cnn.Cube
	lab, unl         []int
	y                []int32
	b, noise, bands  int
	seed             uint64
	xl, xu, zz       []float32
	yl               []int32
	patchSize, steps int
}

func (bt *batches) Batch(step int) ([]*tensors.Tensor, error) {
	r := rand.New(rand.NewPCG(bt.seed, uint64(step)))
	n := bt.patchSize
	idx := make([]int, bt.b)
	for i := range idx {
		j := r.IntN(len(bt.lab))
		idx[i] = bt.lab[j]
		bt.yl[i] = bt.y[j]
	}
	for i, p := range idx {
		bt.c.Patch(p, Patch, bt.xl[i*n:(i+1)*n])
	}
	for i := range idx {
		bt.c.Patch(bt.unl[r.IntN(len(bt.unl))], Patch, bt.xu[i*n:(i+1)*n])
	}
	for i := range bt.zz {
		bt.zz[i] = float32(r.NormFloat64())
	}
	dims := cnn.InputDims(bt.b, Patch, bt.bands)
	return []*tensors.Tensor{
		tensors.FromFlatDataAndDimensions(append([]float32(nil), bt.xl...), dims...),
		tensors.FromFlatDataAndDimensions(append([]int32(nil), bt.yl...), bt.b),
		tensors.FromFlatDataAndDimensions(append([]float32(nil), bt.xu...), dims...),
		tensors.FromFlatDataAndDimensions(append([]float32(nil), bt.zz...), bt.b, bt.noise),
	}, nil
}

// Fit trains the SS-GAN on cube c: the labelled pixels lab with labels (1..classes),
// the unlabelled pixels unl (normally every other pixel of the scene) and generated
// patches, and returns the discriminator's class probabilities (the softmax of its K
// real-class logits) for every pixel. With exp not nil the training runs inside the
// experiment (metrics, checkpoints, progress, energy; a resumed experiment continues
// from its checkpoint); exp is left open.
func Fit(ctx context.Context, c *cnn.Cube, lab, labels, unl []int, classes int, cfg Config, exp *run.Experiment) (*cnn.Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	if len(lab) == 0 || len(lab) != len(labels) {
		return nil, fmt.Errorf("ssgan: %d labelled pixels and %d labels", len(lab), len(labels))
	}
	if len(unl) == 0 {
		return nil, fmt.Errorf("ssgan: no unlabelled pixels")
	}
	y := make([]int32, len(labels))
	for i, l := range labels {
		if l < 1 || l > classes {
			return nil, fmt.Errorf("ssgan: label %d of pixel %d not in 1..%d", l, lab[i], classes)
		}
		y[i] = int32(l - 1)
	}
	b, err := backend.New(cfg.Backend)
	if err != nil {
		return nil, err
	}
	n := Patch * Patch * c.Bands
	bt := &batches{c: c, lab: lab, unl: unl, y: y, b: cfg.Batch, noise: cfg.Noise, bands: c.Bands, seed: cfg.Seed,
		xl: make([]float32, cfg.Batch*n), xu: make([]float32, cfg.Batch*n), zz: make([]float32, cfg.Batch*cfg.Noise),
		yl: make([]int32, cfg.Batch), patchSize: n, steps: cfg.Steps}
	spe := max(1, (len(lab)+cfg.Batch-1)/cfg.Batch)
	every := cfg.CheckpointEvery
	if every == 0 {
		every = max(1, cfg.Steps/10)
	}
	store := model.NewStore()
	tr, err := train.New(b, store, Loss(classes, c.Bands, cfg), train.Config{Steps: cfg.Steps, StepsPerEpoch: spe,
		Optimizer: train.Optimizer{Name: "adam", LR: cfg.LR, Beta1: 0.5}, CheckpointEvery: every, Seed: cfg.Seed,
		Quiet: cfg.Quiet, NoMeter: cfg.NoMeter})
	if err != nil {
		return nil, err
	}
	res, err := tr.Run(ctx, bt, exp)
	if err != nil {
		return nil, err
	}
	prob, err := cnn.Classify(b, store, func(s *model.Scope, x *Node) *Node {
		l, _ := Discriminator(s.In("net"), x, classes, false, 0)
		return l
	}, c, Patch, classes)
	if err != nil {
		return nil, err
	}
	return &cnn.Result{Prob: prob, Params: cnn.CountParams(store), Steps: res.Steps, Epochs: res.Epochs, Loss: res.Loss,
		StepMillis: res.StepMillis, Seconds: res.Seconds}, nil
}
