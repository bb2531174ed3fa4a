package dip

import (
	"math"
	"math/rand/v2"
	"sort"

	"github.com/ergml/erg/modes"
)

// Result is the dip statistic with its modal interval.
type Result struct {
	Dip float64 `json:"dip"`
	// Lo and Hi are 0-based indices into the sorted sample of the ends of the modal
	// interval (R's lo.hi minus one); XL and XU are the values there.
	Lo, Hi int     `json:"-"`
	XL     float64 `json:"xl"`
	XU     float64 `json:"xu"`
}

// Statistic returns the dip of the sample x (it need not be sorted; x is not modified).
func Statistic(x []float64) Result {
	s := append([]float64(nil), x...)
	sort.Float64s(s)
	return Sorted(s)
}

// Sorted is Statistic for a sample already sorted in increasing order. It panics if x is
// not sorted or empty.
func Sorted(x []float64) Result {
	var w work
	return w.dip(x)
}

// work holds the index arrays of diptst so that repeated calls do not allocate.
type work struct {
	gcm, lcm, mn, mj []int
}

func (w *work) grow(n int) {
	if cap(w.gcm) < n+1 {
		w.gcm = make([]int, n+1)
		w.lcm = make([]int, n+1)
		w.mn = make([]int, n+1)
		w.mj = make([]int, n+1)
	}
	w.gcm, w.lcm, w.mn, w.mj = w.gcm[:n+1], w.lcm[:n+1], w.mn[:n+1], w.mj[:n+1]
}

// dip follows diptst() of diptest 0.76 (src/dip.c) with min_is_0 = FALSE. Arrays are
// used 1-based as in the C code: x1[i] = x[i-1].
func (w *work) dip(xs []float64) Result {
	n := len(xs)
	if n == 0 {
		panic("dip: empty sample")
	}
	for k := 1; k < n; k++ {
		if xs[k] < xs[k-1] {
			panic("dip: sample not sorted")
		}
	}
	x := func(i int) float64 { return xs[i-1] }
	low, high := 1, n
	if n < 2 || x(n) == x(1) {
		return Result{Dip: 1 / (2 * float64(n)), Lo: 0, Hi: n - 1, XL: xs[0], XU: xs[n-1]}
	}
	w.grow(n)
	gcm, lcm, mn, mj := w.gcm, w.lcm, w.mn, w.mj
	dip := 1.0 // N * dip, as in the C code

	// indices mn[1..n] for the greatest convex minorant
	mn[1] = 1
	for j := 2; j <= n; j++ {
		mn[j] = j - 1
		for {
			mnj := mn[j]
			mnmnj := mn[mnj]
			if mnj == 1 || (x(j)-x(mnj))*float64(mnj-mnmnj) < (x(mnj)-x(mnmnj))*float64(j-mnj) {
				break
			}
			mn[j] = mnmnj
		}
	}
	// indices mj[1..n] for the least concave majorant
	mj[n] = n
	for k := n - 1; k >= 1; k-- {
		mj[k] = k + 1
		for {
			mjk := mj[k]
			mjmjk := mj[mjk]
			if mjk == n || (x(k)-x(mjk))*float64(mjk-mjmjk) < (x(mjk)-x(mjmjk))*float64(k-mjk) {
				break
			}
			mj[k] = mjmjk
		}
	}

	for {
		// change points of the GCM from high to low
		gcm[1] = high
		ic := 1
		for ; gcm[ic] > low; ic++ {
			gcm[ic+1] = mn[gcm[ic]]
		}
		icx := ic
		// change points of the LCM from low to high
		lcm[1] = low
		ic = 1
		for ; lcm[ic] < high; ic++ {
			lcm[ic+1] = mj[lcm[ic]]
		}
		icv := ic

		ig, ih := icx, icv
		ix, iv := icx-1, 2
		d := 0.0
		if icx != 2 || icv != 2 {
			for {
				gcmix := gcm[ix]
				lcmiv := lcm[iv]
				if gcmix > lcmiv {
					// next point is from the LCM: distance here
					gcmi1 := gcm[ix+1]
					dx := float64(lcmiv-gcmi1+1) - (x(lcmiv)-x(gcmi1))*float64(gcmix-gcmi1)/(x(gcmix)-x(gcmi1))
					iv++
					if dx >= d {
						d = dx
						ig = ix + 1
						ih = iv - 1
					}
				} else {
					// next point is from the GCM
					lcmiv1 := lcm[iv-1]
					dx := (x(gcmix)-x(lcmiv1))*float64(lcmiv-lcmiv1)/(x(lcmiv)-x(lcmiv1)) - float64(gcmix-lcmiv1-1)
					ix--
					if dx >= d {
						d = dx
						ig = ix + 1
						ih = iv
					}
				}
				if ix < 1 {
					ix = 1
				}
				if iv > icv {
					iv = icv
				}
				if gcm[ix] == lcm[iv] {
					break
				}
			}
		} else {
			d = 1
		}
		if d < dip {
			break
		}
		// dip for the convex minorant
		dipL := 0.0
		if ig != icx {
			for j := ig; j <= icx-1; j++ {
				temp := 1.0
				jb, je := gcm[j+1], gcm[j]
				if je-jb > 1 && x(je) != x(jb) {
					c := float64(je-jb) / (x(je) - x(jb))
					for jr := jb; jr <= je; jr++ {
						t := float64(jr-jb+1) - (x(jr)-x(jb))*c
						if temp < t {
							temp = t
						}
					}
				}
				if dipL < temp {
					dipL = temp
				}
			}
		}
		// dip for the concave majorant
		dipU := 0.0
		if ih != icv {
			for k := ih; k <= icv-1; k++ {
				temp := 1.0
				kb, ke := lcm[k], lcm[k+1]
				if ke-kb > 1 && x(ke) != x(kb) {
					c := float64(ke-kb) / (x(ke) - x(kb))
					for kr := kb; kr <= ke; kr++ {
						t := (x(kr)-x(kb))*c - float64(kr-kb-1)
						if temp < t {
							temp = t
						}
					}
				}
				if dipU < temp {
					dipU = temp
				}
			}
		}
		dipnew := dipL
		if dipU > dipL {
			dipnew = dipU
		}
		if dip < dipnew {
			dip = dipnew
		}
		if low == gcm[ig] && high == lcm[ih] {
			break // no improvement (Maechler's 1994 fix)
		}
		low, high = gcm[ig], lcm[ih]
	}
	return Result{Dip: dip / (2 * float64(n)), Lo: low - 1, Hi: high - 1, XL: x(low), XU: x(high)}
}

