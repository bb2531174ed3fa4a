package kde

import (
	"fmt"
	"math"

	"github.com/ergml/erg/modes"
)

// CritConfig configures CriticalBandwidth. The zero value uses a 1024-point grid (as
// multimode's modetest for the Silverman-type tests) and a relative tolerance of 1e-6.
type CritConfig struct {
	Grid   Grid    // grid for counting modes; zero N means 1024
	RelTol float64 // bisection stops when (hi-lo) < RelTol·hi; 0 means 1e-6
}

func (c CritConfig) grid() Grid {
	g := c.Grid
	if g.N <= 0 {
		g.N = 1024
	}
	return g
}

// CriticalBandwidth returns h_k, the smallest bandwidth at which the Gaussian kernel
// estimate of x has at most k modes (Silverman 1981), by bracketing from Silverman's rule
// and bisecting as multimode's bw.crit: the returned value is the upper end of the final
// bracket, so NModes(x, h_k, grid) <= k and the estimate at h_k(1-RelTol) has more than k.
func CriticalBandwidth(x []float64, k int, cfg CritConfig) float64 {
	if k < 1 {
		panic(fmt.Sprintf("kde: CriticalBandwidth: k = %d < 1", k))
	}
	g := cfg.grid()
	tol := cfg.RelTol
	if tol <= 0 {
		tol = 1e-6
	}
	lo, hi := minmax(x)
	h0 := Silverman(x)
	if !(h0 > 0) {
		h0 = (hi - lo) / 10
	}
	more := func(h float64) bool { return NModes(x, h, g) > k }
	// Bracket [a, b] with more(a) and !more(b).
	a, b := h0, h0
	if more(h0) {
		for b = 2 * h0; more(b); b *= 2 {
			if b > 1e6*(hi-lo) {
				return b
			}
		}
		a = b / 2
	} else {
		for a = h0 / 2; !more(a); a /= 2 {
			if a < 1e-12*(hi-lo) {
				return a // at most k modes at every bandwidth (e.g. k >= n)
			}
		}
		b = 2 * a
	}
	for b-a >= tol*b {
		m := a + (b-a)/2
		if more(m) {
			a = m
		} else {
			b = m
		}
	}
	return b
}

// Modes returns the modes and antimodes of the estimate with bandwidth h on grid g.
func Modes(x []float64, h float64, g Grid) []modes.Extremum {
	e := Density(x, h, g)
	return modes.Extrema(e.X, e.Y)
}

// ModeTree is the set of mode locations of the kernel estimate across bandwidths.
type ModeTree struct {
	H     []float64   `json:"bw"`    // increasing bandwidths
	Modes [][]float64 `json:"modes"` // Modes[i] are the mode locations at H[i], increasing
	Crit  []float64   `json:"crit"`  // Crit[k-1] = h_k for k = 1..len(Crit)
}

// NewModeTree computes the mode tree of x on nh bandwidths log-spaced between hmin and
// hmax (0 means h_1/20 and 1.2·h_1 where h_1 is the critical bandwidth of one mode), and
// the critical bandwidths h_1..h_kmax.
func NewModeTree(x []float64, hmin, hmax float64, nh, kmax int, g Grid) *ModeTree {
	if g.N <= 0 {
		g.N = 1024
	}
	h1 := CriticalBandwidth(x, 1, CritConfig{Grid: g})
	if hmin <= 0 {
		hmin = h1 / 20
	}
	if hmax <= 0 {
		hmax = 1.2 * h1
	}
	if nh < 2 {
		nh = 100
	}
	t := &ModeTree{}
	for i := 0; i < nh; i++ {
		h := hmin * math.Pow(hmax/hmin, float64(i)/float64(nh-1))
		var ms []float64
		for _, e := range Modes(x, h, g) {
			if e.Mode {
				ms = append(ms, e.X)
			}
		}
		t.H = append(t.H, h)
		t.Modes = append(t.Modes, ms)
	}
	for k := 1; k <= kmax; k++ {
		t.Crit = append(t.Crit, CriticalBandwidth(x, k, CritConfig{Grid: g}))
	}
	return t
}
