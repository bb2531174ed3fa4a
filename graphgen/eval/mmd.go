package eval

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Kernel is a kernel between two (zero-padded) feature vectors.
type Kernel func(x, y []float64) float64

func pad(x, y []float64) ([]float64, []float64) {
	n := max(len(x), len(y))
	if len(x) < n {
		x = append(append(make([]float64, 0, n), x...), make([]float64, n-len(x))...)
	}
	if len(y) < n {
		y = append(append(make([]float64, 0, n), y...), make([]float64, n-len(y))...)
	}
	return x, y
}

// EMD1D is the earth mover's distance between two histograms of equal mass on
// the bins 0, 1, 2, … with ground distance |i−j|/scale: the L1 distance of
// their cumulative sums, divided by scale (what pyemd.emd computes with
// GraphRNN's Toeplitz distance matrix).
func EMD1D(x, y []float64, scale float64) float64 {
	x, y = pad(x, y)
	var cx, cy, d float64
	for i := range x {
		cx += x[i]
		cy += y[i]
		d += math.Abs(cx - cy)
	}
	return d / scale
}

// GaussianEMD is GraphRNN's gaussian_emd kernel exp(−EMD²/(2σ²)).
func GaussianEMD(sigma, scale float64) Kernel {
	return func(x, y []float64) float64 {
		e := EMD1D(x, y, scale)
		return math.Exp(-e * e / (2 * sigma * sigma))
	}
}

// GaussianTV is GRAN's gaussian_tv kernel exp(−TV²/(2σ²)), TV = ½‖x−y‖₁.
func GaussianTV(sigma float64) Kernel {
	return func(x, y []float64) float64 {
		x, y = pad(x, y)
		var d float64
		for i := range x {
			d += math.Abs(x[i] - y[i])
		}
		d /= 2
		return math.Exp(-d * d / (2 * sigma * sigma))
	}
}

// Gaussian is GraphRNN's L2 gaussian kernel exp(−‖x−y‖²/(2σ²)).
func Gaussian(sigma float64) Kernel {
	return func(x, y []float64) float64 {
		x, y = pad(x, y)
		var d float64
		for i := range x {
			d += (x[i] - y[i]) * (x[i] - y[i])
		}
		return math.Exp(-d / (2 * sigma * sigma))
	}
}

// Normalise divides every histogram by its sum plus eps (GraphRNN: eps 0,
// GRAN: 1e-6), returning new slices.
func Normalise(h [][]float64, eps float64) [][]float64 {
	out := make([][]float64, len(h))
	for i, x := range h {
		var s float64
		for _, v := range x {
			s += v
		}
		y := make([]float64, len(x))
		for k, v := range x {
			y[k] = v / (s + eps)
		}
		out[i] = y
	}
	return out
}

func disc(a, b [][]float64, k Kernel) float64 {
	var d float64
	for _, x := range a {
		for _, y := range b {
			d += k(x, y)
		}
	}
	return d / float64(len(a)*len(b))
}

// MMD2 is the biased V-statistic estimate of the squared MMD between the
// samples a and b under k (the samples are used as given: normalise histograms
// first).
func MMD2(a, b [][]float64, k Kernel) float64 {
	return disc(a, a, k) + disc(b, b, k) - 2*disc(a, b, k)
}

// KernelMatrix returns the Gram matrix of k over xs, row-major (to inspect
// its eigenvalues: the TV and EMD Gaussians are not positive definite).
func KernelMatrix(xs [][]float64, k Kernel) []float64 {
	n := len(xs)
	g := make([]float64, n*n)
	for i := range xs {
		for j := range xs {
			g[i*n+j] = k(xs[i], xs[j])
		}
	}
	return g
}

// Descriptor names, in report order.
var DescriptorNames = []string{"degree", "clustering", "orbit", "spectral"}

// KernelNames are the kernel families Evaluate knows.
var KernelNames = []string{"graphrnn", "gran"}

// Setting is the kernel and σ used for one descriptor under one family.
type Setting struct {
	Kernel string  `json:"kernel"` // "gaussian_emd", "gaussian_tv" or "gaussian"
	Sigma  float64 `json:"sigma"`
	Scale  float64 `json:"distance_scale,omitempty"`
}

// Settings returns the published kernel and σ of descriptor under family
// ("graphrnn" or "gran").
func Settings(family, descriptor string) (Setting, error) {
	switch family + "/" + descriptor {
	case "graphrnn/degree":
		return Setting{"gaussian_emd", 1, 1}, nil
	case "graphrnn/clustering":
		return Setting{"gaussian_emd", 0.1, ClusteringBins}, nil
	case "graphrnn/orbit":
		return Setting{"gaussian", 30, 0}, nil
	case "graphrnn/spectral":
		return Setting{"gaussian_emd", 1, 1}, nil
	case "gran/degree":
		return Setting{"gaussian_tv", 1, 0}, nil
	case "gran/clustering":
		return Setting{"gaussian_tv", 0.1, 0}, nil
	case "gran/orbit":
		return Setting{"gaussian_tv", 30, 0}, nil
	case "gran/spectral":
		return Setting{"gaussian_tv", 1, 0}, nil
	}
	return Setting{}, fmt.Errorf("eval: no kernel for %s/%s", family, descriptor)
}

// Func returns the kernel of s with σ multiplied by sigmaScale.
func (s Setting) Func(sigmaScale float64) Kernel {
	sig := s.Sigma * sigmaScale
	switch s.Kernel {
	case "gaussian_emd":
		return GaussianEMD(sig, s.Scale)
	case "gaussian_tv":
		return GaussianTV(sig)
	}
	return Gaussian(sig)
}

func features(ds []Descriptors, name string) [][]float64 {
	out := make([][]float64, len(ds))
	for i, d := range ds {
		switch name {
		case "degree":
			out[i] = d.Degree
		case "clustering":
			out[i] = d.Clustering
		case "orbit":
			out[i] = d.Orbit
		case "spectral":
			out[i] = d.Spectral
		}
	}
	return out
}

// MMDOf returns the MMD² of one descriptor between described reference and
// generated sets under a kernel family, σ multiplied by sigmaScale.
func MMDOf(ref, gen []Descriptors, descriptor, family string, sigmaScale float64) (float64, error) {
	s, err := Settings(family, descriptor)
	if err != nil {
		return 0, err
	}
	a, b := features(ref, descriptor), features(gen, descriptor)
	if descriptor != "orbit" {
		eps := 0.0
		if family == "gran" {
			eps = 1e-6
		}
		a, b = Normalise(a, eps), Normalise(b, eps)
	}
	return MMD2(a, b, s.Func(sigmaScale)), nil
}

// MinEigenvalue returns the smallest eigenvalue of the symmetric n×n matrix
// a (row-major), e.g. a KernelMatrix: negative for a kernel that is not
// positive definite on those points.
func MinEigenvalue(a []float64, n int) float64 {
	var es mat.EigenSym
	if !es.Factorize(mat.NewSymDense(n, a), false) {
		return math.NaN()
	}
	return es.Values(nil)[0]
}
