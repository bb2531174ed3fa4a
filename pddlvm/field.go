package pddlvm

import (
	"fmt"
	"github.com/ergml/erg/pinn"
	"math"
	"sort"
	"sync"

	"gonum.org/v1/gonum/mat"
)

// Kernel is a stationary covariance function of one coordinate, k(r) with r = |x − y|.
type Kernel int

const (
	// SquaredExponential is k(r) = exp(−r²/(2ℓ²)).
	SquaredExponential Kernel = iota
	// Exponential is k(r) = exp(−r/ℓ) (Ornstein–Uhlenbeck).
	Exponential
)

func (k Kernel) eval(r, l float64) float64 {
	if k == Exponential {
		return pinn.ExpGo(-math.Abs(r) / l)
	}
	return pinn.ExpGo(-r * r / (2 * l * l))
}

// KL is a truncated Karhunen–Loève expansion of a Gaussian random field on the unit
// interval or unit square with a separable covariance σ² Π_j k(|x_j − y_j|):
//
//	log κ(x; θ) = Mean + Σ_k θ_k √λ_k φ_k(x),   θ ~ N(0, I_d).
//
// The 1-D eigenpairs of the covariance operator are computed by the Nyström method
// on Gauss–Legendre points and extended to any x with the Nyström interpolation
// formula; in 2-D the eigenpairs are products of 1-D ones (the kernel is separable)
// and the d largest products are kept.
type KL struct {
	Dim    int     // 1 or 2
	Terms  int     // d, the number of terms kept
	Mean   float64 // mean of log κ
	Sigma  float64 // standard deviation of log κ at a point
	Length float64 // correlation length ℓ
	Kernel Kernel

	lambda []float64 // eigenvalues of the kept terms (of the full field)
	idx    [][2]int  // 1-D mode indices of each term (second unused in 1-D)
	// 1-D Nyström data
	nodes, weights []float64
	vecs           [][]float64 // vecs[m][j]: mode m at node j
	vals1          []float64   // 1-D eigenvalues (unit variance)

	cache sync.Map // [2]float64 point -> []float64 basis values (points repeat across θ)
}

// NewKL computes the expansion. It panics on a bad configuration.
func NewKL(dim, terms int, mean, sigma, length float64, kernel Kernel) *KL {
	if dim != 1 && dim != 2 {
		panic(fmt.Sprintf("pddlvm: KL dimension %d, want 1 or 2", dim))
	}
	if terms < 1 || !(sigma > 0) || !(length > 0) {
		panic(fmt.Sprintf("pddlvm: KL needs terms ≥ 1, σ > 0, ℓ > 0; got %d, %g, %g", terms, sigma, length))
	}
	f := &KL{Dim: dim, Terms: terms, Mean: mean, Sigma: sigma, Length: length, Kernel: kernel}
	const n = 200
	f.nodes, f.weights = gaussLegendre01(n)
	// symmetric form W^½ C W^½ v = λ v; eigenfunction values φ = W^-½ v.
	c := mat.NewSymDense(n, nil)
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			v := math.Sqrt(f.weights[i]*f.weights[j]) * kernel.eval(f.nodes[i]-f.nodes[j], length)
			c.SetSym(i, j, v)
		}
	}
	var es mat.EigenSym
	if !es.Factorize(c, true) {
		panic("pddlvm: KL eigen-decomposition failed")
	}
	vals := es.Values(nil)
	var vecs mat.Dense
	es.VectorsTo(&vecs)
	m1 := min(n, max(terms, 16))
	for m := 0; m < m1; m++ {
		col := n - 1 - m // ascending order
		f.vals1 = append(f.vals1, vals[col])
		v := make([]float64, n)
		// fix the sign so that the mode is positive near x = 0 (reproducible)
		s := 1.0
		for j := 0; j < n; j++ {
			if math.Abs(vecs.At(j, col)) > 1e-8 {
				if vecs.At(j, col) < 0 {
					s = -1
				}
				break
			}
		}
		for j := 0; j < n; j++ {
			v[j] = s * vecs.At(j, col) / math.Sqrt(f.weights[j])
		}
		f.vecs = append(f.vecs, v)
	}
	type term struct {
		l    float64
		a, b int
	}
	var ts []term
	if dim == 1 {
		for a := range f.vals1 {
			ts = append(ts, term{f.vals1[a], a, 0})
		}
	} else {
		for a := range f.vals1 {
			for b := range f.vals1 {
				ts = append(ts, term{f.vals1[a] * f.vals1[b], a, b})
			}
		}
	}
	sort.SliceStable(ts, func(i, j int) bool { return ts[i].l > ts[j].l })
	if terms > len(ts) {
		panic(fmt.Sprintf("pddlvm: KL with %d terms: only %d available", terms, len(ts)))
	}
	for _, t := range ts[:terms] {
		f.lambda = append(f.lambda, sigma*sigma*t.l)
		f.idx = append(f.idx, [2]int{t.a, t.b})
	}
	return f
}

