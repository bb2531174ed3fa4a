package mixture

import (
	"github.com/ergml/erg/internal/gamma"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/ergml/erg/modes"
)

// Config configures Fit; the zero value is BayesMultiMode's default (K = 10, 2000
// iterations, half burn-in) run as 2 chains for the convergence diagnostics.
type Config struct {
	K, Iter, Burn, Chains int
	Seed                  uint64
	Workers               int
	// Priors; zero values mean BayesMultiMode's defaults (see the package comment).
	A0, B0, C0, G0 float64
	// CountOnly skips the density band (for simulation studies).
	CountOnly bool
}

// Result is the posterior of the number of modes.
type Result struct {
	K             []int                `json:"k"`
	Posterior     []float64            `json:"posterior"` // P(k modes | data), k = K[i]
	Modes         int                  `json:"modes"`     // most probable number of modes
	PMultimodal   float64              `json:"p_multimodal"`
	Components    []float64            `json:"components_posterior"` // P(j non-empty components)
	ModeLocations []float64            `json:"-"`
	X             []float64            `json:"x"`
	Median        []float64            `json:"median"`
	Lo            []float64            `json:"lo"`
	Hi            []float64            `json:"hi"`
	RHat          map[string]modes.Num `json:"rhat"`
	ESS           map[string]modes.Num `json:"ess"`
	Draws         int                  `json:"draws"`
}

// Fit runs the sampler on x.
func Fit(x []float64, cfg Config) (*Result, error) {
	if err := modes.Check(x); err != nil {
		return nil, err
	}
	if cfg.K <= 0 {
		cfg.K = 10
	}
	if cfg.Iter <= 0 {
		cfg.Iter = 2000
	}
	if cfg.Burn <= 0 || cfg.Burn >= cfg.Iter {
		cfg.Burn = cfg.Iter / 2
	}
	if cfg.Chains <= 0 {
		cfg.Chains = 2
	}
	n := len(x)
	xs := append([]float64(nil), x...)
	sort.Float64s(xs)
	lo, hi := xs[0], xs[n-1]
	med := xs[n/2]
	if n%2 == 0 {
		med = (xs[n/2-1] + xs[n/2]) / 2
	}
	m, v := 0.0, 0.0
	for _, t := range x {
		m += t
	}
	m /= float64(n)
	for _, t := range x {
		v += (t - m) * (t - m)
	}
	sd := math.Sqrt(v / float64(n-1))
	pr := priors{a0: 1, A0: cfg.A0, b0: med, B0: cfg.B0, c0: cfg.C0, g0: 0.5, G0: cfg.G0}
	if pr.A0 <= 0 {
		pr.A0 = 200
	}
	if pr.B0 <= 0 {
		pr.B0 = (hi - lo) * (hi - lo)
	}
	if pr.c0 <= 0 {
		pr.c0 = 2.5
	}
	if pr.G0 <= 0 {
		pr.G0 = 100 * pr.g0 / pr.c0 / pr.B0
	}
	const M = 512
	grid := make([]float64, M)
	for i := range grid {
		grid[i] = lo + (hi-lo)*float64(i)/float64(M-1)
	}
	type out struct {
		k     []int
		nonEm []int
		ll    []float64
		locs  [][]float64
		dens  [][]float64
	}
	outs := make([]out, cfg.Chains)
	modes.Replicates(cfg.Chains, cfg.Seed, cfg.Workers, func(c int, rng *rand.Rand) {
		s := newSampler(x, xs, cfg.K, pr, rng)
		o := &outs[c]
		for it := 0; it < cfg.Iter; it++ {
			ll := s.sweep()
			if it < cfg.Burn {
				continue
			}
			f := s.density(grid)
			locs := modesOf(grid, f, sd/10)
			o.k = append(o.k, len(locs))
			o.locs = append(o.locs, locs)
			o.ll = append(o.ll, ll)
			o.nonEm = append(o.nonEm, s.nonEmpty())
			if !cfg.CountOnly {
				o.dens = append(o.dens, f)
			}
		}
	})
	res := &Result{X: grid, RHat: map[string]modes.Num{}, ESS: map[string]modes.Num{}}
	kmax := 1
	for _, o := range outs {
		for _, k := range o.k {
			kmax = max(kmax, k)
		}
	}
	post := make([]float64, kmax)
	comp := make([]float64, cfg.K)
	var all [][]float64
	for _, o := range outs {
		for i, k := range o.k {
			if k >= 1 {
				post[k-1]++
			}
			comp[o.nonEm[i]-1]++
			res.ModeLocations = append(res.ModeLocations, o.locs[i]...)
			if !cfg.CountOnly {
				all = append(all, o.dens[i])
			}
			res.Draws++
		}
	}
	for i := range post {
		post[i] /= float64(res.Draws)
		res.K = append(res.K, i+1)
	}
	for i := range comp {
		comp[i] /= float64(res.Draws)
	}
	res.Posterior, res.Components = post, comp
	res.Modes = 1
	for i, p := range post {
		if p > post[res.Modes-1] {
			res.Modes = i + 1
		}
	}
	res.PMultimodal = 1 - post[0]
	if cfg.CountOnly {
		all = nil
	}
	// band
	col := make([]float64, len(all))
	w := make([]float64, len(all))
	for i := range w {
		w[i] = 1
	}
	thin := (len(all) + 999) / 1000
	sub := col[:0]
	for j := range grid {
		if len(all) == 0 {
			break
		}
		sub = sub[:0]
		for i := 0; i < len(all); i += thin {
			sub = append(sub, all[i][j])
		}
		res.Median = append(res.Median, modes.WeightedQuantile(sub, w[:len(sub)], 0.5))
		res.Lo = append(res.Lo, modes.WeightedQuantile(sub, w[:len(sub)], 0.025))
		res.Hi = append(res.Hi, modes.WeightedQuantile(sub, w[:len(sub)], 0.975))
	}
	ll := make([][]float64, len(outs))
	kk := make([][]float64, len(outs))
	for c, o := range outs {
		ll[c] = o.ll
		for _, k := range o.k {
			kk[c] = append(kk[c], float64(k))
		}
	}
	res.RHat["loglik"], res.ESS["loglik"] = modes.Num(modes.RHat(ll)), modes.Num(modes.ESS(ll))
	res.RHat["n_modes"], res.ESS["n_modes"] = modes.Num(modes.RHat(kk)), modes.Num(modes.ESS(kk))
	return res, nil
}

