package vision

import (
	"fmt"
	"sort"
	"strings"

	"github.com/ergml/erg/nn"
	"github.com/ergml/erg/train"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// ArchOptions are what an architecture needs besides its input.
type ArchOptions struct {
	Classes  int     // outputs
	Training bool    // batch statistics and dropout (training) or running statistics (inference)
	Dropout  float64 // dropout before the last layer, for the models that have one (vgg); 0: none
}

// Arch builds a model's logits [B, Classes] from images x [B, H, W, C] (NHWC, float32)
// in scope s.
type Arch func(s *model.Scope, x *Node, o ArchOptions) *Node

// Spec is one model of the zoo with its default training: Adam with PyTorch's defaults
// (betas 0.9/0.999, eps 1e-8) at LR, Batch images per step, Epochs epochs, the learning
// rate annealed per epoch by Schedule. The defaults reach the accuracies the package
// documentation lists on Fashion-MNIST without augmentation.
type Spec struct {
	Name     string
	Title    string // one line: the architecture
	Arch     Arch
	Epochs   int
	Batch    int
	LR       float64
	Schedule string // "constant", "cosine" (CosineAnnealingLR over the run) or "step" (x0.1 every third of the run)
	Dropout  bool   // the model has a dropout layer (ArchOptions.Dropout applies)
}

// Specs lists the zoo by name.
var Specs = map[string]Spec{
	"mlp": {Name: "mlp", Title: "MLP: flatten, dense 256, 128 (ReLU), classes",
		Arch: MLP, Epochs: 15, Batch: 64, LR: 1e-3, Schedule: "cosine"},
	"lenet5": {Name: "lenet5", Title: "LeNet-5: conv 6@5x5 pad 2, max pool 2, conv 16@5x5, max pool 2, dense 120, 84, classes (ReLU)",
		Arch: LeNet5, Epochs: 15, Batch: 64, LR: 1e-3, Schedule: "cosine"},
	"vgg": {Name: "vgg", Title: "small VGG: [conv3x3 32, BN, ReLU]x2, pool, [conv3x3 64, BN, ReLU]x2, pool, dense 256, dropout, classes",
		Arch: VGG, Epochs: 15, Batch: 64, LR: 1e-3, Schedule: "cosine", Dropout: true},
	"resnet8": {Name: "resnet8", Title: "ResNet-8 (He et al. 2016, CIFAR, n=1): conv 16, 3 stages of 1 basic block (16/32/64), option-B shortcuts, GAP, dense",
		Arch: ResNet(1), Epochs: 15, Batch: 64, LR: 1e-3, Schedule: "cosine"},
	"resnet20": {Name: "resnet20", Title: "ResNet-20 (He et al. 2016, CIFAR, n=3): conv 16, 3 stages of 3 basic blocks (16/32/64), option-B shortcuts, GAP, dense",
		Arch: ResNet(3), Epochs: 15, Batch: 64, LR: 1e-3, Schedule: "cosine"},
	"mobilenet": {Name: "mobilenet", Title: "MobileNet-v1-style: conv3x3 32, depthwise-separable 64, 128 s2, 128, 256 s2, 256, GAP, dense",
		Arch: MobileNet, Epochs: 15, Batch: 64, LR: 1e-3, Schedule: "cosine"},
}

// Names lists the model names in the zoo's order (by size of the architecture family).
func Names() []string {
	order := map[string]int{"mlp": 0, "lenet5": 1, "vgg": 2, "resnet8": 3, "resnet20": 4, "mobilenet": 5, "cnn": 6}
	var n []string
	for k := range Specs {
		n = append(n, k)
	}
	sort.Slice(n, func(i, j int) bool { return order[n[i]] < order[n[j]] })
	return n
}

// Lookup returns the spec of a model by name.
func Lookup(name string) (Spec, error) {
	s, ok := Specs[strings.ToLower(name)]
	if !ok {
		return s, fmt.Errorf("vision: unknown model %q (have %s)", name, strings.Join(Names(), ", "))
	}
	return s, nil
}

// Optimizer is the spec's optimizer for package train: Adam at lr (0: the spec's LR).
func (s Spec) Optimizer(lr float64) train.Optimizer {
	if lr == 0 {
		lr = s.LR
	}
	return train.Optimizer{Name: "adam", LR: lr, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}
}

// Loss returns the training loss of the model for package train: the mean softmax
// cross-entropy of its logits in training mode, inputs[0] the images [B, H, W, C]
// float32 and inputs[1] the labels [B] int32 (imageset.Loader's batches). The network
// lives in scope "net", as Predictor expects.
func (s Spec) Loss(classes int, dropout float64) train.LossFunc {
	arch := s.Arch
	return func(sc *model.Scope, in []*Node) *Node {
		logits := arch(sc.In("net"), in[0], ArchOptions{Classes: classes, Training: true, Dropout: dropout})
		return CrossEntropy(logits, in[1])
	}
}

// CrossEntropy is the mean softmax cross-entropy of logits [B, K] against int labels
// [B] (PyTorch's F.cross_entropy).
func CrossEntropy(logits, labels *Node) *Node {
	k := logits.Shape().Dimensions[1]
	oneHot := OneHot(labels, k, logits.DType())
	return Neg(ReduceAllMean(ReduceSum(Mul(oneHot, LogSoftmax(logits, 1)), 1)))
}

// Every layer is initialised as PyTorch does by default (nn.KaimingUniform: weights and
// biases U(±1/sqrt(fan_in))), batch norm is PyTorch's (momentum 0.1, eps 1e-5, gamma 1,
// beta 0), and convolutions followed by batch norm have no bias, as in torchvision.

func dense(s *model.Scope, x *Node, out int, relu bool) *Node {
	return nn.DenseWith(s, x, nn.DenseConfig{Out: out, Init: nn.KaimingUniform, ReLU: relu})
}

// conv is a k×k convolution with PyTorch's padding k/2 (stride 1: the size is kept;
// stride 2: halved, rounding up) and no bias.
func conv(s *model.Scope, x *Node, filters, k, stride, groups int) *Node {
	p := k / 2
	return nn.Conv2D(s, x, nn.Conv2DConfig{Filters: filters, Kernel: [2]int{k, k}, Stride: [2]int{stride, stride},
		Pad: [2][2]int{{p, p}, {p, p}}, Padding: nn.Valid, Groups: groups, NoBias: true, Init: nn.KaimingUniform})
}

// convBN is conv, batch norm and (if relu) a ReLU, in scopes conv and bn of s.
func convBN(s *model.Scope, x *Node, filters, k, stride, groups int, training, relu bool) *Node {
	h := conv(s.In("conv"), x, filters, k, stride, groups)
	h = nn.BatchNorm2D(s.In("bn"), h, training, nn.BatchNormConfig{})
	if relu {
		h = nn.ReLU(h)
	}
	return h
}

func maxPool2(x *Node) *Node { return nn.MaxPool2D(x, [2]int{2, 2}, [2]int{2, 2}, nn.Valid) }

// MLP flattens the image and applies dense layers of 256 and 128 units with ReLU and a
// linear output layer.
func MLP(s *model.Scope, x *Node, o ArchOptions) *Node {
	h := nn.Flatten(x)
	h = dense(s.In("dense1"), h, 256, true)
	h = dense(s.In("dense2"), h, 128, true)
	return dense(s.In("out"), h, o.Classes, false)
}

// LeNet5 is LeNet-5 (LeCun et al. 1998) in its common PyTorch form: conv 6@5×5 with
// padding 2, ReLU, 2×2 max pooling, conv 16@5×5 (valid), ReLU, 2×2 max pooling,
// flatten, dense 120 and 84 with ReLU, and the output layer. On 28×28×1 images and 10
// classes it has 61,706 parameters.
func LeNet5(s *model.Scope, x *Node, o ArchOptions) *Node {
	h := nn.Conv2D(s.In("conv1"), x, nn.Conv2DConfig{Filters: 6, Kernel: [2]int{5, 5}, Pad: [2][2]int{{2, 2}, {2, 2}},
		Padding: nn.Valid, Init: nn.KaimingUniform})
	h = maxPool2(nn.ReLU(h))
	h = nn.Conv2D(s.In("conv2"), h, nn.Conv2DConfig{Filters: 16, Kernel: [2]int{5, 5}, Padding: nn.Valid, Init: nn.KaimingUniform})
	h = maxPool2(nn.ReLU(h))
	h = nn.Flatten(h)
	h = dense(s.In("dense1"), h, 120, true)
	h = dense(s.In("dense2"), h, 84, true)
	return dense(s.In("out"), h, o.Classes, false)
}

// VGG is a small VGG-style network (Simonyan and Zisserman 2015, with batch norm):
// two 3×3 convolutions of 32 channels, each with batch norm and ReLU, 2×2 max
// pooling, the same with 64 channels, flatten, dense 256 with ReLU, dropout
// (ArchOptions.Dropout) and the output layer.
func VGG(s *model.Scope, x *Node, o ArchOptions) *Node {
	h := x
	for i, f := range []int{32, 32, 64, 64} {
		h = convBN(s.In("conv%d", i+1), h, f, 3, 1, 1, o.Training, true)
		if i%2 == 1 {
			h = maxPool2(h)
		}
	}
	h = dense(s.In("dense1"), nn.Flatten(h), 256, true)
	if o.Dropout > 0 {
		h = nn.Dropout(s.In("dropout"), h, o.Dropout, o.Training)
	}
	return dense(s.In("out"), h, o.Classes, false)
}

// ResNet returns the CIFAR ResNet of He et al. (2016, section 4.2) with 6n+2 layers:
// a 3×3 convolution of 16 channels with batch norm and ReLU, three stages of n basic
// blocks with 16, 32 and 64 channels, global average pooling and the output layer.
// A basic block is conv3×3, BN, ReLU, conv3×3, BN, plus the shortcut, then ReLU. The
// first block of stages 2 and 3 has stride 2, and its shortcut is a projection
// (option B of the paper: a 1×1 convolution of stride 2 with batch norm); the other
// shortcuts are identities. n = 1 is ResNet-8 (77,754 parameters on 28×28×1, 10
// classes), n = 3 ResNet-20 (272,186).
func ResNet(n int) Arch {
	return func(s *model.Scope, x *Node, o ArchOptions) *Node {
		h := convBN(s.In("stem"), x, 16, 3, 1, 1, o.Training, true)
		for stage, f := range []int{16, 32, 64} {
			ss := s.In("stage%d", stage+1)
			for b := 0; b < n; b++ {
				stride := 1
				if stage > 0 && b == 0 {
					stride = 2
				}
				h = basicBlock(ss.In("block%d", b+1), h, f, stride, o.Training)
			}
		}
		return dense(s.In("out"), nn.GlobalAvgPool2D(h), o.Classes, false)
	}
}

func basicBlock(s *model.Scope, x *Node, filters, stride int, training bool) *Node {
	h := convBN(s.In("a"), x, filters, 3, stride, 1, training, true)
	h = convBN(s.In("b"), h, filters, 3, 1, 1, training, false)
	short := x
	if stride != 1 || x.Shape().Dimensions[3] != filters {
		short = convBN(s.In("shortcut"), x, filters, 1, stride, 1, training, false)
	}
	return nn.ReLU(Add(h, short))
}

// MobileNet is a MobileNet-v1-style network (Howard et al. 2017) sized for 28×28 and
// 32×32 images: a 3×3 convolution of 32 channels, then depthwise-separable blocks —
// a depthwise 3×3 convolution (groups = channels) with batch norm and ReLU, then a
// pointwise 1×1 convolution with batch norm and ReLU — to 64, 128 (stride 2), 128,
// 256 (stride 2) and 256 channels, global average pooling and the output layer.
func MobileNet(s *model.Scope, x *Node, o ArchOptions) *Node {
	h := convBN(s.In("stem"), x, 32, 3, 1, 1, o.Training, true)
	for i, b := range []struct{ out, stride int }{{64, 1}, {128, 2}, {128, 1}, {256, 2}, {256, 1}} {
		bs := s.In("block%d", i+1)
		c := h.Shape().Dimensions[3]
		h = convBN(bs.In("dw"), h, c, 3, b.stride, c, o.Training, true)
		h = convBN(bs.In("pw"), h, b.out, 1, 1, 1, o.Training, true)
	}
	return dense(s.In("out"), nn.GlobalAvgPool2D(h), o.Classes, false)
}
