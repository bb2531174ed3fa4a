package svm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sort"
	"sync"
)

// Config are an RBF-SVM's hyperparameters. The zero value of each field is
// documented with it.
type Config struct {
	C     float64 // box constraint; 0 = 1
	Gamma float64 // RBF width: K(x, z) = exp(−γ‖x − z‖²); 0 = 1/features (libsvm's default)
	Tol   float64 // stopping tolerance on the KKT gap; 0 = 1e-3 (libsvm's)
	// Probability fits Platt sigmoids on 5-fold cross-validated decision values of each
	// pair, coupled into class probabilities (libsvm's -b 1). Seed drives its folds.
	Probability bool
	Seed        uint64
}

// Model is a trained one-vs-one RBF-SVM.
type Model struct {
	Classes []int // class labels, ascending
	Gamma   float64
	dim     int
	sv      [][]float64 // support vectors (all pairs share them)
	svNorm  []float64
	pairs   []pair
}

type pair struct {
	a, b  int       // indices into Classes: +1 is a, −1 is b
	sv    []int     // indices into Model.sv
	coef  []float64 // α_i y_i
	rho   float64
	platt [2]float64 // sigmoid A, B (Probability)
}

// Train fits an SVM on the rows of x (n × dim, row-major) with labels y.
func Train(x []float64, dim int, y []int, cfg Config) (*Model, error) {
	n := len(y)
	if n == 0 || len(x) != n*dim {
		return nil, fmt.Errorf("svm: %d labels for %d values of dim %d", n, len(x), dim)
	}
	if cfg.C == 0 {
		cfg.C = 1
	}
	if cfg.Gamma == 0 {
		cfg.Gamma = 1 / float64(dim)
	}
	if cfg.Tol == 0 {
		cfg.Tol = 1e-3
	}
	if cfg.C < 0 || cfg.Gamma < 0 {
		return nil, fmt.Errorf("svm: C %v, gamma %v: want > 0", cfg.C, cfg.Gamma)
	}
	cls := map[int][]int{}
	for i, l := range y {
		cls[l] = append(cls[l], i)
	}
	m := &Model{Gamma: cfg.Gamma, dim: dim}
	for l := range cls {
		m.Classes = append(m.Classes, l)
	}
	sort.Ints(m.Classes)
	if len(m.Classes) < 2 {
		return nil, fmt.Errorf("svm: one class only (%v)", m.Classes)
	}
	K := gram(x, dim, cfg.Gamma)
	svIndex := map[int]int{}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x5f3))
	for a := 0; a < len(m.Classes); a++ {
		for b := a + 1; b < len(m.Classes); b++ {
			idx := append(append([]int(nil), cls[m.Classes[a]]...), cls[m.Classes[b]]...)
			yy := make([]float64, len(idx))
			for i := range idx {
				yy[i] = 1
				if i >= len(cls[m.Classes[a]]) {
					yy[i] = -1
				}
			}
			sub := func(i, j int) float64 { return K[idx[i]*n+idx[j]] }
			alpha, rho := solve(len(idx), sub, yy, cfg.C, cfg.Tol)
			p := pair{a: a, b: b, rho: rho}
			for i, al := range alpha {
				if al > 0 {
					g := idx[i]
					k, ok := svIndex[g]
					if !ok {
						k = len(m.sv)
						svIndex[g] = k
						m.sv = append(m.sv, x[g*dim:(g+1)*dim])
					}
					p.sv = append(p.sv, k)
					p.coef = append(p.coef, al*yy[i])
				}
			}
			if cfg.Probability {
				p.platt = plattCV(idx, sub, yy, cfg, rng)
			}
			m.pairs = append(m.pairs, p)
		}
	}
	m.svNorm = make([]float64, len(m.sv))
	for i, v := range m.sv {
		m.svNorm[i] = dot(v, v)
	}
	return m, nil
}

// SupportVectors returns the number of distinct support vectors.
func (m *Model) SupportVectors() int { return len(m.sv) }

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// gram returns the n×n RBF kernel matrix of the rows of x.
func gram(x []float64, dim int, gamma float64) []float64 {
	n := len(x) / dim
	K := make([]float64, n*n)
	for i := 0; i < n; i++ {
		xi := x[i*dim : (i+1)*dim]
		for j := i; j < n; j++ {
			var d float64
			xj := x[j*dim : (j+1)*dim]
			for k := range xi {
				t := xi[k] - xj[k]
				d += t * t
			}
			v := math.Exp(-gamma * d)
			K[i*n+j], K[j*n+i] = v, v
		}
	}
	return K
}

