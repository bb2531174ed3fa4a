package sparse_test

import (
	"fmt"

	"github.com/ergml/erg/fem/sparse"
)

func ExampleCG() {
	// 1-D Laplacian tridiag(-1, 2, -1) of size 5; IC(0) is exact here, so
	// preconditioned CG needs a single iteration.
	a := sparse.FromDense(5, 5, []float64{
		2, -1, 0, 0, 0,
		-1, 2, -1, 0, 0,
		0, -1, 2, -1, 0,
		0, 0, -1, 2, -1,
		0, 0, 0, -1, 2,
	})
	ic, _ := sparse.NewIC0(a, sparse.ICOptions{})
	x := make([]float64, 5)
	r, _ := sparse.CG(a, []float64{1, 0, 0, 0, 1}, x, ic, sparse.CGOptions{}, nil)
	fmt.Printf("%d iteration(s), x = %.3f\n", r.Iterations, x)
	// Output:
	// 1 iteration(s), x = [1.000 1.000 1.000 1.000 1.000]
}
