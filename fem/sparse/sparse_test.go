package sparse

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// laplace1D is the n×n tridiagonal matrix tridiag(-1, 2, -1).
func laplace1D(n int) *CSR {
	d := make([]float64, n*n)
	for i := 0; i < n; i++ {
		d[i*n+i] = 2
		if i > 0 {
			d[i*n+i-1] = -1
		}
		if i+1 < n {
			d[i*n+i+1] = -1
		}
	}
	return FromDense(n, n, d)
}

// laplace2D is the 5-point Laplacian on an m×m grid.
func laplace2D(m int) *CSR {
	n := m * m
	var groups []int32
	for j := 0; j < m; j++ {
		for i := 0; i < m; i++ {
			k := int32(j*m + i)
			if i+1 < m {
				groups = append(groups, k, k+1)
			}
			if j+1 < m {
				groups = append(groups, k, k+int32(m))
			}
		}
	}
	a := NewPattern(n, 2, groups)
	for i := 0; i < n; i++ {
		for p := a.RowPtr[i]; p < a.RowPtr[i+1]; p++ {
			if int(a.ColIdx[p]) == i {
				a.Val[p] = 4
			} else {
				a.Val[p] = -1
			}
		}
	}
	return a
}

// dense solves with gonum's LU as the reference.
func denseSolve(t *testing.T, a *CSR, b []float64) []float64 {
	t.Helper()
	A := mat.NewDense(a.Rows, a.Cols, a.Dense())
	var x mat.VecDense
	if err := x.SolveVec(A, mat.NewVecDense(len(b), b)); err != nil {
		t.Fatal(err)
	}
	return x.RawVector().Data
}

func maxDiff(a, b []float64) float64 {
	d := 0.0
	for i := range a {
		d = math.Max(d, math.Abs(a[i]-b[i]))
	}
	return d
}

func randVec(rng *rand.Rand, n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = rng.NormFloat64()
	}
	return v
}

