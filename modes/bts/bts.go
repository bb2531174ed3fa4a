package bts

import (
	"errors"
	"fmt"
	"github.com/ergml/erg/internal/gamma"
	"math"
	"math/rand/v2"
	"sort"

	"gonum.org/v1/gonum/mat"

	"github.com/ergml/erg/modes"
)

// Config configures Fit. The zero value gives the defaults in brackets.
type Config struct {
	// Knots is the largest number of interior knots [clamp(round(2.5·n^(1/3)), 6, 20)].
	Knots int
	// TautC sets the taut string's tube radius eps = TautC/sqrt(n) [0.3].
	TautC float64
	// Bins is the number of bins of the (binned) likelihood and of the grid on which modes
	// are counted [200].
	Bins int
	// Margin extends the support [a, b] beyond the data range on each side, as a
	// fraction of the range [0.1].
	Margin float64
	// PriorK is the prior probability of k = 1, 2, ... modes (normalised; k beyond its
	// length has prior 0), for expert judgement. When nil and PriorRatio > 0 the prior is
	// geometric, P(k) ∝ PriorRatio^(k-1) for k = 1..KMax. When both are unset the prior on
	// the number of modes is the one the smoothing prior induces (BasePrior), which
	// already favours few modes (about 2/3 on one mode), and no reweighting is done.
	PriorK     []float64
	PriorRatio float64
	KMax       int // [10]
	// TauShape and TauRate are the Gamma prior of the smoothing precision τ [1, 0.005].
	TauShape, TauRate float64
	// Chains, Burn and Draws per chain [4, 300, 400]; Leapfrog steps per HMC move [10].
	Chains, Burn, Draws, Leapfrog int
	// MinExcessMass is the excess mass a mode of a posterior draw must carry to be
	// counted (modes.PruneModes): bumps lighter than one observation cannot be told from
	// noise, and in sparse tails the log-spline makes such bumps freely. 0 means 1/n;
	// negative counts every local maximum.
	MinExcessMass float64
	// PriorDraws estimate the distribution of the number of modes under the smoothing
	// prior alone [4000].
	PriorDraws int
	Seed       uint64
	Workers    int // chains run in parallel; results do not depend on it
	// CountOnly skips the density band and the mode locations (for simulation studies).
	CountOnly bool
}

func (c *Config) defaults(n int) {
	if c.Knots <= 0 {
		c.Knots = int(math.Round(2.5 * math.Cbrt(float64(n))))
		c.Knots = max(6, min(20, c.Knots))
	}
	if c.TautC <= 0 {
		c.TautC = 0.3
	}
	if c.Bins <= 0 {
		c.Bins = 200
	}
	if c.Margin <= 0 {
		c.Margin = 0.1
	}
	if c.KMax <= 0 {
		c.KMax = 10
	}
	if c.TauShape <= 0 {
		c.TauShape = 1
	}
	if c.TauRate <= 0 {
		c.TauRate = 0.005
	}
	if c.Chains <= 0 {
		c.Chains = 4
	}
	if c.Burn <= 0 {
		c.Burn = 300
	}
	if c.Draws <= 0 {
		c.Draws = 400
	}
	if c.Leapfrog <= 0 {
		c.Leapfrog = 10
	}
	if c.PriorDraws <= 0 {
		c.PriorDraws = 4000
	}
	if c.MinExcessMass == 0 {
		c.MinExcessMass = 1 / float64(n)
	}
}

