package kde

import (
	"math"
	"sort"
	"sync"

	"gonum.org/v1/gonum/dsp/fourier"
)

// Method selects how Density evaluates the estimate.
type Method int

const (
	// Auto uses Exact when n·N <= AutoExactWork and Binned otherwise.
	Auto Method = iota
	// Exact sums the kernel over the points within 9h of every grid point.
	Exact
	// Binned bins linearly and convolves by FFT, as R's density().
	Binned
)

// AutoExactWork is the largest n·N (sample size times grid points) for which Auto
// evaluates exactly.
const AutoExactWork = 1 << 17

// Grid says where the estimate is evaluated. The zero value is R's density() default:
// 512 points from min(x)-3h to max(x)+3h, method Auto.
type Grid struct {
	N        int     // number of grid points; 0 means 512
	Cut      float64 // the grid extends Cut·h beyond the data; 0 means 3
	From, To float64 // explicit grid ends, used when From < To
	Method   Method
}

func (g Grid) n() int {
	if g.N <= 0 {
		return 512
	}
	if g.N < 2 {
		return 2
	}
	return g.N
}

func (g Grid) ends(x []float64, h float64) (from, to float64) {
	if g.From < g.To {
		return g.From, g.To
	}
	cut := g.Cut
	if cut == 0 {
		cut = 3
	}
	lo, hi := minmax(x)
	return lo - cut*h, hi + cut*h
}

// Estimate is a density estimate tabulated on an equispaced grid.
type Estimate struct {
	X []float64 `json:"x"`
	Y []float64 `json:"y"`
	H float64   `json:"bw"`
}

// Density returns the Gaussian kernel estimate of the sample x with bandwidth h on the
// grid g. It panics if h <= 0 or x is empty (programmer errors; check data with
// modes.Check).
func Density(x []float64, h float64, g Grid) *Estimate {
	if !(h > 0) || math.IsInf(h, 0) {
		panic("kde: bandwidth must be positive and finite")
	}
	if len(x) == 0 {
		panic("kde: empty sample")
	}
	n := g.n()
	from, to := g.ends(x, h)
	e := &Estimate{X: linspace(from, to, n), H: h}
	m := g.Method
	if m == Auto {
		m = Binned
		if len(x)*n <= AutoExactWork {
			m = Exact
		}
	}
	if m == Exact {
		e.Y = exact(x, h, e.X)
	} else {
		e.Y = binned(x, h, from, to, n)
	}
	return e
}

// NModes returns the number of modes of the estimate with bandwidth h on grid g.
func NModes(x []float64, h float64, g Grid) int {
	return countModes(Density(x, h, g).Y)
}

// At evaluates the estimate exactly at t.
func At(x []float64, h, t float64) float64 {
	s := 0.0
	for _, v := range x {
		if u := (t - v) / h; u*u < 1400 { // beyond, exp underflows (and math.Exp is slow)
			s += math.Exp(-0.5 * u * u)
		}
	}
	return s / (float64(len(x)) * h * math.Sqrt(2*math.Pi))
}

// exact evaluates the estimate at the increasing points t, summing over the points
// within 9h (the kernel is below 3e-18 of its peak beyond).
func exact(x []float64, h float64, t []float64) []float64 {
	xs := append([]float64(nil), x...)
	sort.Float64s(xs)
	y := make([]float64, len(t))
	c := 1 / (float64(len(xs)) * h * math.Sqrt(2*math.Pi))
	w := 9 * h
	lo := 0
	for j, tj := range t {
		for lo < len(xs) && xs[lo] < tj-w {
			lo++
		}
		s := 0.0
		for i := lo; i < len(xs) && xs[i] <= tj+w; i++ {
			u := (tj - xs[i]) / h
			s += math.Exp(-0.5 * u * u)
		}
		y[j] = s * c
	}
	return y
}