func TestPatternAndMulVec(t *testing.T) {
	// two triangles sharing an edge: {0,1,2}, {1,2,3}
	a := NewPattern(4, 3, []int32{0, 1, 2, 1, 2, 3})
	if a.NNZ() != 14 || a.Index(0, 3) != -1 || a.Index(3, 0) != -1 || a.Index(1, 2) < 0 {
		t.Fatalf("pattern wrong: nnz %d, cols %v", a.NNZ(), a.ColIdx)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	for i := range a.Val {
		a.Val[i] = rng.NormFloat64()
	}
	x := randVec(rng, 4)
	y := make([]float64, 4)
	a.MulVec(y, x)
	var want mat.VecDense
	want.MulVec(mat.NewDense(4, 4, a.Dense()), mat.NewVecDense(4, x))
	if d := maxDiff(y, want.RawVector().Data); d > 1e-14 {
		t.Errorf("MulVec differs from dense by %g", d)
	}
	at, d := a.Transpose(), a.Dense()
	for i := 0; i < 4; i++ {
		for j := 0; j < 4; j++ {
			if at.At(i, j) != d[j*4+i] {
				t.Fatalf("Transpose()[%d,%d] = %g, want %g", i, j, at.At(i, j), d[j*4+i])
			}
		}
	}
	if a.IsSymmetric(1e-12) {
		t.Errorf("random matrix reported symmetric")
	}
}

// IC(0) of a tridiagonal matrix has no dropped fill, so it is the exact
// Cholesky factor and preconditioned CG converges in one iteration.
func TestIC0ExactOnTridiagonal(t *testing.T) {
	a := laplace1D(50)
	rng := rand.New(rand.NewPCG(2, 1))
	b := randVec(rng, 50)
	for _, nat := range []bool{true, false} {
		ic, err := NewIC0(a, ICOptions{NaturalOrder: nat})
		if err != nil {
			t.Fatal(err)
		}
		z := make([]float64, 50)
		ic.Apply(z, b)
		if d := maxDiff(z, denseSolve(t, a, b)); d > 1e-10 {
			t.Errorf("natural=%v: IC(0) solve differs from the exact one by %g", nat, d)
		}
	}
}

func TestCG(t *testing.T) {
	const tol = 1e-8
	a := laplace2D(20)
	rng := rand.New(rand.NewPCG(3, 1))
	b := randVec(rng, a.Rows)
	want := denseSolve(t, a, b)
	its := map[string]int{}
	for name, m := range map[string]func() Preconditioner{
		"none":   func() Preconditioner { return nil },
		"jacobi": func() Preconditioner { return NewJacobi(a) },
		"ic0": func() Preconditioner {
			ic, _ := NewIC0(a, ICOptions{})
			return ic
		},
		"mic0": func() Preconditioner {
			ic, _ := NewIC0(a, ICOptions{Modified: 1})
			return ic
		},
	} {
		x := make([]float64, a.Rows)
		r, err := CG(a, b, x, m(), CGOptions{Tol: 1e-12}, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if d := maxDiff(x, want); d > tol {
			t.Errorf("%s: CG solution off by %g", name, d)
		}
		its[name] = r.Iterations
	}
	t.Logf("iterations %v", its)
	// Preconditioning must pay: IC(0) fewer iterations than Jacobi, MIC(0) fewer than IC(0).
	if !(its["ic0"] < its["jacobi"] && its["mic0"] < its["ic0"]) {
		t.Errorf("iterations %v: want mic0 < ic0 < jacobi", its)
	}
	x := make([]float64, a.Rows)
	if _, err := CG(a, b, x, nil, CGOptions{MaxIter: 3}, nil); !errors.Is(err, ErrNotConverged) {
		t.Errorf("3 iterations: error %v, want ErrNotConverged", err)
	}
}

func TestIC0Refactor(t *testing.T) {
	a := laplace2D(8)
	ic, err := NewIC0(a, ICOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b := a.Clone()
	for i := range b.Val {
		b.Val[i] *= 3
	}
	if err := ic.Refactor(b); err != nil {
		t.Fatal(err)
	}
	fresh, _ := NewIC0(b, ICOptions{})
	r := randVec(rand.New(rand.NewPCG(4, 1)), a.Rows)
	z1, z2 := make([]float64, a.Rows), make([]float64, a.Rows)
	ic.Apply(z1, r)
	fresh.Apply(z2, r)
	if d := maxDiff(z1, z2); d > 1e-14 {
		t.Errorf("Refactor differs from a new factorisation by %g", d)
	}
}

func TestBandLUAndBiCGSTAB(t *testing.T) {
	// non-symmetric: 2-D Laplacian plus a convection-like skew part, rows permuted
	rng := rand.New(rand.NewPCG(5, 1))
	a := laplace2D(12)
	for i := 0; i < a.Rows; i++ {
		for p := a.RowPtr[i]; p < a.RowPtr[i+1]; p++ {
			if j := int(a.ColIdx[p]); j > i {
				a.Val[p] += 0.4
			} else if j < i {
				a.Val[p] -= 0.3 * rng.Float64()
			}
		}
	}
	b := randVec(rng, a.Rows)
	want := denseSolve(t, a, b)
	for _, reorder := range []bool{false, true} {
		lu, err := NewBandLU(a, reorder)
		if err != nil {
			t.Fatal(err)
		}
		x := make([]float64, a.Rows)
		lu.Solve(x, b)
		if d := maxDiff(x, want); d > 1e-12 {
			t.Errorf("BandLU(reorder=%v) off by %g", reorder, d)
		}
	}
	x := make([]float64, a.Rows)
	if _, err := BiCGSTAB(a, b, x, NewJacobi(a), CGOptions{Tol: 1e-12}); err != nil {
		t.Fatal(err)
	}
	if d := maxDiff(x, want); d > 1e-9 {
		t.Errorf("BiCGSTAB off by %g", d)
	}
	// a matrix that needs pivoting: zero diagonal
	p := FromDense(3, 3, []float64{0, 1, 0, 1, 0, 1, 0, 1, 1})
	lu, err := NewBandLU(p, false)
	if err != nil {
		t.Fatal(err)
	}
	x3 := make([]float64, 3)
	lu.Solve(x3, []float64{1, 2, 3})
	if d := maxDiff(x3, []float64{0, 1, 2}); d > 1e-15 {
		t.Errorf("pivoting solve = %v, want [0 1 2]", x3)
	}
	if _, err := NewBandLU(FromDense(2, 2, []float64{1, 2, 2, 4}), false); !errors.Is(err, ErrSingular) {
		t.Errorf("singular matrix: error %v, want ErrSingular", err)
	}
}

// RCM recovers a small bandwidth from a randomly numbered grid.
func TestRCMBandwidth(t *testing.T) {
	m := 15
	a := laplace2D(m)
	rng := rand.New(rand.NewPCG(6, 1))
	shuffle := make([]int32, a.Rows)
	for i := range shuffle {
		shuffle[i] = int32(i)
	}
	rng.Shuffle(len(shuffle), func(i, j int) { shuffle[i], shuffle[j] = shuffle[j], shuffle[i] })
	sa, _ := Permute(a, shuffle)
	bw := func(c *CSR) int {
		w := 0
		for i := 0; i < c.Rows; i++ {
			for p := c.RowPtr[i]; p < c.RowPtr[i+1]; p++ {
				w = max(w, abs(int(c.ColIdx[p])-i))
			}
		}
		return w
	}
	ra, _ := Permute(sa, RCM(sa))
	if got := bw(ra); got > m+1 {
		t.Errorf("RCM bandwidth %d (shuffled %d), want <= %d", got, bw(sa), m+1)
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
