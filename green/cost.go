package green

import (
	"fmt"
	"strings"
)

// Cost is a model's size and arithmetic, counted analytically from its layer shapes.
type Cost struct {
	Params int64 `json:"params"` // trainable parameters (batch-norm running statistics excluded), as PyTorch's sum of p.numel()
	// FLOPs is the forward pass of one image: 2 × the multiply-accumulates of the
	// convolutions and dense layers (the convention of fvcore/ptflops ×2 and of the
	// paper's GFLOPs); batch norm, activations, pooling and the softmax are not counted.
	FLOPs int64 `json:"flops"`
}

// shape tracks a feature map through a network and sums its cost.
type shape struct {
	h, w, c int
	cost    Cost
}

func (s *shape) conv(k, out, stride, pad, groups int, bias, bn bool) {
	oh := (s.h+2*pad-k)/stride + 1
	ow := (s.w+2*pad-k)/stride + 1
	perOut := int64(k * k * s.c / groups) // weights feeding one output value
	s.cost.Params += perOut * int64(out)
	if bias {
		s.cost.Params += int64(out)
	}
	if bn {
		s.cost.Params += 2 * int64(out)
	}
	s.cost.FLOPs += 2 * perOut * int64(out*oh*ow)
	s.h, s.w, s.c = oh, ow, out
}

func (s *shape) pool2() { s.h, s.w = s.h/2, s.w/2 }

func (s *shape) flatten() { s.c, s.h, s.w = s.h*s.w*s.c, 1, 1 }

func (s *shape) gap() { s.h, s.w = 1, 1 }

func (s *shape) dense(out int) {
	s.cost.Params += int64(s.c*out + out)
	s.cost.FLOPs += 2 * int64(s.c*out)
	s.c = out
}

// Models are the architectures ModelCost counts: the models of the study and the
// rest of the vision zoo.
var Models = []string{"mlp", "cnn", "resnet8", "resnet20", "mobilenet", "lenet5", "vgg"}

// StudyModels are the models of the paper's study design (issue 18).
var StudyModels = []string{"mlp", "cnn", "resnet8", "resnet20", "mobilenet"}

// ModelCost counts the parameters and forward FLOPs per image of a model of package
// vision's zoo on h×w×c images with the given number of classes, layer by layer
// (the layer shapes of vision's architectures: 3×3 convolutions pad 1, stride-2
// convolutions halve rounding up, 2×2 max pooling floors).
func ModelCost(model string, h, w, c, classes int) (Cost, error) {
	s := &shape{h: h, w: w, c: c}
	switch strings.ToLower(model) {
	case "mlp":
		s.flatten()
		s.dense(256)
		s.dense(128)
	case "cnn":
		s.conv(3, 32, 1, 1, 1, true, false)
		s.pool2()
		s.conv(3, 64, 1, 1, 1, true, false)
		s.pool2()
		s.flatten()
		s.dense(128)
	case "lenet5":
		s.conv(5, 6, 1, 2, 1, true, false)
		s.pool2()
		s.conv(5, 16, 1, 0, 1, true, false)
		s.pool2()
		s.flatten()
		s.dense(120)
		s.dense(84)
	case "vgg":
		for i, f := range []int{32, 32, 64, 64} {
			s.conv(3, f, 1, 1, 1, false, true)
			if i%2 == 1 {
				s.pool2()
			}
		}
		s.flatten()
		s.dense(256)
	case "resnet8", "resnet20":
		n := 1
		if strings.ToLower(model) == "resnet20" {
			n = 3
		}
		s.conv(3, 16, 1, 1, 1, false, true)
		for stage, f := range []int{16, 32, 64} {
			for b := 0; b < n; b++ {
				stride := 1
				if stage > 0 && b == 0 {
					stride = 2
				}
				in := *s
				s.conv(3, f, stride, 1, 1, false, true)
				s.conv(3, f, 1, 1, 1, false, true)
				if stride != 1 || in.c != f {
					sc := shape{h: in.h, w: in.w, c: in.c}
					sc.conv(1, f, stride, 0, 1, false, true)
					s.cost.Params += sc.cost.Params
					s.cost.FLOPs += sc.cost.FLOPs
				}
			}
		}
		s.gap()
	case "mobilenet":
		s.conv(3, 32, 1, 1, 1, false, true)
		for _, b := range []struct{ out, stride int }{{64, 1}, {128, 2}, {128, 1}, {256, 2}, {256, 1}} {
			s.conv(3, s.c, b.stride, 1, s.c, false, true)
			s.conv(1, b.out, 1, 0, 1, false, true)
		}
		s.gap()
	default:
		return Cost{}, fmt.Errorf("green: unknown model %q (have %s)", model, strings.Join(Models, ", "))
	}
	s.dense(classes)
	return s.cost, nil
}