// solve is libsvm's SMO for the C-SVC dual min ½αᵀQα − eᵀα, 0 ≤ α ≤ C, yᵀα = 0
// (Q_ij = y_i y_j K_ij), with second-order working set selection (Fan, Chen & Lin
// 2005), without shrinking. It returns α and ρ (decision = Σ α_i y_i K(x_i, x) − ρ).
func solve(n int, K func(i, j int) float64, y []float64, C, eps float64) ([]float64, float64) {
	const tau = 1e-12
	alpha := make([]float64, n)
	G := make([]float64, n)
	for i := range G {
		G[i] = -1
	}
	Q := func(i, j int) float64 { return y[i] * y[j] * K(i, j) }
	upper := func(i int) bool { return alpha[i] >= C }
	lower := func(i int) bool { return alpha[i] <= 0 }
	maxIter := max(10000000, 100*n)
	for iter := 0; iter < maxIter; iter++ {
		// select i
		gmax, gmax2 := math.Inf(-1), math.Inf(-1)
		i := -1
		for t := 0; t < n; t++ {
			if y[t] == 1 {
				if !upper(t) && -G[t] >= gmax {
					gmax, i = -G[t], t
				}
			} else if !lower(t) && G[t] >= gmax {
				gmax, i = G[t], t
			}
		}
		j := -1
		objMin := math.Inf(1)
		for t := 0; t < n; t++ {
			if y[t] == 1 {
				if !lower(t) {
					b := gmax + G[t]
					gmax2 = math.Max(gmax2, G[t])
					if i >= 0 && b > 0 {
						a := Q(i, i) + Q(t, t) - 2*y[i]*Q(i, t)
						if a <= 0 {
							a = tau
						}
						if -(b*b)/a <= objMin {
							j, objMin = t, -(b*b)/a
						}
					}
				}
			} else if !upper(t) {
				b := gmax - G[t]
				gmax2 = math.Max(gmax2, -G[t])
				if i >= 0 && b > 0 {
					a := Q(i, i) + Q(t, t) + 2*y[i]*Q(i, t)
					if a <= 0 {
						a = tau
					}
					if -(b*b)/a <= objMin {
						j, objMin = t, -(b*b)/a
					}
				}
			}
		}
		if i < 0 || j < 0 || gmax+gmax2 < eps {
			break
		}
		oi, oj := alpha[i], alpha[j]
		Qii, Qjj, Qij := Q(i, i), Q(j, j), Q(i, j)
		if y[i] != y[j] {
			quad := Qii + Qjj + 2*Qij
			if quad <= 0 {
				quad = tau
			}
			delta := (-G[i] - G[j]) / quad
			diff := alpha[i] - alpha[j]
			alpha[i] += delta
			alpha[j] += delta
			if diff > 0 {
				if alpha[j] < 0 {
					alpha[j], alpha[i] = 0, diff
				}
			} else if alpha[i] < 0 {
				alpha[i], alpha[j] = 0, -diff
			}
			if diff > 0 {
				if alpha[i] > C {
					alpha[i], alpha[j] = C, C-diff
				}
			} else if alpha[j] > C {
				alpha[j], alpha[i] = C, C+diff
			}
		} else {
			quad := Qii + Qjj - 2*Qij
			if quad <= 0 {
				quad = tau
			}
			delta := (G[i] - G[j]) / quad
			sum := alpha[i] + alpha[j]
			alpha[i] -= delta
			alpha[j] += delta
			if sum > C {
				if alpha[i] > C {
					alpha[i], alpha[j] = C, sum-C
				}
			} else if alpha[j] < 0 {
				alpha[j], alpha[i] = 0, sum
			}
			if sum > C {
				if alpha[j] > C {
					alpha[j], alpha[i] = C, sum-C
				}
			} else if alpha[i] < 0 {
				alpha[i], alpha[j] = 0, sum
			}
		}
		di, dj := alpha[i]-oi, alpha[j]-oj
		for t := 0; t < n; t++ {
			G[t] += Q(t, i)*di + Q(t, j)*dj
		}
	}
	// ρ: mean of y_i G_i over free α, else the middle of the feasible interval.
	var sum float64
	nFree := 0
	ub, lb := math.Inf(1), math.Inf(-1)
	for i := 0; i < n; i++ {
		yG := y[i] * G[i]
		switch {
		case upper(i):
			if y[i] == -1 {
				ub = math.Min(ub, yG)
			} else {
				lb = math.Max(lb, yG)
			}
		case lower(i):
			if y[i] == 1 {
				ub = math.Min(ub, yG)
			} else {
				lb = math.Max(lb, yG)
			}
		default:
			nFree++
			sum += yG
		}
	}
	if nFree > 0 {
		return alpha, sum / float64(nFree)
	}
	return alpha, (ub + lb) / 2
}

