package nn

import (
	"fmt"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// ResidualBlock1D is the residual block of the ResNet for time series of Wang et al.
// (2017) as implemented in dl-4-tsc (Ismail Fawaz et al. 2019): three Same-padded
// Conv1D layers with kernels 8, 5 and 3 and the given number of filters, each followed
// by BatchNorm and (but the last) ReLU; a shortcut that is a kernel-1 Conv1D plus
// BatchNorm when the input's channel count differs from filters and a BatchNorm alone
// when it does not; their sum goes through a ReLU. x is [batch, length, channels];
// the result is [batch, length, filters]. Variables live in the sub-scopes conv_i,
// bn_i (i = 0, 1, 2), shortcut_conv and shortcut_bn of s; initialisation is init.
func ResidualBlock1D(s *model.Scope, x *Node, filters int, training bool, init Init) *Node {
	if x.Rank() != 3 {
		panic(fmt.Sprintf("nn: ResidualBlock1D input must be [batch, length, channels], got %s", x.Shape()))
	}
	h := x
	for i, k := range []int{8, 5, 3} {
		h = Conv1D(s.In("conv_%d", i), h, Conv1DConfig{Filters: filters, Kernel: k, Init: init})
		h = BatchNorm(s.In("bn_%d", i), h, training)
		if i < 2 {
			h = ReLU(h)
		}
	}
	short := x
	if x.Shape().Dimensions[2] != filters {
		short = Conv1D(s.In("shortcut_conv"), x, Conv1DConfig{Filters: filters, Kernel: 1, Init: init})
	}
	short = BatchNorm(s.In("shortcut_bn"), short, training)
	return ReLU(Add(h, short))
}
