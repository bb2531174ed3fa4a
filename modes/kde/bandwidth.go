package kde

import (
	"errors"
	"math"
	"sort"

	"github.com/ergml/erg/modes"
)

func countModes(y []float64) int { return modes.CountModes(y) }

// Silverman returns Silverman's rule-of-thumb bandwidth, R's bw.nrd0:
// 0.9·min(sd, IQR/1.34)·n^(-1/5), falling back to sd, |x[0]| or 1 when the spread is 0.
func Silverman(x []float64) float64 {
	if len(x) < 2 {
		panic("kde: Silverman needs at least 2 points")
	}
	hi := sd(x)
	lo := math.Min(hi, iqr(x)/1.34)
	if lo == 0 {
		lo = hi
		if lo == 0 {
			lo = math.Abs(x[0])
			if lo == 0 {
				lo = 1
			}
		}
	}
	return 0.9 * lo * math.Pow(float64(len(x)), -0.2)
}

// Scott returns Scott's normal reference bandwidth, R's bw.nrd:
// 1.06·min(sd, IQR/1.34)·n^(-1/5).
func Scott(x []float64) float64 {
	r := iqr(x) / 1.34
	return 1.06 * math.Min(math.Sqrt(variance(x)), r) * math.Pow(float64(len(x)), -0.2)
}

// ErrSparse is returned by SheatherJones when the sample is too sparse for the pilot
// estimates (R: "sample is too sparse to find TD").
var ErrSparse = errors.New("kde: sample too sparse for the Sheather-Jones pilot estimates")

// SJConfig configures SheatherJones. The zero value is R's bw.SJ default (nb = 1000 bins,
// interval [0.1·hmax, hmax] widened when needed, tolerance 0.1·lower).
type SJConfig struct {
	NB  int     // number of bins for the pairwise distances; 0 means 1000
	Tol float64 // root tolerance; 0 means 0.1·lower as R (use e.g. 1e-10 for the exact root)
}

// SheatherJones returns the Sheather–Jones solve-the-equation bandwidth (R's
// bw.SJ(x, method = "ste")), computed as R does: pairwise distances counted in nb bins,
// pilot functionals φ4 and φ6 from the binned counts, and Brent's zeroin.
func SheatherJones(x []float64, cfg SJConfig) (float64, error) {
	n := len(x)
	if n < 2 {
		panic("kde: SheatherJones needs at least 2 points")
	}
	nb := cfg.NB
	if nb <= 0 {
		nb = 1000
	}
	d, cnt := pairCounts(x, nb, n > nb/2)
	fn := float64(n)
	phi4 := func(h float64) float64 {
		sum := 0.0
		for i, c := range cnt {
			delta := float64(i) * d / h
			delta *= delta
			if delta >= 1000 {
				break
			}
			sum += math.Exp(-delta/2) * (delta*delta - 6*delta + 3) * c
		}
		sum = 2*sum + fn*3
		return sum / (fn * (fn - 1) * math.Pow(h, 5) * math.Sqrt(2*math.Pi))
	}
	phi6 := func(h float64) float64 {
		sum := 0.0
		for i, c := range cnt {
			delta := float64(i) * d / h
			delta *= delta
			if delta >= 1000 {
				break
			}
			sum += math.Exp(-delta/2) * (delta*delta*delta - 15*delta*delta + 45*delta - 15) * c
		}
		sum = 2*sum - 15*fn
		return sum / (fn * (fn - 1) * math.Pow(h, 7) * math.Sqrt(2*math.Pi))
	}
	scale := math.Min(sd(x), iqr(x)/1.349)
	a := 1.24 * scale * math.Pow(fn, -1.0/7)
	b := 1.23 * scale * math.Pow(fn, -1.0/9)
	c1 := 1 / (2 * math.Sqrt(math.Pi) * fn)
	td := -phi6(b)
	if !(td > 0) || math.IsInf(td, 0) {
		return 0, ErrSparse
	}
	hmax := 1.144 * scale * math.Pow(fn, -0.2)
	lower, upper := 0.1*hmax, hmax
	tol := cfg.Tol
	if tol <= 0 {
		tol = 0.1 * lower
	}
	alph2 := 1.357 * math.Pow(phi4(a)/td, 1.0/7)
	if math.IsNaN(alph2) || math.IsInf(alph2, 0) {
		return 0, ErrSparse
	}
	fSD := func(h float64) float64 {
		return math.Pow(c1/phi4(alph2*math.Pow(h, 5.0/7)), 0.2) - h
	}
	for itry := 1; fSD(lower)*fSD(upper) > 0; itry++ {
		if itry > 99 {
			return 0, errors.New("kde: Sheather-Jones: no solution in the search interval")
		}
		if itry%2 == 1 {
			upper *= 1.2
		} else {
			lower /= 1.2
		}
	}
	return zeroin(fSD, lower, upper, fSD(lower), fSD(upper), tol, 1000), nil
}