// kernels returns K(sv_k, x) for every support vector.
func (m *Model) kernels(x []float64, out []float64) {
	xn := dot(x, x)
	for k, v := range m.sv {
		out[k] = math.Exp(-m.Gamma * math.Max(0, m.svNorm[k]+xn-2*dot(v, x)))
	}
}

// Decision returns the pairwise decision values of x, in pair order (0,1), (0,2), …
func (m *Model) Decision(x []float64) []float64 {
	kv := make([]float64, len(m.sv))
	m.kernels(x, kv)
	out := make([]float64, len(m.pairs))
	for i, p := range m.pairs {
		s := -p.rho
		for k, c := range p.coef {
			s += c * kv[p.sv[k]]
		}
		out[i] = s
	}
	return out
}

// Predict returns the one-vs-one vote winner for x (ties to the lower class, as libsvm).
func (m *Model) Predict(x []float64) int {
	return m.Classes[m.vote(m.Decision(x))]
}

func (m *Model) vote(dec []float64) int {
	votes := make([]int, len(m.Classes))
	for i, p := range m.pairs {
		if dec[i] > 0 {
			votes[p.a]++
		} else {
			votes[p.b]++
		}
	}
	best := 0
	for k, v := range votes {
		if v > votes[best] {
			best = k
		}
	}
	return best
}

// PredictAll predicts the rows of x (n × dim) in parallel; with prob non-nil (len
// n·len(Classes)) it also writes class probabilities (the model must have been
// trained with Probability).
func (m *Model) PredictAll(x []float64, prob []float64) []int {
	n := len(x) / m.dim
	out := make([]int, n)
	K := len(m.Classes)
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < n; i += workers {
				dec := m.Decision(x[i*m.dim : (i+1)*m.dim])
				out[i] = m.Classes[m.vote(dec)]
				if prob != nil {
					copy(prob[i*K:(i+1)*K], m.couple(dec))
				}
			}
		}(w)
	}
	wg.Wait()
	return out
}

// couple turns pairwise Platt probabilities into class probabilities (Wu, Lin & Weng
// 2004, method 2, as libsvm's multiclass_probability).
func (m *Model) couple(dec []float64) []float64 {
	k := len(m.Classes)
	r := make([][]float64, k)
	for i := range r {
		r[i] = make([]float64, k)
	}
	for i, p := range m.pairs {
		v := sigmoid(dec[i], p.platt)
		v = math.Min(math.Max(v, 1e-7), 1-1e-7)
		r[p.a][p.b], r[p.b][p.a] = v, 1-v
	}
	Qm := make([][]float64, k)
	pr := make([]float64, k)
	Qp := make([]float64, k)
	for t := 0; t < k; t++ {
		pr[t] = 1 / float64(k)
		Qm[t] = make([]float64, k)
		for j := 0; j < k; j++ {
			if j != t {
				Qm[t][t] += r[j][t] * r[j][t]
				Qm[t][j] = -r[j][t] * r[t][j]
			}
		}
	}
	eps := 0.005 / float64(k)
	for iter := 0; iter < max(100, k); iter++ {
		var pQp float64
		for t := 0; t < k; t++ {
			Qp[t] = 0
			for j := 0; j < k; j++ {
				Qp[t] += Qm[t][j] * pr[j]
			}
			pQp += pr[t] * Qp[t]
		}
		var maxErr float64
		for t := 0; t < k; t++ {
			maxErr = math.Max(maxErr, math.Abs(Qp[t]-pQp))
		}
		if maxErr < eps {
			break
		}
		for t := 0; t < k; t++ {
			diff := (-Qp[t] + pQp) / Qm[t][t]
			pr[t] += diff
			pQp = (pQp + diff*(diff*Qm[t][t]+2*Qp[t])) / (1 + diff) / (1 + diff)
			for j := 0; j < k; j++ {
				Qp[j] = (Qp[j] + diff*Qm[t][j]) / (1 + diff)
				pr[j] /= 1 + diff
			}
		}
	}
	return pr
}