type priors struct{ a0, A0, b0, B0, c0, g0, G0 float64 }

type sampler struct {
	x          []float64
	K          int
	pr         priors
	rng        *rand.Rand
	z          []int
	logEta     []float64
	mu, sig2   []float64
	C0, e0     float64
	nk         []float64
	sum, sumsq []float64
	prob       []float64
}

func newSampler(x, xs []float64, K int, pr priors, rng *rand.Rand) *sampler {
	n := len(x)
	s := &sampler{x: x, K: K, pr: pr, rng: rng, z: make([]int, n), logEta: make([]float64, K),
		mu: make([]float64, K), sig2: make([]float64, K), nk: make([]float64, K),
		sum: make([]float64, K), sumsq: make([]float64, K), prob: make([]float64, K),
		C0: pr.g0, e0: pr.a0 / pr.A0}
	// initial allocation: K groups of consecutive order statistics (BayesMultiMode uses
	// k-means); initial means are the group means
	for i, v := range x {
		r := sort.SearchFloat64s(xs, v)
		s.z[i] = min(K-1, r*K/n)
	}
	s.stats()
	for k := range s.mu {
		if s.nk[k] > 0 {
			s.mu[k] = s.sum[k] / s.nk[k]
		} else {
			s.mu[k] = pr.b0
		}
	}
	return s
}

func (s *sampler) stats() {
	for k := range s.nk {
		s.nk[k], s.sum[k], s.sumsq[k] = 0, 0, 0
	}
	for i, v := range s.x {
		k := s.z[i]
		s.nk[k]++
		s.sum[k] += v
	}
}

