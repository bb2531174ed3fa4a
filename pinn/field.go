package pinn

import (
	"fmt"

	. "github.com/gomlx/gomlx/core/graph"
)

// Field is a scalar network output u(x) at a batch of points x [N, D] together with
// its derivatives with respect to the coordinates, computed by GoMLX's reverse-mode
// automatic differentiation (nested for second derivatives) and cached.
//
// Because each u_n depends only on its own point x_n, the gradient of Σ_n u_n with
// respect to x is the matrix of per-point gradients ∂u_n/∂x_n; differentiating one
// of its columns again gives the second derivatives.
type Field struct {
	X *Node // points [N, D]
	U *Node // values [N]

	grad   *Node            // [N, D]
	hess   map[int]*Node    // row i of the Hessian: ∂(∂u/∂x_i)/∂x, [N, D]
	second map[[2]int]*Node // precomputed second derivatives (TaylorMLP), i ≤ j
	order  int              // with second != nil: the highest derivative computed
}

// NewField wraps u, of shape [N] or [N, 1], computed from points x [N, D].
func NewField(x, u *Node) *Field {
	if x.Rank() != 2 {
		panic(fmt.Sprintf("pinn: points must be [N, D], got %s", x.Shape()))
	}
	n := x.Shape().Dimensions[0]
	if u.Rank() == 2 && u.Shape().Dimensions[1] == 1 {
		u = Reshape(u, n)
	}
	if u.Rank() != 1 || u.Shape().Dimensions[0] != n {
		panic(fmt.Sprintf("pinn: field values must be [%d] or [%d, 1], got %s", n, n, u.Shape()))
	}
	return &Field{X: x, U: u, hess: map[int]*Node{}}
}

// Dim is the number of coordinates D.
func (f *Field) Dim() int { return f.X.Shape().Dimensions[1] }

// col returns column i of m [N, D] as a one-hot contraction rather than a Slice:
// the adjoint of Slice is Pad, which GoMLX v0.28.2 cannot differentiate, and
// second derivatives differentiate the first ones' adjoints again.
func col(m *Node, i int) *Node {
	d := m.Shape().Dimensions[1]
	e := make([]float64, d)
	e[i] = 1
	return ReduceSum(Mul(m, ConvertDType(Const(m.Graph(), [][]float64{e}), m.DType())), 1)
}

// Coord returns coordinate i of the points, [N].
func (f *Field) Coord(i int) *Node { return col(f.X, i) }

// Grad returns ∇u, [N, D].
func (f *Field) Grad() *Node {
	if f.second != nil && f.grad == nil {
		panic("pinn: Field.Grad: derivatives not computed for this term (set Term.Order ≥ 1)")
	}
	if f.grad == nil {
		f.grad = Gradient(ReduceAllSum(f.U), f.X)[0]
	}
	return f.grad
}

// D returns ∂u/∂x_i, [N].
func (f *Field) D(i int) *Node { return col(f.Grad(), i) }

// D2 returns ∂²u/∂x_i∂x_j, [N].
func (f *Field) D2(i, j int) *Node {
	if f.second != nil {
		if j < i {
			i, j = j, i
		}
		h, ok := f.second[[2]int{i, j}]
		if !ok {
			panic(fmt.Sprintf("pinn: Field.D2(%d, %d) not computed for this term (set Term.Order = 2 and list it in Problem.Second)", i, j))
		}
		return h
	}
	h, ok := f.hess[i]
	if !ok {
		h = Gradient(ReduceAllSum(f.D(i)), f.X)[0]
		f.hess[i] = h
	}
	return col(h, j)
}

// Laplacian returns Σ_i ∂²u/∂x_i² over the given coordinates (all when none are
// given), [N].
func (f *Field) Laplacian(coords ...int) *Node {
	if len(coords) == 0 {
		for i := 0; i < f.Dim(); i++ {
			coords = append(coords, i)
		}
	}
	var s *Node
	for _, i := range coords {
		if s == nil {
			s = f.D2(i, i)
		} else {
			s = Add(s, f.D2(i, i))
		}
	}
	return s
}