func sigmoid(f float64, ab [2]float64) float64 {
	fApB := f*ab[0] + ab[1]
	if fApB >= 0 {
		return math.Exp(-fApB) / (1 + math.Exp(-fApB))
	}
	return 1 / (1 + math.Exp(fApB))
}

// plattCV fits a sigmoid to 5-fold cross-validated decision values of a pair problem.
func plattCV(idx []int, K func(i, j int) float64, y []float64, cfg Config, rng *rand.Rand) [2]float64 {
	n := len(idx)
	folds := min(5, n)
	perm := rng.Perm(n)
	dec := make([]float64, n)
	for f := 0; f < folds; f++ {
		var tr, te []int
		for i, p := range perm {
			if i%folds == f {
				te = append(te, p)
			} else {
				tr = append(tr, p)
			}
		}
		var pos, neg int
		yt := make([]float64, len(tr))
		for i, p := range tr {
			yt[i] = y[p]
			if y[p] > 0 {
				pos++
			} else {
				neg++
			}
		}
		switch {
		case pos == 0 && neg == 0:
			continue
		case pos == 0:
			for _, p := range te {
				dec[p] = -1
			}
			continue
		case neg == 0:
			for _, p := range te {
				dec[p] = 1
			}
			continue
		}
		alpha, rho := solve(len(tr), func(i, j int) float64 { return K(tr[i], tr[j]) }, yt, cfg.C, cfg.Tol)
		for _, p := range te {
			s := -rho
			for i, a := range alpha {
				if a > 0 {
					s += a * yt[i] * K(tr[i], p)
				}
			}
			dec[p] = s
		}
	}
	return platt(dec, y)
}

// platt fits P(y=1|f) = 1/(1+exp(Af+B)) by Newton's method with backtracking (Lin,
// Lin & Weng 2007, as libsvm's sigmoid_train).
func platt(dec, y []float64) [2]float64 {
	var prior1, prior0 float64
	for _, v := range y {
		if v > 0 {
			prior1++
		} else {
			prior0++
		}
	}
	hi, lo := (prior1+1)/(prior1+2), 1/(prior0+2)
	t := make([]float64, len(y))
	for i, v := range y {
		if v > 0 {
			t[i] = hi
		} else {
			t[i] = lo
		}
	}
	A, B := 0.0, math.Log((prior0+1)/(prior1+1))
	const sigma, eps, minStep = 1e-12, 1e-5, 1e-10
	fval := func(A, B float64) float64 {
		var f float64
		for i, d := range dec {
			fApB := d*A + B
			if fApB >= 0 {
				f += t[i]*fApB + math.Log1p(math.Exp(-fApB))
			} else {
				f += (t[i]-1)*fApB + math.Log1p(math.Exp(fApB))
			}
		}
		return f
	}
	fv := fval(A, B)
	for iter := 0; iter < 100; iter++ {
		h11, h22, h21, g1, g2 := sigma, sigma, 0.0, 0.0, 0.0
		for i, d := range dec {
			fApB := d*A + B
			var p, q float64
			if fApB >= 0 {
				p = math.Exp(-fApB) / (1 + math.Exp(-fApB))
				q = 1 / (1 + math.Exp(-fApB))
			} else {
				p = 1 / (1 + math.Exp(fApB))
				q = math.Exp(fApB) / (1 + math.Exp(fApB))
			}
			d2 := p * q
			h11 += d * d * d2
			h22 += d2
			h21 += d * d2
			d1 := t[i] - p
			g1 += d * d1
			g2 += d1
		}
		if math.Abs(g1) < eps && math.Abs(g2) < eps {
			break
		}
		det := h11*h22 - h21*h21
		dA := -(h22*g1 - h21*g2) / det
		dB := -(-h21*g1 + h11*g2) / det
		gd := g1*dA + g2*dB
		step := 1.0
		for step >= minStep {
			nA, nB := A+step*dA, B+step*dB
			if nf := fval(nA, nB); nf < fv+0.0001*step*gd {
				A, B, fv = nA, nB, nf
				break
			}
			step /= 2
		}
		if step < minStep {
			break
		}
	}
	return [2]float64{A, B}
}
