package nn

import (
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
)

// The pure-Go backend reduces along an axis with a generic index iterator that costs
// several nanoseconds per element, while its matrix products are vectorised: colSum
// expresses the column sums of an [n, c] matrix as a product with a row of ones, which
// is 3-10 times faster there. (Row broadcasts need no helper: a [1, c] operand of an
// elementwise operation is applied row by row by the patched backend.)

// colSum returns the sums over the rows of x [n, c], as [1, c].
func colSum(x *Node) *Node {
	n := x.Shape().Dimensions[0]
	return Dot(Ones(x.Graph(), shapes.Make(x.DType(), 1, n)), x).Product()
}
