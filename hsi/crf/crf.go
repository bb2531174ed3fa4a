package crf

import (
	"fmt"
	"math"
	"runtime"
	"sync"
)

// Config are the CRF's parameters; the zero value of each field is documented.
type Config struct {
	ThetaAlpha float64 // appearance kernel's spatial sd, px; 0 = 3
	ThetaBeta  float64 // appearance kernel's feature sd; 0 = 1
	ThetaGamma float64 // smoothness kernel's spatial sd, px; 0 = 1
	W1, W2     float64 // kernel weights; 0 = 3 and 1
	Iterations int     // mean-field iterations; 0 = 5
	// Unnormalized uses the kernels as they are; by default each kernel is normalised
	// symmetrically, k_ij/√(d_i d_j) with d_i = 1 + Σ_{j≠i} k_ij (the self weight 1),
	// as densecrf's default NORMALIZE_SYMMETRIC, which keeps the messages of a pixel of
	// many similar neighbours from swamping its unary.
	Unnormalized bool
	// Radius limits messages to pixels within this Chebyshev distance; 0 = Window(cfg)
	// (truncating only factors below 1e-12); −1 = exact, all pairs.
	Radius int
}

func (c Config) withDefaults() Config {
	if c.ThetaAlpha == 0 {
		c.ThetaAlpha = 3
	}
	if c.ThetaBeta == 0 {
		c.ThetaBeta = 1
	}
	if c.ThetaGamma == 0 {
		c.ThetaGamma = 1
	}
	if c.W1 == 0 {
		c.W1 = 3
	}
	if c.W2 == 0 {
		c.W2 = 1
	}
	if c.Iterations == 0 {
		c.Iterations = 5
	}
	return c
}

// Window returns the radius beyond which both spatial factors are below 1e-12:
// ⌈max(θα, θγ)·√(2 ln 10¹²)⌉.
func Window(cfg Config) int {
	c := cfg.withDefaults()
	return int(math.Ceil(math.Max(c.ThetaAlpha, c.ThetaGamma) * math.Sqrt(2*12*math.Ln10)))
}

// Image is the CRF's input: Lines × Samples pixels, unary energies (−log p, pixel-major,
// K per pixel) and features (F per pixel).
type Image struct {
	Lines, Samples int
	K              int
	Unary          []float64
	F              int
	Features       []float64
}

// Infer runs mean-field inference and returns the marginals Q (pixel-major, K per
// pixel). Q starts as softmax(−unary).
func Infer(img Image, cfg Config) ([]float64, error) {
	cfg = cfg.withDefaults()
	N := img.Lines * img.Samples
	if img.K < 1 || len(img.Unary) != N*img.K || len(img.Features) != N*img.F {
		return nil, fmt.Errorf("crf: %d×%d pixels, K %d, F %d: unary %d, features %d values", img.Lines, img.Samples, img.K, img.F, len(img.Unary), len(img.Features))
	}
	R := cfg.Radius
	if R == 0 {
		R = Window(cfg)
	}
	if R < 0 || R > max(img.Lines, img.Samples) {
		R = max(img.Lines, img.Samples) // exact
	}
	K := img.K
	Q := make([]float64, N*K)
	softmaxNeg(img.Unary, Q, K)
	// spatial factors by squared distance (without weights).
	maxD2 := 2 * R * R
	ta, tg := make([]float64, maxD2+1), make([]float64, maxD2+1)
	for d2 := range ta {
		ta[d2] = math.Exp(-float64(d2) / (2 * cfg.ThetaAlpha * cfg.ThetaAlpha))
		tg[d2] = math.Exp(-float64(d2) / (2 * cfg.ThetaGamma * cfg.ThetaGamma))
	}
	ib := 1 / (2 * cfg.ThetaBeta * cfg.ThetaBeta)
	// per-pixel scale of each kernel: 1/√d_i (1 when unnormalised).
	sa, sg := make([]float64, N), make([]float64, N)
	for i := range sa {
		sa[i], sg[i] = 1, 1
	}
	workers := runtime.GOMAXPROCS(0)
	// visit calls fn(j, kα, kγ) for every j ≠ i within the window, unweighted kernels.
	visit := func(i int, fn func(j int, ka, kg float64)) {
		li, si := i/img.Samples, i%img.Samples
		fi := img.Features[i*img.F : (i+1)*img.F]
		for l := max(0, li-R); l <= min(img.Lines-1, li+R); l++ {
			dl := l - li
			for s := max(0, si-R); s <= min(img.Samples-1, si+R); s++ {
				j := l*img.Samples + s
				if j == i {
					continue
				}
				ds := s - si
				d2 := dl*dl + ds*ds
				fj := img.Features[j*img.F : (j+1)*img.F]
				var df float64
				for f := range fi {
					t := fi[f] - fj[f]
					df += t * t
				}
				fn(j, ta[d2]*math.Exp(-df*ib), tg[d2])
			}
		}
	}
	parallel := func(fn func(i int)) {
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for i := w; i < N; i += workers {
					fn(i)
				}
			}(w)
		}
		wg.Wait()
	}
	if !cfg.Unnormalized {
		parallel(func(i int) {
			da, dg := 1.0, 1.0
			visit(i, func(_ int, ka, kg float64) { da += ka; dg += kg })
			sa[i], sg[i] = 1/math.Sqrt(da), 1/math.Sqrt(dg)
		})
	}
	M := make([]float64, N*K)
	Qa, Qg := make([]float64, N*K), make([]float64, N*K)
	for it := 0; it < cfg.Iterations; it++ {
		for i := 0; i < N; i++ {
			for k := 0; k < K; k++ {
				Qa[i*K+k] = cfg.W1 * sa[i] * Q[i*K+k]
				Qg[i*K+k] = cfg.W2 * sg[i] * Q[i*K+k]
			}
		}
		parallel(func(i int) {
			m := M[i*K : (i+1)*K]
			ma := make([]float64, K)
			for k := range m {
				m[k] = 0
			}
			visit(i, func(j int, ka, kg float64) {
				qa, qg := Qa[j*K:(j+1)*K], Qg[j*K:(j+1)*K]
				for k := range m {
					ma[k] += ka * qa[k]
					m[k] += kg * qg[k]
				}
			})
			for k := range m {
				m[k] = sa[i]*ma[k] + sg[i]*m[k]
			}
		})
		// Q_i(l) ∝ exp(−U_i(l) + M_i(l)): Potts, E_i(l) = U_i(l) + Σ_j k_ij (1 − Q_j(l)).
		for i := range M {
			M[i] = img.Unary[i] - M[i]
		}
		softmaxNeg(M, Q, K)
	}
	return Q, nil
}

// softmaxNeg writes softmax(−e) per row of K into q.
func softmaxNeg(e, q []float64, K int) {
	for i := 0; i < len(e)/K; i++ {
		row := e[i*K : (i+1)*K]
		mn := math.Inf(1)
		for _, v := range row {
			mn = math.Min(mn, v)
		}
		var s float64
		for k, v := range row {
			q[i*K+k] = math.Exp(-(v - mn))
			s += q[i*K+k]
		}
		for k := range row {
			q[i*K+k] /= s
		}
	}
}

// Argmax returns the 1-based label of highest marginal per pixel.
func Argmax(Q []float64, K int) []int {
	out := make([]int, len(Q)/K)
	for i := range out {
		best := 0
		for k := 1; k < K; k++ {
			if Q[i*K+k] > Q[i*K+best] {
				best = k
			}
		}
		out[i] = best + 1
	}
	return out
}
