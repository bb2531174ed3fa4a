package density

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
)

// Set is a data set of N points in Dim dimensions, stored row-major in X.
type Set struct {
	Name string    // density name or file the points came from
	Dim  int       // dimension of each point
	X    []float64 // len(X) = Len()*Dim
}

// Len is the number of points.
func (s *Set) Len() int {
	if s.Dim == 0 {
		return 0
	}
	return len(s.X) / s.Dim
}

// Row returns point i (a view into X).
func (s *Set) Row(i int) []float64 { return s.X[i*s.Dim : (i+1)*s.Dim] }

// Float32 returns the points converted to float32.
func (s *Set) Float32() []float32 {
	out := make([]float32, len(s.X))
	for i, v := range s.X {
		out[i] = float32(v)
	}
	return out
}

// Subset returns the points at the given indices as a new set.
func (s *Set) Subset(idx []int) *Set {
	out := &Set{Name: s.Name, Dim: s.Dim, X: make([]float64, 0, len(idx)*s.Dim)}
	for _, i := range idx {
		out.X = append(out.X, s.Row(i)...)
	}
	return out
}

// Split shuffles the points with seed and returns the first n-round(frac*n) as train
// and the rest as held-out.
func (s *Set) Split(frac float64, seed uint64) (train, heldout *Set) {
	n := s.Len()
	perm := rand.New(rand.NewPCG(seed, 0x5eed)).Perm(n)
	k := n - int(math.Round(frac*float64(n)))
	return s.Subset(perm[:k]), s.Subset(perm[k:])
}

// Bounds returns the per-dimension minimum and maximum of the points.
func (s *Set) Bounds() (lo, hi []float64) {
	lo = make([]float64, s.Dim)
	hi = make([]float64, s.Dim)
	for j := range lo {
		lo[j], hi[j] = math.Inf(1), math.Inf(-1)
	}
	for i := range s.Len() {
		for j, v := range s.Row(i) {
			lo[j] = min(lo[j], v)
			hi[j] = max(hi[j], v)
		}
	}
	return lo, hi
}

// Mean and Cov return the sample mean and (1/(n-1)) covariance, row-major Dim×Dim.
func (s *Set) Mean() []float64 {
	m := make([]float64, s.Dim)
	for i := range s.Len() {
		for j, v := range s.Row(i) {
			m[j] += v
		}
	}
	for j := range m {
		m[j] /= float64(s.Len())
	}
	return m
}

// Cov returns the sample covariance (divisor n-1), row-major Dim×Dim.
func (s *Set) Cov() []float64 {
	m := s.Mean()
	d := s.Dim
	c := make([]float64, d*d)
	for i := range s.Len() {
		r := s.Row(i)
		for a := range d {
			for b := range d {
				c[a*d+b] += (r[a] - m[a]) * (r[b] - m[b])
			}
		}
	}
	for k := range c {
		c[k] /= float64(s.Len() - 1)
	}
	return c
}

// point draws one 2-D point.
type point func(r *rand.Rand) (x, y float64)

var densities = map[string]point{
	"8gaussians":   eightGaussians,
	"25gaussians":  twentyFiveGaussians,
	"2spirals":     twoSpirals,
	"checkerboard": checkerboard,
	"pinwheel":     pinwheel,
	"moons":        moons,
	"rings":        rings,
	"swissroll":    swissroll,
}

// Benchmark lists the eight benchmark densities in the order of the literature's
// tables.
var Benchmark = []string{"8gaussians", "25gaussians", "2spirals", "checkerboard", "pinwheel", "moons", "rings", "swissroll"}

