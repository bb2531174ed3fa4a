package pinn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// BurgersNu is the viscosity of the benchmark of Raissi et al. (2019), 0.01/π.
const BurgersNu = 0.01 / math.Pi

// ProblemOptions sizes a named benchmark. The zero value gives the defaults.
type ProblemOptions struct {
	Collocation int     // interior points; 0: problem default
	Boundary    int     // points per boundary/initial term; 0: problem default
	Weight      float64 // weight of the boundary/initial terms; 0: 1
	// Inverse (Burgers only): learn ν from Data noisy samples of the exact solution
	// instead of knowing it; the initial and boundary terms are kept.
	Inverse bool
	Data    int     // observations for Inverse; 0: 2000
	Noise   float64 // their noise std; 0: none
	Seed    uint64  // seed of the observation points and noise
}

// Benchmarks lists the names accepted by NewBenchmark.
func Benchmarks() []string {
	var out []string
	for k := range benchmarks {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

var benchmarks = map[string]func(ProblemOptions) *Benchmark{
	"burgers":   burgers,
	"poisson2d": poisson2D,
}

// Benchmark is a problem with its reference solution on an evaluation grid.
type Benchmark struct {
	Problem *Problem
	// Grid: the reference is on Xs × Ys (coordinate 0 along Xs, coordinate 1 along Ys);
	// Ref holds u row-major by Ys then Xs.
	Xs, Ys       []float64
	XName, YName string
	Ref          []float64
	RefSource    string
	TrueCoef     map[string]float64 // inverse problems: the true unknowns
}

// NewBenchmark returns the named benchmark ("burgers", "poisson2d").
func NewBenchmark(name string, opt ProblemOptions) (*Benchmark, error) {
	f, ok := benchmarks[name]
	if !ok {
		return nil, fmt.Errorf("pinn: unknown benchmark %q (have %s)", name, strings.Join(Benchmarks(), ", "))
	}
	return f(opt), nil
}

func orInt(v, d int) int {
	if v <= 0 {
		return d
	}
	return v
}

func orF(v, d float64) float64 {
	if v == 0 {
		return d
	}
	return v
}

// GridPoints returns the evaluation points of b, row-major [len(Xs)·len(Ys), 2].
func (b *Benchmark) GridPoints() []float64 {
	out := make([]float64, 0, 2*len(b.Xs)*len(b.Ys))
	for _, y := range b.Ys {
		for _, x := range b.Xs {
			out = append(out, x, y)
		}
	}
	return out
}

// burgers is u_t + u u_x = ν u_xx on x ∈ [−1, 1], t ∈ [0, 1], u(x, 0) = −sin(πx),
// u(±1, t) = 0, ν = 0.01/π (Raissi et al. 2019, §3.1), with points (x, t). The
// reference is the Cole–Hopf solution (BurgersExact) on Raissi's grid of 256 x by
// 100 t values.
func burgers(opt ProblemOptions) *Benchmark {
	nb := orInt(opt.Boundary, 100)
	w := orF(opt.Weight, 1)
	p := &Problem{Name: "burgers", Domain: Box{Lo: []float64{-1, 0}, Hi: []float64{1, 1}}, Second: [][2]int{{0, 0}}}
	if opt.Inverse {
		p.Name = "burgers-inverse"
		p.Unknowns = []Unknown{{Name: "nu", Init: 0.05, Positive: true}}
	}
	nuOf := func(s *model.Scope, f *Field) *Node {
		if opt.Inverse {
			return p.Coef(s, f, "nu")
		}
		return Scalar(f.X.Graph(), f.X.DType(), BurgersNu)
	}
	p.Terms = []Term{
		{Name: "pde", Order: 2, Adaptive: true, Points: Points{N: orInt(opt.Collocation, 2540)}, Residual: func(s *model.Scope, f *Field) *Node {
			u, ux, ut, uxx := f.U, f.D(0), f.D(1), f.D2(0, 0)
			return Sub(Add(ut, Mul(u, ux)), Mul(nuOf(s, f), uxx))
		}},
		{Name: "initial", Points: Points{N: nb, OnFace: true, Face: struct {
			Coord int
			Value float64
		}{1, 0}}, Weight: w, Residual: func(s *model.Scope, f *Field) *Node {
			return Add(f.U, Sin(MulScalar(f.Coord(0), math.Pi)))
		}},
		{Name: "left", Points: Points{N: nb / 2, OnFace: true, Face: struct {
			Coord int
			Value float64
		}{0, -1}}, Weight: w, Residual: func(s *model.Scope, f *Field) *Node { return f.U }},
		{Name: "right", Points: Points{N: nb / 2, OnFace: true, Face: struct {
			Coord int
			Value float64
		}{0, 1}}, Weight: w, Residual: func(s *model.Scope, f *Field) *Node { return f.U }},
	}
	b := &Benchmark{Problem: p, XName: "x", YName: "t",
		RefSource: "Cole–Hopf solution by composite Gauss–Legendre quadrature (pinn.BurgersExact)"}
	for i := 0; i < 256; i++ {
		b.Xs = append(b.Xs, -1+2*float64(i)/255)
	}
	for j := 0; j < 100; j++ {
		b.Ys = append(b.Ys, float64(j)/100)
	}
	b.Ref = make([]float64, 0, 256*100)
	for _, t := range b.Ys {
		for _, x := range b.Xs {
			u, _ := BurgersExact(x, t, BurgersNu)
			b.Ref = append(b.Ref, u)
		}
	}
	if opt.Inverse {
		nd := orInt(opt.Data, 2000)
		rng := rand.New(rand.NewPCG(opt.Seed, 99))
		pts := make([]float64, 0, 2*nd)
		vals := make([]float64, 0, nd)
		for k := 0; k < nd; k++ {
			i := rng.IntN(len(b.Ref))
			pts = append(pts, b.Xs[i%256], b.Ys[i/256])
			vals = append(vals, b.Ref[i]+opt.Noise*rng.NormFloat64())
		}
		p.Terms = append(p.Terms, Term{Name: "data", Points: Points{Fixed: pts}, Residual: func(s *model.Scope, f *Field) *Node {
			return Sub(f.U, ConvertDType(Const(f.X.Graph(), vals), f.X.DType()))
		}})
		b.TrueCoef = map[string]float64{"nu": BurgersNu}
	}
	return b
}

// poisson2D is −Δu = 1 on the unit square with u = 0 on the boundary. The reference
// is its double sine series (PoissonSquareExact) on a 101×101 grid.
func poisson2D(opt ProblemOptions) *Benchmark {
	nb := orInt(opt.Boundary, 100)
	w := orF(opt.Weight, 1)
	zero := func(s *model.Scope, f *Field) *Node { return f.U }
	face := func(c int, v float64) Points {
		p := Points{N: nb, OnFace: true}
		p.Face.Coord, p.Face.Value = c, v
		return p
	}
	p := &Problem{Name: "poisson2d", Domain: Box{Lo: []float64{0, 0}, Hi: []float64{1, 1}}, Second: [][2]int{{0, 0}, {1, 1}}}
	p.Terms = []Term{
		{Name: "pde", Order: 2, Adaptive: true, Points: Points{N: orInt(opt.Collocation, 2000)}, Residual: func(s *model.Scope, f *Field) *Node {
			return AddScalar(f.Laplacian(), 1)
		}},
		{Name: "left", Points: face(0, 0), Weight: w, Residual: zero},
		{Name: "right", Points: face(0, 1), Weight: w, Residual: zero},
		{Name: "bottom", Points: face(1, 0), Weight: w, Residual: zero},
		{Name: "top", Points: face(1, 1), Weight: w, Residual: zero},
	}
	b := &Benchmark{Problem: p, XName: "x", YName: "y",
		RefSource: "double sine series of −Δu = 1 on the unit square, 400×400 terms (pinn.PoissonSquareExact)"}
	for i := 0; i <= 100; i++ {
		b.Xs = append(b.Xs, float64(i)/100)
	}
	b.Ys = b.Xs
	b.Ref = PoissonSquareExact(b.Xs, b.Ys, 400)
	return b
}

// PoissonSquareExact returns the solution of −Δu = 1 on the unit square with u = 0
// on the boundary at the grid xs × ys (row-major by y), from its double sine series
//
//	u(x, y) = Σ_{m,n odd} 16 / (π⁴ m n (m² + n²)) sin(mπx) sin(nπy)
//
// truncated at m, n ≤ terms (the tail is O(terms⁻³)).
func PoissonSquareExact(xs, ys []float64, terms int) []float64 {
	var ms []int
	for m := 1; m <= terms; m += 2 {
		ms = append(ms, m)
	}
	sx := make([][]float64, len(ms))
	sy := make([][]float64, len(ms))
	for k, m := range ms {
		for _, x := range xs {
			sx[k] = append(sx[k], math.Sin(float64(m)*math.Pi*x))
		}
		for _, y := range ys {
			sy[k] = append(sy[k], math.Sin(float64(m)*math.Pi*y))
		}
	}
	out := make([]float64, len(xs)*len(ys))
	c := 16 / math.Pow(math.Pi, 4)
	// t[n][ix] = Σ_m c_mn sin(mπx)
	for b, n := range ms {
		t := make([]float64, len(xs))
		for a, m := range ms {
			cm := c / (float64(m) * float64(n) * float64(m*m+n*n))
			for i := range xs {
				t[i] += cm * sx[a][i]
			}
		}
		for j := range ys {
			s := sy[b][j]
			for i := range xs {
				out[j*len(xs)+i] += t[i] * s
			}
		}
	}
	return out
}

// recommended holds, per benchmark, the training settings that reach its target
// (docs/results.md); the command line uses them for flags the user leaves unset.
var recommended = map[string]Config{
	// Fixed collocation points let the shock drift off x = 0 between them (relative L2
	// 0.21 after 10k Adam + 5k L-BFGS); fresh points every 100 Adam steps and four
	// rounds of residual-based refinement during L-BFGS give 6.6e-3.
	"burgers": {Resample: 100, LBFGS: 5000, RAR: 4},
}

// Recommended returns the training settings recommended for a benchmark (zero
// fields: the Config defaults).
func Recommended(name string) Config { return recommended[name] }
