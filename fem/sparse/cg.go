package sparse

import (
	"errors"
	"fmt"
	"math"
)

// ErrNotConverged is returned (wrapped) when an iterative solver reaches its
// iteration limit before the tolerance.
var ErrNotConverged = errors.New("sparse: iterative solver did not converge")

// Preconditioner applies an approximate inverse: z = M⁻¹ r.
type Preconditioner interface {
	Apply(z, r []float64)
}

// Identity is the trivial preconditioner z = r.
type Identity struct{}

// Apply copies r into z.
func (Identity) Apply(z, r []float64) { copy(z, r) }

// Jacobi is the diagonal preconditioner: it holds 1/a_ii.
type Jacobi struct{ InvDiag []float64 }

// NewJacobi returns the Jacobi preconditioner of a. It panics on a zero diagonal.
func NewJacobi(a *CSR) *Jacobi {
	d := a.Diag()
	for i, v := range d {
		if v == 0 {
			panic(fmt.Sprintf("sparse: NewJacobi: zero diagonal in row %d", i))
		}
		d[i] = 1 / v
	}
	return &Jacobi{InvDiag: d}
}

// Apply sets z = D⁻¹ r.
func (j *Jacobi) Apply(z, r []float64) {
	for i, d := range j.InvDiag {
		z[i] = d * r[i]
	}
}

// CGOptions configures CG. The zero value means relative tolerance 1e-10 and at
// most 10n+100 iterations.
type CGOptions struct {
	// Tol is the relative residual tolerance: stop when ‖b − Ax‖₂ ≤ Tol·‖b‖₂.
	Tol float64
	// MaxIter bounds the iterations.
	MaxIter int
}

// Result reports an iterative solve.
type Result struct {
	Iterations int
	// Residual is the final relative residual ‖b − Ax‖₂/‖b‖₂ (as updated by the recurrence).
	Residual float64
}

// CGWork holds the vectors of CG so that repeated solves of one size do not allocate.
type CGWork struct{ r, z, p, q []float64 }

func (w *CGWork) ensure(n int) {
	if len(w.r) != n {
		w.r, w.z, w.p, w.q = make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	}
}

// CG solves the symmetric positive definite system A x = b by the
// preconditioned conjugate gradient method (Hestenes and Stiefel 1952), starting
// from the x given. m may be nil (no preconditioning); work may be nil.
func CG(a *CSR, b, x []float64, m Preconditioner, opt CGOptions, work *CGWork) (Result, error) {
	n := a.Rows
	if a.Cols != n || len(b) != n || len(x) != n {
		panic(fmt.Sprintf("sparse: CG: %dx%d matrix, b of %d, x of %d", a.Rows, a.Cols, len(b), len(x)))
	}
	if opt.Tol == 0 {
		opt.Tol = 1e-10
	}
	if opt.MaxIter == 0 {
		opt.MaxIter = 10*n + 100
	}
	if m == nil {
		m = Identity{}
	}
	if work == nil {
		work = new(CGWork)
	}
	work.ensure(n)
	r, z, p, q := work.r, work.z, work.p, work.q
	bn := norm(b)
	if bn == 0 {
		clear(x)
		return Result{}, nil
	}
	a.MulVec(r, x)
	for i := range r {
		r[i] = b[i] - r[i]
	}
	res := norm(r) / bn
	if res <= opt.Tol {
		return Result{Residual: res}, nil
	}
	m.Apply(z, r)
	copy(p, z)
	rz := dot(r, z)
	for it := 1; it <= opt.MaxIter; it++ {
		a.MulVec(q, p)
		pq := dot(p, q)
		if !(pq > 0) {
			return Result{Iterations: it, Residual: res}, fmt.Errorf("sparse: CG breakdown at iteration %d (pᵀAp = %g): matrix not positive definite", it, pq)
		}
		alpha := rz / pq
		rr0, rr1 := 0.0, 0.0
		x, p, q, r := x[:n], p[:n], q[:n], r[:n]
		i := 0
		for ; i+1 < n; i += 2 {
			x[i] += alpha * p[i]
			x[i+1] += alpha * p[i+1]
			r0 := r[i] - alpha*q[i]
			r1 := r[i+1] - alpha*q[i+1]
			r[i], r[i+1] = r0, r1
			rr0 += r0 * r0
			rr1 += r1 * r1
		}
		if i < n {
			x[i] += alpha * p[i]
			r0 := r[i] - alpha*q[i]
			r[i] = r0
			rr0 += r0 * r0
		}
		res = math.Sqrt(rr0+rr1) / bn
		if res <= opt.Tol {
			return Result{Iterations: it, Residual: res}, nil
		}
		m.Apply(z, r)
		rzNew := dot(r, z)
		beta := rzNew / rz
		rz = rzNew
		for i := range p {
			p[i] = z[i] + beta*p[i]
		}
	}
	return Result{Iterations: opt.MaxIter, Residual: res}, fmt.Errorf("%w: relative residual %.3g after %d iterations (tolerance %g)", ErrNotConverged, res, opt.MaxIter, opt.Tol)
}

func dot(a, b []float64) float64 {
	s0, s1, s2, s3 := 0.0, 0.0, 0.0, 0.0
	n := len(a)
	b = b[:n]
	i := 0
	for ; i+4 <= n; i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < n; i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

func norm(a []float64) float64 { return math.Sqrt(dot(a, a)) }
