package bts

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// hmc is Hamiltonian Monte Carlo on (θ, log τ) jointly, in coordinates whitened at the
// posterior mode: θ = θ̂ + L⁻ᵀu with H = LLᵀ the negative Hessian in θ, and
// log τ = log τ̂ + σ_s·v with σ_s = sqrt(2/r).
type hmc struct {
	md      *model
	center  []float64
	linv    *mat.Dense // L⁻¹ (lower triangular)
	s0, ss  float64    // centre and scale of log τ
	q       []float64  // (u, v)
	eps     float64
	logEps  float64
	avgEps  float64
	nAdapt  int
	steps   int
	cfg     Config
	rng     *rand.Rand
	logPost float64
	tau     float64
	// scratch
	th, g, gu []float64
}

func newHMC(md *model, center []float64, linv *mat.Dense, tau float64, cfg Config, rng *rand.Rand) *hmc {
	d := md.d
	h := &hmc{md: md, center: center, linv: linv, eps: 0.3, steps: cfg.Leapfrog, cfg: cfg, rng: rng,
		s0: math.Log(tau), ss: math.Sqrt(2 / float64(max(md.rank, 1))),
		th: make([]float64, d), g: make([]float64, d), gu: make([]float64, d)}
	h.logEps = math.Log(h.eps)
	h.q = make([]float64, d+1)
	for i := range h.q {
		h.q[i] = 0.5 * rng.NormFloat64() // overdispersed start around the mode
	}
	h.logPost, _ = h.potential(h.q, nil)
	h.tau = math.Exp(h.s0 + h.ss*h.q[d])
	return h
}

// thetaOf maps u to θ into dst.
func (h *hmc) thetaOf(u, dst []float64) {
	d := h.md.d
	// θ = center + L⁻ᵀ u; L⁻¹ lower triangular so (L⁻ᵀu)_i = Σ_{j>=i} Linv[j][i] u_j
	raw := h.linv.RawMatrix()
	for i := 0; i < d; i++ {
		s := h.center[i]
		for j := i; j < d; j++ {
			s += raw.Data[j*raw.Stride+i] * u[j]
		}
		dst[i] = s
	}
}

func (h *hmc) theta() []float64 {
	th := make([]float64, h.md.d)
	h.thetaOf(h.q[:h.md.d], th)
	return th
}

// potential returns the log posterior at q (up to a constant) and, when grad is not nil,
// writes its gradient in q.
func (h *hmc) potential(q, grad []float64) (float64, bool) {
	d := h.md.d
	h.thetaOf(q[:d], h.th)
	s := h.s0 + h.ss*q[d]
	tau := math.Exp(s)
	var g []float64
	if grad != nil {
		g = h.g
	}
	ll := h.md.logLikInto(h.th, g)
	qs, qn := h.md.quadForms(h.th, g, tau) // subtracts prior gradient from g when g != nil
	r := float64(h.md.rank)
	a, b := h.cfg.TauShape, h.cfg.TauRate
	lp := ll - tau*qs/2 - h.md.kappa*qn/2 + (r/2+a)*s - b*tau
	if grad != nil {
		raw := h.linv.RawMatrix()
		for i := 0; i < d; i++ { // gu = L⁻¹ g
			t := 0.0
			for j := 0; j <= i; j++ {
				t += raw.Data[i*raw.Stride+j] * g[j]
			}
			grad[i] = t
		}
		grad[d] = h.ss * (r/2 + a - tau*qs/2 - b*tau)
	}
	return lp, !math.IsNaN(lp) && !math.IsInf(lp, 0)
}

// step does one HMC move; during burn-in it adapts the step size towards acceptance 0.8.
func (h *hmc) step(adapt bool) bool {
	n := len(h.q)
	q := append([]float64(nil), h.q...)
	p := make([]float64, n)
	g := make([]float64, n)
	k0 := 0.0
	for i := range p {
		p[i] = h.rng.NormFloat64()
		k0 += p[i] * p[i] / 2
	}
	lp0, _ := h.potential(q, g)
	eps := h.eps * (0.9 + 0.2*h.rng.Float64())
	lp := lp0
	ok := true
	for s := 0; s < h.steps && ok; s++ {
		for i := range p {
			p[i] += eps / 2 * g[i]
		}
		for i := range q {
			q[i] += eps * p[i]
		}
		lp, ok = h.potential(q, g)
		for i := range p {
			p[i] += eps / 2 * g[i]
		}
	}
	k1 := 0.0
	for i := range p {
		k1 += p[i] * p[i] / 2
	}
	logA := (lp - k1) - (lp0 - k0)
	if !ok || math.IsNaN(logA) {
		logA = math.Inf(-1)
	}
	acc := false
	if math.Log(h.rng.Float64()) < logA {
		h.q = q
		h.logPost = lp
		acc = true
	} else {
		h.logPost = lp0
	}
	h.tau = math.Exp(h.s0 + h.ss*h.q[len(h.q)-1])
	if adapt {
		a := math.Min(1, math.Exp(logA))
		h.nAdapt++
		h.logEps += (a - 0.8) / math.Sqrt(float64(h.nAdapt)+10)
		h.eps = math.Exp(h.logEps)
		h.avgEps += (h.logEps - h.avgEps) / float64(h.nAdapt)
		if h.nAdapt == h.cfg.Burn {
			h.eps = math.Exp(h.avgEps)
		}
	}
	return acc
}
