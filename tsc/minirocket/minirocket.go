package minirocket

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
)

// The 84 kernels: the positions (of 9) that get weight 2; all others get -1. This is
// combinations(range(9), 3) in lexicographic order, as in the reference code.
var kernelIndices = func() [84][3]int {
	var k [84][3]int
	n := 0
	for a := 0; a < 9; a++ {
		for b := a + 1; b < 9; b++ {
			for c := b + 1; c < 9; c++ {
				k[n] = [3]int{a, b, c}
				n++
			}
		}
	}
	return k
}()

// NumKernels is the number of MiniRocket kernels.
const NumKernels = 84

// kernelLength is the length of every kernel.
const kernelLength = 9

// Config sets the transform's size. The zero value is the reference default:
// 10,000 features (rounded down to a multiple of 84: 9,996) and at most 32 dilations
// per kernel.
type Config struct {
	NumFeatures           int // 0: 10,000
	MaxDilationsPerKernel int // 0: 32
}

func (c Config) withDefaults() Config {
	if c.NumFeatures <= 0 {
		c.NumFeatures = 10000
	}
	if c.MaxDilationsPerKernel <= 0 {
		c.MaxDilationsPerKernel = 32
	}
	return c
}

// Transform is a fitted MiniRocket transform. Its fields are exported so that it can
// be saved (encoding/json) and inspected.
type Transform struct {
	// Dims is the number of input dimensions (channels).
	Dims int
	// Length is the reference length the dilations were fitted to: the common length
	// of the training series, or their maximum in Variable mode.
	Length int
	// Variable marks the unequal-length mode (see the package documentation): every
	// feature is the PPV over the whole zero-padded convolution output, and a series
	// may have any length.
	Variable bool
	// Dilations and FeaturesPerDilation: for dilation index i, every kernel yields
	// FeaturesPerDilation[i] features, one per bias.
	Dilations           []int
	FeaturesPerDilation []int
	// Biases has one value per feature, in feature order (dilation, kernel, bias).
	Biases []float32
	// ChannelsPerCombination and ChannelIndices give, for multivariate input, the
	// channels summed by each (dilation, kernel) combination, concatenated; both are
	// empty for univariate input.
	ChannelsPerCombination []int
	ChannelIndices         []int
}

// NumFeatures returns the number of output features.
func (t *Transform) NumFeatures() int { return len(t.Biases) }

// fitDilations follows _fit_dilations of the reference code.
func fitDilations(length int, cfg Config) (dil, perDil []int) {
	perKernel := cfg.NumFeatures / NumKernels
	trueMax := min(perKernel, cfg.MaxDilationsPerKernel)
	multiplier := float64(perKernel) / float64(trueMax)
	maxExp := math.Log2(float64(length-1) / float64(kernelLength-1))
	// np.logspace(0, maxExp, trueMax, base=2).astype(int32), then np.unique with counts;
	// linspace as numpy computes it (start + i*step, last point exactly stop).
	vals := make([]int, trueMax)
	for i := range vals {
		var y float64
		switch {
		case i == trueMax-1:
			y = maxExp
		case trueMax > 1:
			y = float64(i) * (maxExp / float64(trueMax-1))
		}
		vals[i] = int(math.Pow(2, y))
	}
	slices.Sort(vals)
	for i, v := range vals {
		if i == 0 || v != vals[i-1] {
			dil = append(dil, v)
			perDil = append(perDil, 0)
		}
		perDil[len(perDil)-1]++
	}
	total := 0
	for i := range perDil {
		perDil[i] = int(float64(perDil[i]) * multiplier)
		total += perDil[i]
	}
	for i := 0; total < perKernel; i = (i + 1) % len(perDil) {
		perDil[i]++
		total++
	}
	return dil, perDil
}

// quantiles returns frac(i·φ) for i = 1..n as float32, the low-discrepancy sequence
// that assigns a quantile to each feature.
func quantiles(n int) []float32 {
	phi := (math.Sqrt(5) + 1) / 2
	q := make([]float32, n)
	for i := range q {
		q[i] = float32(math.Mod(float64(i+1)*phi, 1))
	}
	return q
}

// minLength is the shortest series the kernels accept; shorter ones are zero-padded.
const minLength = kernelLength

