package nn

import (
	"fmt"

	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
)

// GlobalAvgPool1D averages x [batch, length, channels] over the length axis, giving
// [batch, channels]. If mask ([batch, length], boolean or 0/1 of x's dtype) is not
// nil, only positions where it is true/1 are averaged, for padded sequences of unequal
// length; rows whose mask is all false give zeros.
func GlobalAvgPool1D(x, mask *Node) *Node {
	if x.Rank() != 3 {
		panic(fmt.Sprintf("nn: GlobalAvgPool1D input must be [batch, length, channels], got %s", x.Shape()))
	}
	dims := x.Shape().Dimensions
	b, l := dims[0], dims[1]
	var w *Node // [batch, 1, length] weights of the average
	if mask == nil {
		w = Ones(x.Graph(), shapes.Make(x.DType(), b, 1, l))
		w = MulScalar(w, 1/float64(l))
	} else {
		if md := mask.Shape().Dimensions; len(md) != 2 || md[0] != b || md[1] != l {
			panic(fmt.Sprintf("nn: GlobalAvgPool1D mask %s does not match input %s", mask.Shape(), x.Shape()))
		}
		m := mask
		if m.DType() != x.DType() {
			m = ConvertDType(m, x.DType())
		}
		m = StopGradient(m)
		count := ReduceSum(m, 1)
		count = Max(count, OnesLike(count))
		w = Reshape(Div(m, ExpandAxes(count, 1)), b, 1, l)
	}
	// A batched product [b,1,l]·[b,l,c]: the backend's reductions are much slower.
	// Its gradient is the batched outer product [b,l,1]·[b,1,c], written directly in
	// x's layout (GoMLX's derivative computes it transposed, then transposes it).
	c := dims[2]
	wT := Reshape(w, b, l, 1)
	return withVJP([]*Node{x}, func(in []*Node) *Node {
		y := Dot(w, in[0]).General([]int{2}, []int{0}, []int{1}, []int{0})
		return Reshape(y, b, c)
	}, func(v *Node, _ []*Node) []*Node {
		dx := Dot(wT, Reshape(v, b, 1, c)).General([]int{2}, []int{0}, []int{1}, []int{0})
		return []*Node{dx}
	})
}