// sweep does one Gibbs sweep and returns the log likelihood.
func (s *sampler) sweep() float64 {
	K := s.K
	// weights: Dirichlet(e0 + N) via log-gammas
	lg := make([]float64, K)
	for k := range lg {
		lg[k] = gamma.LogRand(s.rng, s.e0+s.nk[k])
	}
	mx := math.Inf(-1)
	for _, v := range lg {
		mx = math.Max(mx, v)
	}
	tot := 0.0
	for _, v := range lg {
		tot += math.Exp(v - mx)
	}
	for k := range lg {
		s.logEta[k] = lg[k] - mx - math.Log(tot)
	}
	// variances and means (the variance uses the previous means, as BayesMultiMode)
	for k := 0; k < K; k++ {
		ss := 0.0
		for i, v := range s.x {
			if s.z[i] == k {
				ss += (v - s.mu[k]) * (v - s.mu[k])
			}
		}
		ck := s.pr.c0 + s.nk[k]/2
		Ck := s.C0 + 0.5*ss
		s.sig2[k] = Ck / gamma.Rand(s.rng, ck)
		B := 1 / (1/s.pr.B0 + s.nk[k]/s.sig2[k])
		b := B * (s.pr.b0/s.pr.B0 + s.sum[k]/s.sig2[k])
		s.mu[k] = b + math.Sqrt(B)*s.rng.NormFloat64()
	}
	// allocations
	ll := 0.0
	lsd := make([]float64, K)
	for k := range lsd {
		lsd[k] = 0.5 * math.Log(2*math.Pi*s.sig2[k])
	}
	for i, v := range s.x {
		mx := math.Inf(-1)
		for k := 0; k < K; k++ {
			d := v - s.mu[k]
			s.prob[k] = s.logEta[k] - lsd[k] - d*d/(2*s.sig2[k])
			mx = math.Max(mx, s.prob[k])
		}
		t := 0.0
		for k := range s.prob {
			s.prob[k] = math.Exp(s.prob[k] - mx)
			t += s.prob[k]
		}
		ll += mx + math.Log(t)
		u := s.rng.Float64() * t
		k := 0
		for k < K-1 && u > s.prob[k] {
			u -= s.prob[k]
			k++
		}
		s.z[i] = k
	}
	s.stats()
	// C0 | σ² ~ Gamma(g0 + K c0, G0 + Σ 1/σ²)
	inv := 0.0
	for _, v := range s.sig2 {
		inv += 1 / v
	}
	s.C0 = gamma.Rand(s.rng, s.pr.g0+float64(K)*s.pr.c0) / (s.pr.G0 + inv)
	// e0: random-walk Metropolis on log e0
	sumLog := 0.0
	for _, v := range s.logEta {
		sumLog += v
	}
	logTarget := func(e float64) float64 {
		lgK, _ := math.Lgamma(float64(K) * e)
		lg1, _ := math.Lgamma(e)
		return (s.pr.a0-1)*math.Log(e) - s.pr.A0*e + lgK - float64(K)*lg1 + (e-1)*sumLog + math.Log(e)
	}
	prop := s.e0 * math.Exp(0.3*s.rng.NormFloat64())
	if math.Log(s.rng.Float64()) < logTarget(prop)-logTarget(s.e0) {
		s.e0 = prop
	}
	return ll
}

func (s *sampler) nonEmpty() int {
	c := 0
	for _, v := range s.nk {
		if v > 0 {
			c++
		}
	}
	return max(c, 1)
}

func (s *sampler) density(grid []float64) []float64 {
	f := make([]float64, len(grid))
	for k := 0; k < s.K; k++ {
		w := math.Exp(s.logEta[k])
		if w < 1e-12 { // negligible; also avoids slow subnormal arithmetic
			continue
		}
		sd := math.Sqrt(s.sig2[k])
		c := w / (sd * math.Sqrt(2*math.Pi))
		for j, t := range grid {
			u := (t - s.mu[k]) / sd
			if u*u < 80 { // beyond, below 4e-18 of the peak (and subnormal arithmetic is slow)
				f[j] += c * math.Exp(-0.5*u*u)
			}
		}
	}
	return f
}

// modesOf returns the modes of f on grid, merging modes closer than tol (keeping the
// higher one).
func modesOf(grid, f []float64, tol float64) []float64 {
	var ms, fs []float64
	for _, e := range modes.Extrema(grid, f) {
		if !e.Mode {
			continue
		}
		if n := len(ms); n > 0 && e.X-ms[n-1] < tol {
			if e.F > fs[n-1] {
				ms[n-1], fs[n-1] = e.X, e.F
			}
			continue
		}
		ms, fs = append(ms, e.X), append(fs, e.F)
	}
	return ms
}