// ErrEmpty is returned when Fit gets no data.
var ErrEmpty = errors.New("minirocket: no training series")

// Fit fits the transform to X[case][dim][time]: the dilations to the series length,
// the channel combinations (multivariate) and the biases, which are quantiles of the
// convolution output of a random training case for each (dilation, kernel). All the
// randomness comes from rng. Series must not contain NaN (fill them first).
// When the series lengths differ, the transform is fitted in Variable mode with the
// longest length as reference. Series shorter than 9 are zero-padded to 9.
func Fit(X [][][]float64, cfg Config, rng *rand.Rand) (*Transform, error) {
	return fit(X, cfg, rngSource{rng})
}

// randomSource supplies Fit's random choices; tests replace it to replay the choices
// recorded by the reference script.
type randomSource interface {
	// channels draws the number of channels of each of nComb combinations,
	// 2^U(0, log2(min(dims, 9)+1)) truncated, and that many distinct channels each.
	channels(nComb, dims int) (perComb, indices []int)
	// example picks the training case whose convolution output sets the biases of
	// the next (dilation, kernel) combination.
	example(n int) int
}

type rngSource struct{ r *rand.Rand }

func (s rngSource) channels(nComb, dims int) (perComb, indices []int) {
	maxExp := math.Log2(float64(min(dims, 9) + 1))
	perComb = make([]int, nComb)
	for i := range perComb {
		perComb[i] = int(math.Pow(2, s.r.Float64()*maxExp))
	}
	for _, n := range perComb {
		indices = append(indices, s.r.Perm(dims)[:n]...)
	}
	return perComb, indices
}

func (s rngSource) example(n int) int { return s.r.IntN(n) }

func fit(X [][][]float64, cfg Config, src randomSource) (*Transform, error) {
	cfg = cfg.withDefaults()
	if len(X) == 0 {
		return nil, ErrEmpty
	}
	if cfg.NumFeatures < NumKernels {
		return nil, fmt.Errorf("minirocket: NumFeatures %d is below the number of kernels (84)", cfg.NumFeatures)
	}
	dims := len(X[0])
	if dims == 0 {
		return nil, fmt.Errorf("minirocket: case 0 has no dimensions")
	}
	lo, hi := -1, 0
	for i, c := range X {
		if len(c) != dims {
			return nil, fmt.Errorf("minirocket: case %d has %d dimensions, case 0 has %d", i, len(c), dims)
		}
		for j, s := range c {
			if len(s) == 0 {
				return nil, fmt.Errorf("minirocket: case %d dimension %d is empty", i, j)
			}
			if len(s) != len(c[0]) {
				return nil, fmt.Errorf("minirocket: case %d: dimensions of different lengths (%d and %d) are not supported; resample or pad them", i, len(c[0]), len(s))
			}
			if lo < 0 || len(s) < lo {
				lo = len(s)
			}
			hi = max(hi, len(s))
		}
	}
	t := &Transform{Dims: dims, Length: max(hi, minLength), Variable: lo != hi}
	t.Dilations, t.FeaturesPerDilation = fitDilations(t.Length, cfg)
	perKernel := 0
	for _, n := range t.FeaturesPerDilation {
		perKernel += n
	}
	nFeat := NumKernels * perKernel
	q := quantiles(nFeat)
	nComb := NumKernels * len(t.Dilations)
	if dims > 1 {
		t.ChannelsPerCombination, t.ChannelIndices = src.channels(nComb, dims)
	}
	t.Biases = make([]float32, nFeat)
	w := newWorkspace(dims, t.Length)
	fi, comb, chStart := 0, 0, 0
	for di, d := range t.Dilations {
		nf := t.FeaturesPerDilation[di]
		for k := 0; k < NumKernels; k++ {
			chans := t.channels(comb, &chStart)
			x := X[src.example(len(X))]
			L := max(len(x[0]), minLength)
			w.load(x, L, chans)
			nch := max(len(chans), 1)
			w.prepare(d, nch)
			c := w.combine(k, nch)
			sorted := append(w.sortBuf[:0], c...)
			slices.Sort(sorted)
			w.sortBuf = sorted
			for f := 0; f < nf; f++ {
				t.Biases[fi+f] = quantile(sorted, q[fi+f])
			}
			fi += nf
			comb++
		}
	}
	return t, nil
}