// Result is the posterior of a Bayesian taut spline fit.
type Result struct {
	N         int       `json:"n"`
	A         float64   `json:"support_lo"`
	B         float64   `json:"support_hi"`
	Knots     []float64 `json:"knots"`
	TautModes int       `json:"taut_string_modes"`
	// K[i] = i+1; Posterior, Prior: P(k | data) and P(k) with the prior on the number of
	// modes; BasePosterior, BasePrior: the same under the smoothing prior alone.
	K             []int     `json:"k"`
	Posterior     []float64 `json:"posterior"`
	Prior         []float64 `json:"prior"`
	BasePosterior []float64 `json:"base_posterior"`
	BasePrior     []float64 `json:"base_prior"`
	// BayesFactors[i] is the Bayes factor of k = i+1 against k = i+2 modes (NaN when
	// either has no draws); it does not depend on the prior on the number of modes.
	BayesFactors modes.Nums `json:"bayes_factors"`
	Modes        int        `json:"modes"` // posterior mode of the number of modes
	// ModeLocations and ModeWeights: the mode locations of every draw, weighted.
	ModeLocations []float64 `json:"-"`
	ModeWeights   []float64 `json:"-"`
	// Posterior median and 95% pointwise band of the density on X.
	X      []float64 `json:"x"`
	Median []float64 `json:"median"`
	Lo     []float64 `json:"lo"`
	Hi     []float64 `json:"hi"`
	// Diagnostics: split R̂ and ESS of the log posterior, log τ and the number of modes.
	RHat   map[string]modes.Num `json:"rhat"`
	ESS    map[string]modes.Num `json:"ess"`
	Accept float64              `json:"accept"`
	Draws  int                  `json:"draws"`
}

// MAPModes returns the most probable number of modes.
func (r *Result) MAPModes() int { return r.Modes }

// ErrNoDraws is returned when every posterior draw has more modes than the prior allows.
var ErrNoDraws = errors.New("bts: no posterior draw has a number of modes with positive prior probability")

type model struct {
	n      float64
	m      int // bins
	counts []float64
	first  []int
	vals   [][4]float64
	p, d   int
	Q      *mat.Dense // p×d, orthonormal basis of the zero-integral subspace
	S      *mat.Dense // d×d smoothing penalty Q'D'DQ
	N0     *mat.Dense // projector onto the null space of S
	rank   int
	kappa  float64
	eigval []float64
	eigvec *mat.Dense
	// scratch for logLikInto (one model per chain)
	bbuf, gbuf, pbuf, gbbuf []float64
}

func (md *model) clone() *model {
	c := *md
	c.bbuf, c.gbbuf = make([]float64, md.p), make([]float64, md.p)
	c.gbuf, c.pbuf = make([]float64, md.m), make([]float64, md.m)
	return &c
}

