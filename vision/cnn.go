package vision

import (
	"github.com/ergml/erg/nn"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// The "cnn" of the zoo, registered here so that the study of package green (issue 18)
// can train it with Train like every other model.
func init() {
	Specs["cnn"] = Spec{Name: "cnn", Title: "CNN: conv3x3 32, ReLU, max pool 2, conv3x3 64, ReLU, max pool 2, dense 128, ReLU, classes",
		Arch: CNN, Epochs: 15, Batch: 64, LR: 1e-3, Schedule: "cosine"}
}

// CNN is the small convolutional network of PyTorch's MNIST examples, with padding:
// a 3×3 convolution of 32 channels (padding 1, bias) with ReLU and 2×2 max pooling,
// the same with 64 channels, flatten, dense 128 with ReLU and the output layer. On
// 28×28×1 images and 10 classes it has 421,642 parameters:
//
//	conv1 3×3 1→32:    9·32 + 32        =     320   (28×28 → pool → 14×14)
//	conv2 3×3 32→64:   9·32·64 + 64     =  18,496   (14×14 → pool → 7×7×64 = 3136)
//	dense 3136→128:    3136·128 + 128   = 401,536
//	dense 128→10:      128·10 + 10      =   1,290
func CNN(s *model.Scope, x *Node, o ArchOptions) *Node {
	h := x
	for i, f := range []int{32, 64} {
		h = nn.Conv2D(s.In("conv%d", i+1), h, nn.Conv2DConfig{Filters: f, Kernel: [2]int{3, 3}, Pad: [2][2]int{{1, 1}, {1, 1}},
			Padding: nn.Valid, Init: nn.KaimingUniform})
		h = maxPool2(nn.ReLU(h))
	}
	h = dense(s.In("dense1"), nn.Flatten(h), 128, true)
	return dense(s.In("out"), h, o.Classes, false)
}