// channels returns the channels of combination comb and advances *start.
func (t *Transform) channels(comb int, start *int) []int {
	if t.Dims == 1 {
		return nil
	}
	n := t.ChannelsPerCombination[comb]
	ch := t.ChannelIndices[*start : *start+n]
	*start += n
	return ch
}

// quantile is numpy's default (linear) quantile of sorted data, with numpy's
// interpolation formula (a + (b−a)t below t = 0.5, b − (b−a)(1−t) from it).
func quantile(sorted []float32, q float32) float32 {
	pos := float64(q) * float64(len(sorted)-1)
	i := int(pos)
	if i >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	t := pos - float64(i)
	a, b := float64(sorted[i]), float64(sorted[i+1])
	if t >= 0.5 {
		return float32(b - (b-a)*(1-t))
	}
	return float32(a + (b-a)*t)
}

// workspace holds one goroutine's buffers. For the series being transformed it keeps,
// per selected channel, A = -x, G = 3x, and for the current dilation
// calpha[ch][t] = Σ_j A[t+(j-4)d] and cgamma[j][ch][t] = G[t+(j-4)d] (zero outside).
type workspace struct {
	L       int
	a, g    [][]float32
	calpha  [][]float32
	cgamma  [9][][]float32
	c       []float32
	sortBuf []float32
}

func newWorkspace(dims, length int) *workspace {
	w := &workspace{}
	w.a = make([][]float32, dims)
	w.g = make([][]float32, dims)
	w.calpha = make([][]float32, dims)
	for j := range w.cgamma {
		w.cgamma[j] = make([][]float32, dims)
	}
	w.grow(length)
	return w
}

func (w *workspace) grow(L int) {
	if cap(w.c) >= L {
		return
	}
	for i := range w.a {
		w.a[i] = make([]float32, L)
		w.g[i] = make([]float32, L)
		w.calpha[i] = make([]float32, L)
		for j := range w.cgamma {
			w.cgamma[j][i] = make([]float32, L)
		}
	}
	w.c = make([]float32, L)
}

// load copies the selected channels of case x (all when chans is nil and x has one
// dimension, or chans lists them) into A and G, zero-padded to length L.
func (w *workspace) load(x [][]float64, L int, chans []int) {
	w.grow(L)
	w.L = L
	n := len(chans)
	if chans == nil {
		n = len(x)
	}
	for i := 0; i < n; i++ {
		src := x[i]
		if chans != nil {
			src = x[chans[i]]
		}
		a, g := w.a[i][:L], w.g[i][:L]
		for t := range a {
			v := float32(0)
			if t < len(src) {
				v = float32(src[t])
			}
			a[t] = -v
			g[t] = v + v + v
		}
	}
}

// prepare computes calpha and cgamma of the first n loaded channels for dilation d.
func (w *workspace) prepare(d, n int) {
	L := w.L
	for i := 0; i < n; i++ {
		a, g := w.a[i][:L], w.g[i][:L]
		ca := w.calpha[i][:L]
		copy(ca, a)
		copy(w.cgamma[4][i][:L], g)
		for j := 0; j < 9; j++ {
			if j == 4 {
				continue
			}
			off := (j - 4) * d // cgamma[j][t] = G[t+off]
			cg := w.cgamma[j][i][:L]
			clear(cg)
			if off < 0 {
				if -off >= L {
					continue
				}
				copy(cg[-off:], g[:L+off])
				addTo(ca[-off:], a[:L+off])
			} else {
				if off >= L {
					continue
				}
				copy(cg[:L-off], g[off:])
				addTo(ca[:L-off], a[off:])
			}
		}
	}
}

func addTo(dst, src []float32) {
	src = src[:len(dst)]
	for i := range dst {
		dst[i] += src[i]
	}
}