// Fit computes the posterior of the number of modes of the density of x.
func Fit(x []float64, cfg Config) (*Result, error) {
	if err := modes.Check(x); err != nil {
		return nil, err
	}
	n := len(x)
	cfg.defaults(n)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range x {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	a := lo - cfg.Margin*(hi-lo)
	b := hi + cfg.Margin*(hi-lo)
	z := make([]float64, n)
	for i, v := range x {
		z[i] = (v - a) / (b - a)
	}
	ts := TautString(z, cfg.TautC/math.Sqrt(float64(n)))
	knots := placeKnots(z, ts, cfg.Knots)
	md := newModel(z, knots, cfg.Bins)

	res := &Result{N: n, A: a, B: b, TautModes: ts.NModes()}
	for _, k := range knots {
		res.Knots = append(res.Knots, a+k*(b-a))
	}
	// MAP and whitening
	theta, tau := md.mapEstimate(cfg)
	H := md.hessian(theta, tau)
	var ch mat.Cholesky
	if ok := ch.Factorize(symOf(H)); !ok {
		return nil, fmt.Errorf("bts: Hessian at the posterior mode is not positive definite")
	}
	var L mat.TriDense
	ch.LTo(&L)
	var Linv mat.TriDense
	if err := Linv.InverseTri(&L); err != nil {
		return nil, fmt.Errorf("bts: %w", err)
	}
	linv := mat.DenseCopyOf(&Linv)

	type chainOut struct {
		k       []int
		lp, lt  []float64
		f       [][]float64
		locs    [][]float64
		accepts int
	}
	outs := make([]chainOut, cfg.Chains)
	modes.Replicates(cfg.Chains, cfg.Seed, cfg.Workers, func(c int, rng *rand.Rand) {
		o := &outs[c]
		hmc := newHMC(md.clone(), theta, linv, tau, cfg, rng)
		for it := 0; it < cfg.Burn+cfg.Draws; it++ {
			acc := hmc.step(it < cfg.Burn)
			if it < cfg.Burn {
				continue
			}
			if acc {
				o.accepts++
			}
			g := md.logDensity(hmc.theta())
			k, locs := countModes(g, cfg.MinExcessMass)
			o.k = append(o.k, k)
			o.lp = append(o.lp, hmc.logPost)
			o.lt = append(o.lt, math.Log(hmc.tau))
			if !cfg.CountOnly {
				o.f = append(o.f, g)
				o.locs = append(o.locs, locs)
			}
		}
	})

	// prior distribution of the number of modes under the smoothing prior
	kmax := cfg.KMax
	base0 := md.priorModes(cfg, kmax)
	priorK := cfg.PriorK
	if priorK == nil && cfg.PriorRatio > 0 {
		priorK = make([]float64, kmax)
		for i := range priorK {
			priorK[i] = math.Pow(cfg.PriorRatio, float64(i))
		}
	}
	reweight := priorK != nil
	if !reweight {
		priorK = base0
	}
	if len(priorK) > kmax {
		kmax = len(priorK)
	}
	pk := make([]float64, kmax)
	s := 0.0
	for i, v := range priorK {
		if v < 0 || math.IsNaN(v) {
			return nil, fmt.Errorf("bts: prior on the number of modes has a negative value at k=%d", i+1)
		}
		pk[i] = v
		s += v
	}
	if s == 0 {
		return nil, fmt.Errorf("bts: prior on the number of modes sums to 0")
	}
	for i := range pk {
		pk[i] /= s
	}

	res.K = make([]int, kmax)
	for i := range res.K {
		res.K[i] = i + 1
	}
	res.Prior = pk
	res.BasePrior = base0
	post := make([]float64, kmax)
	basePost := make([]float64, kmax)
	var all int
	var ws []float64
	var fs [][]float64
	accepts := 0
	for _, o := range outs {
		accepts += o.accepts
		for i, k := range o.k {
			all++
			w := 0.0
			if k >= 1 && k <= kmax {
				basePost[k-1]++
				w = 1
				if reweight {
					w = pk[k-1] / base0[k-1]
				}
				post[k-1] += w
			}
			if cfg.CountOnly {
				continue
			}
			ws = append(ws, w)
			fs = append(fs, o.f[i])
			for _, l := range o.locs[i] {
				res.ModeLocations = append(res.ModeLocations, a+l*(b-a))
				res.ModeWeights = append(res.ModeWeights, w)
			}
		}
	}
	res.Draws = all
	res.Accept = float64(accepts) / float64(all)
	tw := 0.0
	for _, v := range post {
		tw += v
	}
	if tw == 0 {
		return nil, ErrNoDraws
	}
	for i := range post {
		post[i] /= tw
		basePost[i] /= float64(all)
	}
	res.Posterior, res.BasePosterior = post, basePost
	res.Modes = 1
	for i, v := range post {
		if v > post[res.Modes-1] {
			res.Modes = i + 1
		}
	}
	res.BayesFactors = make(modes.Nums, kmax-1)
	for i := range res.BayesFactors {
		if basePost[i] > 0 && basePost[i+1] > 0 {
			res.BayesFactors[i] = (basePost[i] / basePost[i+1]) / (base0[i] / base0[i+1])
		} else {
			res.BayesFactors[i] = math.NaN()
		}
	}
	// diagnostics
	res.RHat, res.ESS = map[string]modes.Num{}, map[string]modes.Num{}
	lp := make([][]float64, len(outs))
	lt := make([][]float64, len(outs))
	kk := make([][]float64, len(outs))
	for c, o := range outs {
		lp[c], lt[c] = o.lp, o.lt
		for _, k := range o.k {
			kk[c] = append(kk[c], float64(k))
		}
	}
	for name, ch := range map[string][][]float64{"log_posterior": lp, "log_tau": lt, "n_modes": kk} {
		res.RHat[name] = modes.Num(modes.RHat(ch))
		res.ESS[name] = modes.Num(modes.ESS(ch))
	}
	if !cfg.CountOnly {
		res.band(md, fs, ws, a, b)
	}
	return res, nil
}

// band computes the posterior median and 95% band of the density on the original scale.
func (res *Result) band(md *model, fs [][]float64, ws []float64, a, b float64) {
	M := md.m
	res.X = make([]float64, M)
	res.Median = make([]float64, M)
	res.Lo = make([]float64, M)
	res.Hi = make([]float64, M)
	// at most 1000 draws, evenly thinned, transposed to bin-major order
	thin := (len(fs) + 999) / 1000
	var bw []float64
	var bf [][]float64
	for i := 0; i < len(fs); i += thin {
		bf = append(bf, fs[i])
		bw = append(bw, ws[i])
	}
	tr := make([]float64, M*len(bf))
	for i, g := range bf {
		for j, v := range g {
			tr[j*len(bf)+i] = v
		}
	}
	for j := 0; j < M; j++ {
		res.X[j] = a + (float64(j)+0.5)/float64(M)*(b-a)
		col := tr[j*len(bf) : (j+1)*len(bf)]
		for i, v := range col {
			col[i] = 0
			if v > -50 {
				col[i] = math.Exp(v) / (b - a)
			}
		}
		res.Median[j] = modes.WeightedQuantile(col, bw, 0.5)
		res.Lo[j] = modes.WeightedQuantile(col, bw, 0.025)
		res.Hi[j] = modes.WeightedQuantile(col, bw, 0.975)
	}
}

// placeKnots picks up to kmax interior knots in (0,1) among the taut string's vertices
// (which crowd where the distribution function bends), topping up with sample quantiles
// when the string has few vertices, and dropping knots closer than 1/200.
func placeKnots(z []float64, ts *Taut, kmax int) []float64 {
	var cand []float64
	for _, k := range ts.Knots {
		if k > 0 && k < 1 {
			cand = append(cand, k)
		}
	}
	var knots []float64
	if len(cand) > kmax {
		for i := 0; i < kmax; i++ {
			knots = append(knots, cand[(2*i+1)*len(cand)/(2*kmax)])
		}
	} else {
		knots = append(knots, cand...)
	}
	if len(knots) < kmax {
		zs := append([]float64(nil), z...)
		sort.Float64s(zs)
		need := kmax - len(knots)
		for i := 1; i <= need; i++ {
			knots = append(knots, zs[i*(len(zs)-1)/(need+1)])
		}
	}
	sort.Float64s(knots)
	var out []float64
	last := 0.0
	for _, k := range knots {
		if k-last >= 1.0/200 && 1-k >= 1.0/200 {
			out = append(out, k)
			last = k
		}
	}
	return out
}

func newModel(z, knots []float64, M int) *model {
	bs := newBasis(knots)
	md := &model{n: float64(len(z)), m: M, counts: make([]float64, M), p: bs.p}
	for _, v := range z {
		j := int(v * float64(M))
		md.counts[min(max(j, 0), M-1)]++
	}
	md.first = make([]int, M)
	md.vals = make([][4]float64, M)
	avec := make([]float64, bs.p)
	for j := 0; j < M; j++ {
		t := (float64(j) + 0.5) / float64(M)
		md.first[j], md.vals[j] = bs.eval(t)
		for i := 0; i < 4; i++ {
			avec[md.first[j]+i] += md.vals[j][i]
		}
	}
	// Householder reflection mapping avec to a multiple of e0: its other columns span avec⊥
	p := bs.p
	v := append([]float64(nil), avec...)
	nrm := 0.0
	for _, x := range v {
		nrm += x * x
	}
	nrm = math.Sqrt(nrm)
	v[0] += nrm
	vv := 0.0
	for _, x := range v {
		vv += x * x
	}
	H := mat.NewDense(p, p, nil)
	for i := 0; i < p; i++ {
		for j := 0; j < p; j++ {
			e := 0.0
			if i == j {
				e = 1
			}
			H.Set(i, j, e-2*v[i]*v[j]/vv)
		}
	}
	md.d = p - 1
	md.Q = mat.DenseCopyOf(H.Slice(0, p, 1, p))
	// second differences
	D := mat.NewDense(p-2, p, nil)
	for i := 0; i < p-2; i++ {
		D.Set(i, i, 1)
		D.Set(i, i+1, -2)
		D.Set(i, i+2, 1)
	}
	var DQ mat.Dense
	DQ.Mul(D, md.Q)
	md.S = mat.NewDense(md.d, md.d, nil)
	md.S.Mul(DQ.T(), &DQ)
	var es mat.EigenSym
	es.Factorize(symOf(md.S), true)
	md.eigval = es.Values(nil)
	md.eigvec = new(mat.Dense)
	es.VectorsTo(md.eigvec)
	mx := 0.0
	for _, e := range md.eigval {
		mx = math.Max(mx, e)
	}
	md.N0 = mat.NewDense(md.d, md.d, nil)
	for k, e := range md.eigval {
		if e < 1e-9*mx {
			md.eigval[k] = 0
			col := mat.Col(nil, k, md.eigvec)
			for i := range col {
				for j := range col {
					md.N0.Set(i, j, md.N0.At(i, j)+col[i]*col[j])
				}
			}
		} else {
			md.rank++
		}
	}
	md.kappa = 0.01
	return md
}

func symOf(a *mat.Dense) *mat.SymDense {
	r, _ := a.Dims()
	s := mat.NewSymDense(r, nil)
	for i := 0; i < r; i++ {
		for j := i; j < r; j++ {
			s.SetSym(i, j, (a.At(i, j)+a.At(j, i))/2)
		}
	}
	return s
}

// beta maps θ to spline coefficients.
func (md *model) beta(theta []float64) []float64 {
	b := make([]float64, md.p)
	mat.NewVecDense(md.p, b).MulVec(md.Q, mat.NewVecDense(md.d, theta))
	return b
}

// logDensity returns log f at the bin centres on [0,1] (normalised: Σ f/M = 1).
func (md *model) logDensity(theta []float64) []float64 {
	b := md.beta(theta)
	g := make([]float64, md.m)
	mx := math.Inf(-1)
	for j := range g {
		s := 0.0
		for i := 0; i < 4; i++ {
			s += md.vals[j][i] * b[md.first[j]+i]
		}
		g[j] = s
		mx = math.Max(mx, s)
	}
	z := 0.0
	for _, v := range g {
		if v-mx > -40 {
			z += math.Exp(v - mx)
		}
	}
	lz := mx + math.Log(z/float64(md.m))
	for j := range g {
		g[j] -= lz
	}
	return g
}

// logLik returns the binned log-likelihood and its gradient in θ (grad may be nil), and
// the bin probabilities.
func (md *model) logLik(theta []float64, grad []float64) (float64, []float64) {
	g := md.logDensity(theta)
	ll := 0.0
	p := make([]float64, md.m)
	for j, v := range g {
		ll += md.counts[j] * v
		if v > -50 {
			p[j] = math.Exp(v) / float64(md.m)
		}
	}
	if grad != nil {
		gb := make([]float64, md.p)
		for j := range g {
			r := md.counts[j] - md.n*p[j]
			for i := 0; i < 4; i++ {
				gb[md.first[j]+i] += r * md.vals[j][i]
			}
		}
		gv := mat.NewVecDense(md.d, grad)
		gv.MulVec(md.Q.T(), mat.NewVecDense(md.p, gb))
	}
	return ll, p
}

// logLikInto is logLik without allocations beyond scratch buffers; grad (if not nil) is
// overwritten with the likelihood gradient in θ.
func (md *model) logLikInto(theta []float64, grad []float64) float64 {
	b := md.bbuf
	raw := md.Q.RawMatrix()
	for i := 0; i < md.p; i++ {
		s := 0.0
		row := raw.Data[i*raw.Stride : i*raw.Stride+md.d]
		for j, q := range row {
			s += q * theta[j]
		}
		b[i] = s
	}
	g := md.gbuf
	mx := math.Inf(-1)
	for j := range g {
		f := md.first[j]
		v := &md.vals[j]
		s := v[0]*b[f] + v[1]*b[f+1] + v[2]*b[f+2] + v[3]*b[f+3]
		g[j] = s
		mx = math.Max(mx, s)
	}
	z := 0.0
	for j, v := range g {
		e := 0.0
		if v-mx > -40 { // below 4e-18 of the peak: negligible (and tiny values make subnormal arithmetic, which is slow)
			e = math.Exp(v - mx)
		}
		md.pbuf[j] = e
		z += e
	}
	lz := mx + math.Log(z/float64(md.m))
	ll := 0.0
	for j, v := range g {
		ll += md.counts[j] * (v - lz)
	}
	if grad != nil {
		gb := md.gbbuf
		for i := range gb {
			gb[i] = 0
		}
		for j := range g {
			r := md.counts[j] - md.n*md.pbuf[j]/z
			f := md.first[j]
			v := &md.vals[j]
			gb[f] += r * v[0]
			gb[f+1] += r * v[1]
			gb[f+2] += r * v[2]
			gb[f+3] += r * v[3]
		}
		for j := 0; j < md.d; j++ {
			grad[j] = 0
		}
		for i := 0; i < md.p; i++ {
			row := raw.Data[i*raw.Stride : i*raw.Stride+md.d]
			for j, q := range row {
				grad[j] += q * gb[i]
			}
		}
	}
	return ll
}

// quadForms returns θ'Sθ and θ'N0θ and, when grad is not nil, subtracts the prior
// gradient τSθ + κN0θ from it.
func (md *model) quadForms(theta, grad []float64, tau float64) (float64, float64) {
	sr, nr := md.S.RawMatrix(), md.N0.RawMatrix()
	qs, qn := 0.0, 0.0
	for i := 0; i < md.d; i++ {
		a, c := 0.0, 0.0
		srow := sr.Data[i*sr.Stride : i*sr.Stride+md.d]
		nrow := nr.Data[i*nr.Stride : i*nr.Stride+md.d]
		for j, t := range theta {
			a += srow[j] * t
			c += nrow[j] * t
		}
		qs += theta[i] * a
		qn += theta[i] * c
		if grad != nil {
			grad[i] -= tau*a + md.kappa*c
		}
	}
	return qs, qn
}

// prec returns Λ(τ)θ and θ'Λθ.
func (md *model) precTimes(theta []float64, tau float64) ([]float64, float64) {
	out := make([]float64, md.d)
	tv := mat.NewVecDense(md.d, theta)
	var a, b mat.VecDense
	a.MulVec(md.S, tv)
	b.MulVec(md.N0, tv)
	q := 0.0
	for i := range out {
		out[i] = tau*a.AtVec(i) + md.kappa*b.AtVec(i)
		q += theta[i] * out[i]
	}
	return out, q
}

func (md *model) quadS(theta []float64) float64 {
	tv := mat.NewVecDense(md.d, theta)
	var a mat.VecDense
	a.MulVec(md.S, tv)
	return mat.Dot(tv, &a)
}

// hessian returns the negative Hessian of the log posterior in θ at fixed τ.
func (md *model) hessian(theta []float64, tau float64) *mat.Dense {
	_, p := md.logLik(theta, nil)
	Hb := mat.NewDense(md.p, md.p, nil)
	bp := make([]float64, md.p)
	for j := range p {
		for i := 0; i < 4; i++ {
			bi := md.first[j] + i
			bp[bi] += p[j] * md.vals[j][i]
			for k := 0; k < 4; k++ {
				bk := md.first[j] + k
				Hb.Set(bi, bk, Hb.At(bi, bk)+md.n*p[j]*md.vals[j][i]*md.vals[j][k])
			}
		}
	}
	for i := range bp {
		for k := range bp {
			Hb.Set(i, k, Hb.At(i, k)-md.n*bp[i]*bp[k])
		}
	}
	var t1, H mat.Dense
	t1.Mul(md.Q.T(), Hb)
	H.Mul(&t1, md.Q)
	var P mat.Dense
	P.Scale(tau, md.S)
	var N mat.Dense
	N.Scale(md.kappa, md.N0)
	H.Add(&H, &P)
	H.Add(&H, &N)
	return &H
}

// mapEstimate maximises the joint posterior of (θ, τ) by alternating Newton steps in θ
// and the conditional mode of τ.
func (md *model) mapEstimate(cfg Config) ([]float64, float64) {
	theta := make([]float64, md.d)
	tau := 100.0
	obj := func(th []float64, tau float64) float64 {
		ll, _ := md.logLik(th, nil)
		_, q := md.precTimes(th, tau)
		return ll - q/2
	}
	for outer := 0; outer < 30; outer++ {
		for it := 0; it < 20; it++ {
			grad := make([]float64, md.d)
			md.logLik(theta, grad)
			pt, _ := md.precTimes(theta, tau)
			for i := range grad {
				grad[i] -= pt[i]
			}
			H := md.hessian(theta, tau)
			var step mat.VecDense
			if err := step.SolveVec(H, mat.NewVecDense(md.d, grad)); err != nil {
				break
			}
			f0 := obj(theta, tau)
			t := 1.0
			var cand []float64
			for ls := 0; ls < 30; ls++ {
				cand = make([]float64, md.d)
				for i := range cand {
					cand[i] = theta[i] + t*step.AtVec(i)
				}
				if obj(cand, tau) >= f0 {
					break
				}
				t /= 2
			}
			diff := 0.0
			for i := range cand {
				diff = math.Max(diff, math.Abs(cand[i]-theta[i]))
			}
			theta = cand
			if diff < 1e-8 {
				break
			}
		}
		newTau := (cfg.TauShape - 1 + float64(md.rank)/2) / (cfg.TauRate + md.quadS(theta)/2)
		if newTau <= 0 || math.IsNaN(newTau) {
			newTau = 1
		}
		newTau = math.Min(newTau, 1e8)
		if math.Abs(math.Log(newTau/tau)) < 1e-4 {
			tau = newTau
			break
		}
		tau = newTau
	}
	return theta, tau
}

// priorModes returns the distribution of the number of modes of log-splines drawn from
// the smoothing prior, over k = 1..kmax, with add-half smoothing so that every k has
// positive probability.
func (md *model) priorModes(cfg Config, kmax int) []float64 {
	cnt := make([]float64, kmax)
	rng := rand.New(rand.NewPCG(cfg.Seed^0x9e3779b97f4a7c15, 77))
	theta := make([]float64, md.d)
	u := make([]float64, md.d)
	for r := 0; r < cfg.PriorDraws; r++ {
		tau := gamma.Rand(rng, cfg.TauShape) / cfg.TauRate
		for i := range u {
			lam := md.eigval[i] * tau
			if md.eigval[i] == 0 {
				lam = md.kappa
			}
			u[i] = rng.NormFloat64() / math.Sqrt(lam)
		}
		mat.NewVecDense(md.d, theta).MulVec(md.eigvec, mat.NewVecDense(md.d, u))
		k, _ := countModes(md.logDensity(theta), cfg.MinExcessMass)
		if k >= 1 && k <= kmax {
			cnt[k-1]++
		}
	}
	tot := 0.0
	for i := range cnt {
		cnt[i] += 0.5
		tot += cnt[i]
	}
	for i := range cnt {
		cnt[i] /= tot
	}
	return cnt
}

// countModes counts the modes of a log density tabulated at the bin centres of [0,1]
// that carry excess mass at least minMass, and returns their locations on [0,1].
func countModes(g []float64, minMass float64) (int, []float64) {
	M := len(g)
	x := make([]float64, M)
	f := make([]float64, M)
	for j := range x {
		x[j] = (float64(j) + 0.5) / float64(M)
		if g[j] > -50 {
			f[j] = math.Exp(g[j])
		}
	}
	var locs []float64
	for _, e := range modes.PruneModes(x, f, minMass) {
		if e.Mode {
			locs = append(locs, e.X)
		}
	}
	return len(locs), locs
}