// TestConfig configures Test. The zero value interpolates in the quantile table.
type TestConfig struct {
	// Simulate, when B > 0, computes the p-value as the fraction of B uniform samples of
	// the same size whose dip is at least the observed one (R: dip.test(x,
	// simulate.p.value = TRUE, B = B)).
	B       int
	Seed    uint64
	Workers int // 0 means GOMAXPROCS
}

// TestResult is a dip test.
type TestResult struct {
	Result
	N      int     `json:"n"`
	PValue float64 `json:"p_value"`
	Method string  `json:"method"` // "table" or "simulated"
}

// Test returns the dip test of unimodality of x.
func Test(x []float64, cfg TestConfig) TestResult {
	r := Statistic(x)
	n := len(x)
	out := TestResult{Result: r, N: n}
	switch {
	case n <= 3:
		out.PValue, out.Method = 1, "table"
	case cfg.B > 0:
		out.Method = "simulated"
		ge := make([]bool, cfg.B)
		nw := cfg.Workers
		ws := make(chan *work, 64)
		modes.Replicates(cfg.B, cfg.Seed, nw, func(i int, rng *rand.Rand) {
			var w *work
			select {
			case w = <-ws:
			default:
				w = new(work)
			}
			u := UniformSorted(n, rng, nil)
			ge[i] = r.Dip <= w.dip(u).Dip
			select {
			case ws <- w:
			default:
			}
		})
		c := 0
		for _, g := range ge {
			if g {
				c++
			}
		}
		out.PValue = float64(c) / float64(cfg.B)
	default:
		out.Method = "table"
		out.PValue = TablePValue(r.Dip, n)
	}
	return out
}

// UniformSorted returns a sorted sample whose dip has the distribution of the dip of n
// uniform points: cumulative sums of n exponential variables (the dip is invariant
// under affine maps, so the sums need not be rescaled to [0,1]). dst is reused if large
// enough.
func UniformSorted(n int, rng *rand.Rand, dst []float64) []float64 {
	if cap(dst) < n {
		dst = make([]float64, n)
	}
	dst = dst[:n]
	s := 0.0
	for i := range dst {
		s += rng.ExpFloat64()
		dst[i] = s
	}
	return dst
}

// TablePValue interpolates the p-value of dip d for sample size n in the quantile table
// as R's dip.test does: linearly in n between tabulated sizes on the sqrt(n)·D scale,
// then linearly in probability (ties in D averaged as R's approx), clamped to [0, 1];
// beyond the largest tabulated n the largest is used.
func TablePValue(d float64, n int) float64 {
	if n <= 3 {
		return 1
	}
	nn := tableN
	var i0, i1 int
	var fn float64
	if n >= nn[len(nn)-1] {
		i0, i1, fn = len(nn)-1, len(nn)-1, 0
	} else {
		i0 = sort.Search(len(nn), func(i int) bool { return nn[i] > n }) - 1
		if i0 < 0 {
			i0 = 0
		}
		i1 = i0 + 1
		fn = float64(n-nn[i0]) / float64(nn[i1]-nn[i0])
	}
	s0, s1 := math.Sqrt(float64(nn[i0])), math.Sqrt(float64(nn[i1]))
	xs := make([]float64, len(tableP))
	for j := range tableP {
		y0 := s0 * tableQ[i0][j]
		y1 := s1 * tableQ[i1][j]
		xs[j] = y0 + fn*(y1-y0)
	}
	return 1 - approx(xs, tableP, math.Sqrt(float64(n))*d)
}

// approx is R's approx(x, y, xout, rule = 2, ties = mean) for increasing x.
func approx(x, y []float64, t float64) float64 {
	// collapse ties by the mean of y
	var ux, uy []float64
	for i := 0; i < len(x); {
		j := i
		s := 0.0
		for j < len(x) && x[j] == x[i] {
			s += y[j]
			j++
		}
		ux = append(ux, x[i])
		uy = append(uy, s/float64(j-i))
		i = j
	}
	if t <= ux[0] {
		return uy[0]
	}
	if t >= ux[len(ux)-1] {
		return uy[len(uy)-1]
	}
	k := sort.SearchFloat64s(ux, t) // ux[k-1] < t <= ux[k]
	if ux[k] == t {
		return uy[k]
	}
	f := (t - ux[k-1]) / (ux[k] - ux[k-1])
	return uy[k-1] + f*(uy[k]-uy[k-1])
}