// pairCounts is R's bw_pair_cnts: the bin width d = 1.01·range/nb and the counts of
// pairs of points whose bins differ by 0, 1, ..., nb-1.
func pairCounts(x []float64, nb int, binnedPairs bool) (float64, []float64) {
	lo, hi := minmax(x)
	cnt := make([]float64, nb)
	if binnedPairs {
		d := (hi - lo) * 1.01 / float64(nb)
		xx := make([]int, len(x))
		mn := math.MaxInt
		for i, v := range x {
			t := math.Trunc(math.Abs(v)/d) * sign(v)
			xx[i] = int(t)
			mn = min(mn, xx[i])
		}
		tab := make([]float64, nb)
		for _, v := range xx {
			k := v - mn // tabulate(xx - min + 1, nb), 0-based
			if k >= 0 && k < nb {
				tab[k]++
			}
		}
		for ii := 0; ii < nb; ii++ {
			w := tab[ii]
			cnt[0] += w * (w - 1)
			for jj := 0; jj < ii; jj++ {
				cnt[ii-jj] += w * tab[jj]
			}
		}
		cnt[0] *= 0.5
		return d, cnt
	}
	rang := (hi - lo) * 1.01
	dd := rang / float64(nb)
	for i := 1; i < len(x); i++ {
		ii := int(x[i] / dd)
		for j := 0; j < i; j++ {
			jj := int(x[j] / dd)
			k := ii - jj
			if k < 0 {
				k = -k
			}
			if k < nb {
				cnt[k]++
			}
		}
	}
	return dd, cnt
}

func sign(v float64) float64 {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

// zeroin is R's R_zeroin2 (Brent's root finder as in netlib's zeroin.c), so that roots
// agree with R's uniroot for the same tolerance.
func zeroin(f func(float64) float64, ax, bx, fa, fb, tol float64, maxit int) float64 {
	const eps = 2.220446049250313e-16
	a, b := ax, bx
	c, fc := a, fa
	if fa == 0 {
		return a
	}
	if fb == 0 {
		return b
	}
	for it := maxit + 1; it > 0; it-- {
		prevStep := b - a
		if math.Abs(fc) < math.Abs(fb) {
			a, b, c = b, c, b
			fa, fb, fc = fb, fc, fb
		}
		tolAct := 2*eps*math.Abs(b) + tol/2
		newStep := (c - b) / 2
		if math.Abs(newStep) <= tolAct || fb == 0 {
			return b
		}
		if math.Abs(prevStep) >= tolAct && math.Abs(fa) > math.Abs(fb) {
			var p, q float64
			cb := c - b
			if a == c {
				t1 := fb / fa
				p = cb * t1
				q = 1 - t1
			} else {
				q = fa / fc
				t1 := fb / fc
				t2 := fb / fa
				p = t2 * (cb*q*(q-t1) - (b-a)*(t1-1))
				q = (q - 1) * (t1 - 1) * (t2 - 1)
			}
			if p > 0 {
				q = -q
			} else {
				p = -p
			}
			if p < 0.75*cb*q-math.Abs(tolAct*q)/2 && p < math.Abs(prevStep*q/2) {
				newStep = p / q
			}
		}
		if math.Abs(newStep) < tolAct {
			if newStep > 0 {
				newStep = tolAct
			} else {
				newStep = -tolAct
			}
		}
		a, fa = b, fb
		b += newStep
		fb = f(b)
		if (fb > 0 && fc > 0) || (fb < 0 && fc < 0) {
			c, fc = a, fa
		}
	}
	return b
}

func mean(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

func variance(x []float64) float64 {
	m := mean(x)
	s := 0.0
	for _, v := range x {
		s += (v - m) * (v - m)
	}
	return s / float64(len(x)-1)
}

func sd(x []float64) float64 { return math.Sqrt(variance(x)) }

// iqr is R's IQR (quantile type 7).
func iqr(x []float64) float64 {
	s := append([]float64(nil), x...)
	sort.Float64s(s)
	return quantile7(s, 0.75) - quantile7(s, 0.25)
}

func quantile7(s []float64, p float64) float64 {
	h := float64(len(s)-1) * p
	i := int(math.Floor(h))
	if i >= len(s)-1 {
		return s[len(s)-1]
	}
	return s[i] + (h-float64(i))*(s[i+1]-s[i])
}