// binned follows R's density.default (R 4.2) for the Gaussian kernel: BinDist on 2nb
// cells over [from-4h, to+4h], circular convolution by FFT with the kernel tabulated at
// spacing 2(up-lo)/(2nb-1), and linear interpolation onto the n output points.
func binned(x []float64, h, from, to float64, nOut int) []float64 {
	nb := nOut
	if nb < 512 {
		nb = 512
	}
	if nb > 512 {
		nb = 1 << uint(math.Ceil(math.Log2(float64(nb))))
	}
	lo := from - 4*h
	up := to + 4*h
	y := binDist(x, lo, up, nb)
	m := 2 * nb
	kords := make([]float64, m)
	step := 2 * (up - lo) / float64(m-1)
	for i := 0; i <= nb; i++ {
		kords[i] = float64(i) * step
	}
	for i := nb + 1; i < m; i++ { // kords[(n+2):(2n)] <- -kords[n:2] (1-based)
		kords[i] = -kords[m-i]
	}
	c := 1 / (h * math.Sqrt(2*math.Pi))
	for i, v := range kords {
		u := v / h
		if u2 := u * u; u2 < 100 {
			kords[i] = c * math.Exp(-0.5*u2)
		} else {
			kords[i] = 0 // below 2e-22 of the peak: negligible
		}
	}
	w := getFFT(m)
	defer putFFT(w)
	Y := w.fft.Coefficients(w.Y, y)
	K := w.fft.Coefficients(w.K, kords)
	for i := range Y {
		Y[i] *= complex(real(K[i]), -imag(K[i]))
	}
	conv := w.fft.Sequence(w.conv, Y)
	dens := make([]float64, nb)
	for i := range dens {
		dens[i] = math.Max(0, conv[i]/float64(m))
	}
	// approx(xords, dens, xout)
	out := make([]float64, nOut)
	dx := (up - lo) / float64(nb-1)
	xo := linspace(from, to, nOut)
	for j, t := range xo {
		p := (t - lo) / dx
		i := int(math.Floor(p))
		if i < 0 {
			i = 0
		}
		if i >= nb-1 {
			i = nb - 2
		}
		f := p - float64(i)
		out[j] = dens[i]*(1-f) + dens[i+1]*f
	}
	return out
}

// binDist is R's C_BinDist with weights 1/n: linear binning onto n points spanning
// [xlo, xhi], in an array of length 2n (the upper half is zero padding).
func binDist(x []float64, xlo, xhi float64, n int) []float64 {
	y := make([]float64, 2*n)
	ixmax := n - 2
	delta := (xhi - xlo) / float64(n-1)
	w := 1 / float64(len(x))
	for _, v := range x {
		pos := (v - xlo) / delta
		ix := int(math.Floor(pos))
		fx := pos - float64(ix)
		switch {
		case ix >= 0 && ix <= ixmax:
			y[ix] += w * (1 - fx)
			y[ix+1] += w * fx
		case ix == -1:
			y[0] += w * fx
		case ix == ixmax+1:
			y[ix] += w * (1 - fx)
		}
	}
	return y
}

func linspace(a, b float64, n int) []float64 {
	v := make([]float64, n)
	if n == 1 {
		v[0] = a
		return v
	}
	d := (b - a) / float64(n-1)
	for i := range v {
		v[i] = a + float64(i)*d
	}
	v[n-1] = b
	return v
}

func minmax(x []float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range x {
		lo = math.Min(lo, v)
		hi = math.Max(hi, v)
	}
	return lo, hi
}

// fftWork is a reusable FFT plan with its buffers; plans are pooled per size because
// computing the twiddle factors dominates small transforms.
type fftWork struct {
	fft  *fourier.FFT
	Y, K []complex128
	conv []float64
}

var fftPools sync.Map // int -> *sync.Pool

func getFFT(m int) *fftWork {
	p, _ := fftPools.LoadOrStore(m, &sync.Pool{New: func() any {
		return &fftWork{fft: fourier.NewFFT(m), Y: make([]complex128, m/2+1), K: make([]complex128, m/2+1), conv: make([]float64, m)}
	}})
	return p.(*sync.Pool).Get().(*fftWork)
}

func putFFT(w *fftWork) {
	p, _ := fftPools.Load(w.fft.Len())
	p.(*sync.Pool).Put(w)
}
