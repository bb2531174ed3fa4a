package nn

import (
	"fmt"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// Dropout (Srivastava et al. 2014, "inverted" form): in training mode each element
// of x is zeroed with probability rate and the others are scaled by 1/(1-rate), so
// the expectation is unchanged; otherwise (or with rate 0) x is returned as is. The
// random numbers come from the model store's generator (see Init). It panics unless
// 0 <= rate < 1.
func Dropout(s *model.Scope, x *Node, rate float64, training bool) *Node {
	if rate < 0 || rate >= 1 {
		panic(fmt.Sprintf("nn: dropout rate %g not in [0, 1)", rate))
	}
	if !training || rate == 0 {
		return x
	}
	u := s.RandomUniform(x.Graph(), x.Shape())
	keep := ConvertDType(GreaterOrEqual(u, Scalar(x.Graph(), x.DType(), rate)), x.DType())
	return Mul(x, MulScalar(StopGradient(keep), 1/(1-rate)))
}