// combine returns the convolution output of kernel k summed over the first n loaded
// channels.
func (w *workspace) combine(k, n int) []float32 {
	L := w.L
	idx := kernelIndices[k]
	c := w.c[:L]
	for i := 0; i < n; i++ {
		ca := w.calpha[i][:L]
		g0, g1, g2 := w.cgamma[idx[0]][i][:L], w.cgamma[idx[1]][i][:L], w.cgamma[idx[2]][i][:L]
		if i == 0 {
			for t := range c {
				c[t] = ca[t] + g0[t] + g1[t] + g2[t]
			}
		} else {
			for t := range c {
				c[t] += ca[t] + g0[t] + g1[t] + g2[t]
			}
		}
	}
	return c
}

// ppv returns the proportion of values of c greater than b.
// (An AVX2 version through simd/archsimd was measured 1.5x slower than this
// branch-free loop with Go 1.26, so there is none.)
func ppv(c []float32, b float32) float32 {
	n := 0
	for _, v := range c {
		x := 0
		if v > b {
			x = 1
		}
		n += x
	}
	return float32(n) / float32(len(c))
}

// Apply transforms X[case][dim][time] into out, a row-major len(X) × NumFeatures()
// matrix (allocated when nil or too short), using up to threads goroutines
// (0: one). Series must not contain NaN. In the equal-length mode every series must
// have the fitted length.
func (t *Transform) Apply(ctx context.Context, X [][][]float64, out []float64, threads int) ([]float64, error) {
	nf := t.NumFeatures()
	if len(out) < len(X)*nf {
		out = make([]float64, len(X)*nf)
	}
	for i, c := range X {
		if len(c) != t.Dims {
			return nil, fmt.Errorf("minirocket: case %d has %d dimensions, the transform was fitted on %d", i, len(c), t.Dims)
		}
		for j, s := range c {
			if len(s) != len(c[0]) {
				return nil, fmt.Errorf("minirocket: case %d: dimensions of different lengths (%d and %d) are not supported", i, len(c[0]), len(s))
			}
			if len(s) == 0 {
				return nil, fmt.Errorf("minirocket: case %d dimension %d is empty", i, j)
			}
		}
		if L := max(len(c[0]), minLength); !t.Variable && L != t.Length {
			return nil, fmt.Errorf("minirocket: case %d has length %d, the transform was fitted on equal-length series of length %d (fit on unequal-length data, or resample with ucr.Dataset.Resample)", i, len(c[0]), t.Length)
		}
	}
	threads = max(threads, 1)
	var wg sync.WaitGroup
	next := make(chan int)
	for range threads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := newWorkspace(t.Dims, t.Length)
			for i := range next {
				t.transformOne(w, X[i], out[i*nf:(i+1)*nf])
			}
		}()
	}
	var err error
	for i := range X {
		if err = ctx.Err(); err != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if err != nil {
		return nil, err
	}
	return out[:len(X)*nf], nil
}

func (t *Transform) transformOne(w *workspace, x [][]float64, out []float64) {
	L := max(len(x[0]), minLength)
	w.load(x, L, nil)
	fi, comb, chStart := 0, 0, 0
	for di, d := range t.Dilations {
		nf := t.FeaturesPerDilation[di]
		w.prepare(d, t.Dims)
		pad := (kernelLength - 1) * d / 2
		for k := 0; k < NumKernels; k++ {
			var c []float32
			if t.Dims == 1 {
				c = w.combine(k, 1)
			} else {
				c = w.combineChannels(k, t.channels(comb, &chStart))
			}
			if !t.Variable && (di+k)%2 == 1 {
				c = c[pad : L-pad]
			}
			for f := 0; f < nf; f++ {
				out[fi+f] = float64(ppv(c, t.Biases[fi+f]))
			}
			fi += nf
			comb++
		}
	}
}

// combineChannels is combine over an arbitrary channel subset of the loaded case.
func (w *workspace) combineChannels(k int, chans []int) []float32 {
	L := w.L
	idx := kernelIndices[k]
	c := w.c[:L]
	for n, ch := range chans {
		ca := w.calpha[ch][:L]
		g0, g1, g2 := w.cgamma[idx[0]][ch][:L], w.cgamma[idx[1]][ch][:L], w.cgamma[idx[2]][ch][:L]
		if n == 0 {
			for t := range c {
				c[t] = ca[t] + g0[t] + g1[t] + g2[t]
			}
		} else {
			for t := range c {
				c[t] += ca[t] + g0[t] + g1[t] + g2[t]
			}
		}
	}
	return c
}
