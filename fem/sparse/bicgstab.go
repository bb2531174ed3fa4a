package sparse

import (
	"fmt"
	"math"
)

// BiCGSTAB solves the (possibly non-symmetric) system A x = b by the
// right-preconditioned stabilised bi-conjugate gradient method (van der Vorst
// 1992), starting from x. The options mean the same as for CG.
func BiCGSTAB(a *CSR, b, x []float64, m Preconditioner, opt CGOptions) (Result, error) {
	n := a.Rows
	if a.Cols != n || len(b) != n || len(x) != n {
		panic(fmt.Sprintf("sparse: BiCGSTAB: %dx%d matrix, b of %d, x of %d", a.Rows, a.Cols, len(b), len(x)))
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
	bn := norm(b)
	if bn == 0 {
		clear(x)
		return Result{}, nil
	}
	r := make([]float64, n)
	a.MulVec(r, x)
	for i := range r {
		r[i] = b[i] - r[i]
	}
	res := norm(r) / bn
	if res <= opt.Tol {
		return Result{Residual: res}, nil
	}
	r0 := append([]float64(nil), r...)
	p, v, s, t := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	ph, sh := make([]float64, n), make([]float64, n)
	rho, alpha, omega := 1.0, 1.0, 1.0
	for it := 1; it <= opt.MaxIter; it++ {
		rhoNew := dot(r0, r)
		if rhoNew == 0 {
			return Result{Iterations: it, Residual: res}, fmt.Errorf("sparse: BiCGSTAB breakdown (ρ = 0) at iteration %d", it)
		}
		beta := rhoNew / rho * alpha / omega
		rho = rhoNew
		for i := range p {
			p[i] = r[i] + beta*(p[i]-omega*v[i])
		}
		m.Apply(ph, p)
		a.MulVec(v, ph)
		alpha = rho / dot(r0, v)
		for i := range s {
			s[i] = r[i] - alpha*v[i]
		}
		if sn := norm(s) / bn; sn <= opt.Tol {
			for i := range x {
				x[i] += alpha * ph[i]
			}
			return Result{Iterations: it, Residual: sn}, nil
		}
		m.Apply(sh, s)
		a.MulVec(t, sh)
		tt := dot(t, t)
		if tt == 0 {
			return Result{Iterations: it, Residual: res}, fmt.Errorf("sparse: BiCGSTAB breakdown (t = 0) at iteration %d", it)
		}
		omega = dot(t, s) / tt
		for i := range x {
			x[i] += alpha*ph[i] + omega*sh[i]
			r[i] = s[i] - omega*t[i]
		}
		res = norm(r) / bn
		if res <= opt.Tol {
			return Result{Iterations: it, Residual: res}, nil
		}
		if omega == 0 || math.IsNaN(res) {
			return Result{Iterations: it, Residual: res}, fmt.Errorf("sparse: BiCGSTAB breakdown (ω = 0) at iteration %d", it)
		}
	}
	return Result{Iterations: opt.MaxIter, Residual: res}, fmt.Errorf("%w: BiCGSTAB relative residual %.3g after %d iterations", ErrNotConverged, res, opt.MaxIter)
}
