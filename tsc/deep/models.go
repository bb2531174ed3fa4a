package deep

import (
	"fmt"
	"sort"
	"strings"

	"github.com/ergml/erg/nn"
	"github.com/ergml/erg/train"
	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// Arch builds a model's logits [batch, classes] from x [batch, length, channels] and a
// mask [batch, length] (1 on real samples, 0 on padding). training selects batch
// statistics and dropout.
type Arch func(s *model.Scope, x, mask *Node, classes int, training bool) *Node

// Spec is one model of the zoo with its published default training.
type Spec struct {
	Name      string
	Arch      Arch
	Optimizer train.Optimizer
	Epochs    int
	BatchCap  int  // batch size = min(n_train/10, BatchCap), at least 1 (dl-4-tsc's rule); 0: fixed Batch
	Batch     int  // fixed batch size when BatchCap is 0
	Plateau   bool // ReduceLROnPlateau on the training loss
	Factor    float64
	Patience  int
	MinLR     float64
	Ensemble  int // InceptionTime: members averaged at prediction (1 otherwise)
}

// Specs lists the zoo by name: mlp, fcn, resnet, encoder, inception.
var Specs = map[string]Spec{
	// Keras Adadelta defaults in dl-4-tsc: lr 1.0, rho 0.95, epsilon 1e-7.
	"mlp": {Name: "mlp", Arch: MLP, Optimizer: train.Optimizer{Name: "adadelta", LR: 1.0, Rho: 0.95, Eps: 1e-7},
		Epochs: 5000, BatchCap: 16, Plateau: true, Factor: 0.5, Patience: 200, MinLR: 0.1, Ensemble: 1},
	"fcn": {Name: "fcn", Arch: FCN, Optimizer: train.Optimizer{Name: "adam", LR: 1e-3, Eps: 1e-7},
		Epochs: 2000, BatchCap: 16, Plateau: true, Factor: 0.5, Patience: 50, MinLR: 1e-4, Ensemble: 1},
	"resnet": {Name: "resnet", Arch: ResNet, Optimizer: train.Optimizer{Name: "adam", LR: 1e-3, Eps: 1e-7},
		Epochs: 1500, BatchCap: 64, Plateau: true, Factor: 0.5, Patience: 50, MinLR: 1e-4, Ensemble: 1},
	"encoder": {Name: "encoder", Arch: Encoder, Optimizer: train.Optimizer{Name: "adam", LR: 1e-5, Eps: 1e-7},
		Epochs: 100, Batch: 12, Ensemble: 1},
	"inception": {Name: "inception", Arch: Inception, Optimizer: train.Optimizer{Name: "adam", LR: 1e-3, Eps: 1e-7},
		Epochs: 1500, Batch: 64, Plateau: true, Factor: 0.5, Patience: 50, MinLR: 1e-4, Ensemble: 5},
}

// Names lists the model names, sorted.
func Names() []string {
	var n []string
	for k := range Specs {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}

// Lookup returns the spec of a model by name.
func Lookup(name string) (Spec, error) {
	s, ok := Specs[strings.ToLower(name)]
	if !ok {
		return s, fmt.Errorf("deep: unknown model %q (have %s)", name, strings.Join(Names(), ", "))
	}
	return s, nil
}

// BatchSize applies the spec's batch-size rule to n training series.
func (s Spec) BatchSize(n int) int {
	b := s.Batch
	if s.BatchCap > 0 {
		b = min(n/10, s.BatchCap)
	}
	return max(1, min(b, n))
}

// bnMomentum is the running-statistics momentum (PyTorch convention); Keras 0.99 is 0.01.
var bnMomentum = 0.01

// bnMomentumParam is the graph parameter that overrides bnMomentum for one graph (the
// recalibration pass sets it to 1).
const bnMomentumParam = "erg.deep.bn_momentum"

// bn is batch normalisation with Keras's defaults (momentum 0.99, epsilon 1e-3), as the
// dl-4-tsc models use.
func bn(s *model.Scope, x *Node, training bool) *Node {
	m := bnMomentum
	if v, ok := s.GetGraphParam(x.Graph(), bnMomentumParam); ok {
		m = v.(float64)
	}
	return nn.BatchNormWith(s, x, training, nn.BatchNormConfig{Momentum: m, Epsilon: 1e-3})
}

// relu is max(x, 0) with nn.ReLU's gradient (one select; 0 at x = 0 as in PyTorch,
// where GoMLX's generic derivative of Max gives 1 there and costs several passes).
func relu(x *Node) *Node { return nn.ReLU(x) }

func convBNReLU(s *model.Scope, x *Node, filters, kernel int, training, act bool) *Node {
	h := nn.Conv1D(s.In("conv"), x, nn.Conv1DConfig{Filters: filters, Kernel: kernel})
	h = bn(s.In("bn"), h, training)
	if act {
		h = relu(h)
	}
	return h
}

// MLP is dl-4-tsc's multilayer perceptron: dropout 0.1, three dense ReLU layers of 500
// units each followed by dropout 0.2, 0.2, 0.3, and a softmax layer.
func MLP(s *model.Scope, x, mask *Node, classes int, training bool) *Node {
	dims := x.Shape().Dimensions
	h := Reshape(Mul(x, ExpandAxes(mask, 2)), dims[0], dims[1]*dims[2])
	h = dropout(s.In("drop0"), h, 0.1, training)
	for i, rate := range []float64{0.2, 0.2, 0.3} {
		h = relu(nn.Dense(s.In("dense%d", i), h, 500))
		h = dropout(s.In("drop%d", i+1), h, rate, training)
	}
	return nn.Dense(s.In("out"), h, classes)
}

// FCN is the fully convolutional network: conv 128k8, 256k5, 128k3, each with batch
// norm and ReLU, global average pooling and a softmax layer.
func FCN(s *model.Scope, x, mask *Node, classes int, training bool) *Node {
	h := convBNReLU(s.In("block1"), x, 128, 8, training, true)
	h = convBNReLU(s.In("block2"), h, 256, 5, training, true)
	h = convBNReLU(s.In("block3"), h, 128, 3, training, true)
	return nn.Dense(s.In("out"), nn.GlobalAvgPool1D(h, mask), classes)
}

// ResNet is dl-4-tsc's residual network: three blocks of conv k8/k5/k3 (64, 128, 128
// filters) with batch norm, a shortcut (1x1 conv + batch norm when the channel count
// changes, batch norm alone otherwise), global average pooling and softmax.
func ResNet(s *model.Scope, x, mask *Node, classes int, training bool) *Node {
	h := x
	for i, f := range []int{64, 128, 128} {
		bs := s.In("block%d", i+1)
		y := convBNReLU(bs.In("c1"), h, f, 8, training, true)
		y = convBNReLU(bs.In("c2"), y, f, 5, training, true)
		y = convBNReLU(bs.In("c3"), y, f, 3, training, false)
		var sc *Node
		if h.Shape().Dimensions[2] != f {
			sc = convBNReLU(bs.In("shortcut"), h, f, 1, training, false)
		} else {
			sc = bn(bs.In("shortcut").In("bn"), h, training)
		}
		h = relu(Add(y, sc))
	}
	return nn.Dense(s.In("out"), nn.GlobalAvgPool1D(h, mask), classes)
}

// Encoder is Serrà et al.'s encoder as in dl-4-tsc: conv 128k5, 256k11, 512k21 with
// instance norm, PReLU and dropout 0.2 (max pooling 2 after the first two), an attention
// over time using half of the channels as softmax weights, a dense sigmoid layer of 256
// with instance norm, and softmax.
func Encoder(s *model.Scope, x, mask *Node, classes int, training bool) *Node {
	h := Mul(x, ExpandAxes(mask, 2))
	m := mask
	for i, c := range []struct{ f, k int }{{128, 5}, {256, 11}, {512, 21}} {
		bs := s.In("block%d", i+1)
		h = nn.Conv1D(bs.In("conv"), h, nn.Conv1DConfig{Filters: c.f, Kernel: c.k})
		h = instanceNorm(bs.In("norm"), h)
		h = prelu(bs.In("prelu"), h)
		h = dropout(bs.In("drop"), h, 0.2, training)
		if i < 2 {
			h = maxPool1D(h, 2, 2)
			l := h.Shape().Dimensions[1]
			m = ReduceMax(Reshape(Slice(m, AxisRange(), AxisRange(0, 2*l)), m.Shape().Dimensions[0], l, 2), 2)
		}
	}
	data := Slice(h, AxisRange(), AxisRange(), AxisRange(0, 256))
	att := Slice(h, AxisRange(), AxisRange(), AxisRange(256, 512))
	// Softmax over time, with padded positions excluded.
	big := Scalar(att.Graph(), att.DType(), 1e9)
	att = Sub(att, Mul(OneMinus(ExpandAxes(m, 2)), big))
	att = Softmax(att, 1)
	v := ReduceSum(Mul(data, att), 1)
	v = Sigmoid(nn.Dense(s.In("dense"), v, 256))
	// InstanceNormalization on a [batch, 256] tensor normalises over the features.
	mean := ReduceAndKeep(v, ReduceMean, 1)
	d := Sub(v, mean)
	v = Div(d, Sqrt(AddScalar(ReduceAndKeep(Square(d), ReduceMean, 1), 1e-3)))
	return nn.Dense(s.In("out"), v, classes)
}

// Inception is one InceptionTime network: six inception modules (bottleneck 32 when the
// input has more than one channel, kernels 40/20/10 and a max-pool branch, 32 filters
// each, batch norm and ReLU) with a residual connection every three modules, global
// average pooling and softmax. The classifier averages five such networks.
func Inception(s *model.Scope, x, mask *Node, classes int, training bool) *Node {
	h := x
	res := x
	for d := 0; d < 6; d++ {
		h = inceptionModule(s.In("module%d", d), h, training)
		if d%3 == 2 {
			rs := s.In("residual%d", d)
			sc := nn.Conv1D(rs.In("conv"), res, nn.Conv1DConfig{Filters: h.Shape().Dimensions[2], Kernel: 1, NoBias: true})
			sc = bn(rs.In("bn"), sc, training)
			h = relu(Add(h, sc))
			res = h
		}
	}
	return nn.Dense(s.In("out"), nn.GlobalAvgPool1D(h, mask), classes)
}

func inceptionModule(s *model.Scope, x *Node, training bool) *Node {
	const filters = 32
	in := x
	if x.Shape().Dimensions[2] > 1 {
		in = nn.Conv1D(s.In("bottleneck"), x, nn.Conv1DConfig{Filters: 32, Kernel: 1, NoBias: true})
	}
	var branches []*Node
	for i, k := range []int{40, 20, 10} {
		branches = append(branches, nn.Conv1D(s.In("conv%d", i), in, nn.Conv1DConfig{Filters: filters, Kernel: k, NoBias: true}))
	}
	p := maxPool1D(x, 3, 1)
	branches = append(branches, nn.Conv1D(s.In("poolconv"), p, nn.Conv1DConfig{Filters: filters, Kernel: 1, NoBias: true}))
	h := Concatenate(branches, 2)
	h = bn(s.In("bn"), h, training)
	return relu(h)
}

// softmaxCrossEntropy is the mean categorical cross-entropy of logits against integer
// labels.
func softmaxCrossEntropy(logits, labels *Node) *Node {
	classes := logits.Shape().Dimensions[1]
	oneHot := OneHot(labels, classes, logits.DType())
	logp := LogSoftmax(logits, 1)
	return Neg(ReduceAllMean(ReduceSum(Mul(oneHot, logp), 1)))
}

var (
	_ = dtypes.Float32
	_ = tensors.FromValue[float32]
)