// Names lists the built-in densities in alphabetical order.
func Names() []string {
	out := make([]string, 0, len(densities))
	for k := range densities {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Known reports whether name is a built-in density.
func Known(name string) bool { _, ok := densities[name]; return ok }

// Sample draws n points of the named built-in density with a PCG generator seeded by
// (seed, stream). Different streams of the same seed are independent (use them for
// training batches, held-out data, ...).
func Sample(name string, n int, seed, stream uint64) (*Set, error) {
	f, ok := densities[name]
	if !ok {
		return nil, fmt.Errorf("density: unknown density %q (have %s)", name, strings.Join(Names(), ", "))
	}
	if n < 0 {
		return nil, fmt.Errorf("density: negative number of points %d", n)
	}
	r := rand.New(rand.NewPCG(seed, stream))
	s := &Set{Name: name, Dim: 2, X: make([]float64, 2*n)}
	for i := range n {
		s.X[2*i], s.X[2*i+1] = f(r)
	}
	return s, nil
}

// SampleInto fills x (row-major, 2 values per point) with points of the named density,
// as Sample does, without allocating. It panics on an unknown name.
func SampleInto(name string, x []float32, seed, stream uint64) {
	f, ok := densities[name]
	if !ok {
		panic(fmt.Sprintf("density: unknown density %q", name))
	}
	r := rand.New(rand.NewPCG(seed, stream))
	for i := 0; i+1 < len(x); i += 2 {
		a, b := f(r)
		x[i], x[i+1] = float32(a), float32(b)
	}
}

const sqrt2 = 1.414 // the divisor the original generators use

// eightGaussians: 8 Gaussians (sd 0.5) on a circle of radius 4, divided by 1.414.
func eightGaussians(r *rand.Rand) (float64, float64) {
	k := r.IntN(8)
	var cx, cy float64
	switch k {
	case 0:
		cx, cy = 1, 0
	case 1:
		cx, cy = -1, 0
	case 2:
		cx, cy = 0, 1
	case 3:
		cx, cy = 0, -1
	default:
		s := 1 / math.Sqrt2
		cx, cy = s, s
		if k == 5 || k == 7 {
			cy = -s
		}
		if k == 6 || k == 7 {
			cx = -s
		}
	}
	x := r.NormFloat64()*0.5 + 4*cx
	y := r.NormFloat64()*0.5 + 4*cy
	return x / sqrt2, y / sqrt2
}

// twentyFiveGaussians: a 5×5 grid of Gaussians (sd 0.2) at spacing 2, divided by 1.414.
func twentyFiveGaussians(r *rand.Rand) (float64, float64) {
	k := r.IntN(25)
	cx, cy := 2*float64(k/5-2), 2*float64(k%5-2)
	x := r.NormFloat64()*0.2 + cx
	y := r.NormFloat64()*0.2 + cy
	return x / sqrt2, y / sqrt2
}

// twoSpirals: two interleaved spirals.
func twoSpirals(r *rand.Rand) (float64, float64) {
	n := math.Sqrt(r.Float64()) * 540 * (2 * math.Pi) / 360
	x := -math.Cos(n)*n + r.Float64()*0.5
	y := math.Sin(n)*n + r.Float64()*0.5
	if r.IntN(2) == 1 {
		x, y = -x, -y
	}
	return x/3 + r.NormFloat64()*0.1, y/3 + r.NormFloat64()*0.1
}

// checkerboard: uniform on the 8 dark squares of a 4×4 board on [-4, 4]².
func checkerboard(r *rand.Rand) (float64, float64) {
	x1 := r.Float64()*4 - 2
	x2 := r.Float64() - float64(r.IntN(2))*2
	m := math.Mod(math.Floor(x1), 2)
	if m < 0 { // numpy's % takes the sign of the divisor; math.Mod that of the dividend
		m += 2
	}
	x2 += m
	return 2 * x1, 2 * x2
}

// pinwheel: 5 curved arms (radial sd 0.3, tangential sd 0.1, rate 0.25), times 2.
func pinwheel(r *rand.Rand) (float64, float64) {
	const radial, tangential, rate = 0.3, 0.1, 0.25
	k := r.IntN(5)
	f0 := r.NormFloat64()*radial + 1
	f1 := r.NormFloat64() * tangential
	a := 2*math.Pi*float64(k)/5 + rate*math.Exp(f0)
	c, s := math.Cos(a), math.Sin(a)
	return 2 * (f0*c + f1*s), 2 * (-f0*s + f1*c)
}

// moons: scikit-learn's two half moons (noise 0.1), times 2, shifted by (-1, -0.2).
func moons(r *rand.Rand) (float64, float64) {
	t := r.Float64() * math.Pi
	var x, y float64
	if r.IntN(2) == 0 {
		x, y = math.Cos(t), math.Sin(t)
	} else {
		x, y = 1-math.Cos(t), 1-math.Sin(t)-0.5
	}
	x += r.NormFloat64() * 0.1
	y += r.NormFloat64() * 0.1
	return 2*x - 1, 2*y - 0.2
}

// rings: 4 concentric circles of radii 3, 2.25, 1.5, 0.75 with noise sd 0.08.
func rings(r *rand.Rand) (float64, float64) {
	rad := 3 * float64(4-r.IntN(4)) / 4
	t := r.Float64() * 2 * math.Pi
	return rad*math.Cos(t) + r.NormFloat64()*0.08, rad*math.Sin(t) + r.NormFloat64()*0.08
}

// swissroll: scikit-learn's swiss roll (noise 1) projected on its (x, z) plane, over 5.
func swissroll(r *rand.Rand) (float64, float64) {
	t := 1.5 * math.Pi * (1 + 2*r.Float64())
	x := t*math.Cos(t) + r.NormFloat64()
	z := t*math.Sin(t) + r.NormFloat64()
	return x / 5, z / 5
}