// Eigenvalues returns λ_k of the kept terms, largest first.
func (f *KL) Eigenvalues() []float64 { return append([]float64(nil), f.lambda...) }

// mode1 evaluates the 1-D eigenfunction m at x by Nyström interpolation:
// φ_m(x) = (1/λ_m) Σ_j w_j k(x, x_j) φ_m(x_j).
func (f *KL) mode1(m int, x float64) float64 {
	s := 0.0
	for j, xj := range f.nodes {
		s += f.weights[j] * f.Kernel.eval(x-xj, f.Length) * f.vecs[m][j]
	}
	return s / f.vals1[m]
}

// Basis sets out[k] = √λ_k φ_k(x) for the kept terms (len(out) ≥ Terms), so that
// log κ(x; θ) = Mean + Σ_k θ_k out[k].
func (f *KL) Basis(x []float64, out []float64) {
	var key [2]float64
	copy(key[:], x)
	if v, ok := f.cache.Load(key); ok {
		copy(out, v.([]float64))
		return
	}
	f.basis(x, out)
	f.cache.Store(key, append([]float64(nil), out[:f.Terms]...))
}

func (f *KL) basis(x []float64, out []float64) {
	if f.Dim == 1 {
		for k, id := range f.idx {
			out[k] = math.Sqrt(f.lambda[k]) * f.mode1(id[0], x[0])
		}
		return
	}
	cache := map[[2]int]float64{}
	get := func(m, c int) float64 {
		key := [2]int{m, c}
		if v, ok := cache[key]; ok {
			return v
		}
		v := f.mode1(m, x[c])
		cache[key] = v
		return v
	}
	for k, id := range f.idx {
		out[k] = math.Sqrt(f.lambda[k]) * get(id[0], 0) * get(id[1], 1)
	}
}

// LogKappa returns log κ(x; θ).
func (f *KL) LogKappa(x, theta []float64) float64 {
	b := make([]float64, f.Terms)
	f.Basis(x, b)
	s := f.Mean
	for k := range b {
		s += theta[k] * b[k]
	}
	return s
}

// Kappa returns κ(x; θ) = exp(log κ(x; θ)).
func (f *KL) Kappa(x, theta []float64) float64 { return pinn.ExpGo(f.LogKappa(x, theta)) }

// gaussLegendre01 returns the n-point Gauss–Legendre rule on [0, 1].
func gaussLegendre01(n int) (x, w []float64) {
	x = make([]float64, n)
	w = make([]float64, n)
	for i := 0; i < (n+1)/2; i++ {
		z := math.Cos(math.Pi * (float64(i) + 0.75) / (float64(n) + 0.5))
		var pp float64
		for it := 0; it < 100; it++ {
			p1, p2 := 1.0, 0.0
			for j := 1; j <= n; j++ {
				p3 := p2
				p2 = p1
				p1 = ((2*float64(j)-1)*z*p2 - (float64(j)-1)*p3) / float64(j)
			}
			pp = float64(n) * (z*p1 - p2) / (z*z - 1)
			dz := p1 / pp
			z -= dz
			if math.Abs(dz) < 1e-15 {
				break
			}
		}
		wi := 2 / ((1 - z*z) * pp * pp)
		x[i], x[n-1-i] = (1-z)/2, (1+z)/2
		w[i], w[n-1-i] = wi/2, wi/2
	}
	return x, w
}
