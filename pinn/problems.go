package pinn

import (
	"math"
	"math/rand/v2"
	"sort"
	"strings"

	"github.com/ergml/erg/run"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// BurgersNu is the viscosity of the benchmark of Raissi et al. (2019), 0.01/π.
const BurgersNu = 0.01 / math.Pi

// ProblemOptions sizes a named benchmark. Unset (zero) fields take the benchmark's
// defaults (For); a zero Noise is no noise.
type ProblemOptions struct {
	Collocation int     // interior points; 0: the benchmark's default (burgers 2540, poisson2d 2000)
	Boundary    int     // points per boundary/initial term; 0: 100
	Weight      float64 // weight of the boundary/initial terms; 0: 1
	// Inverse (Burgers only): learn ν from Data noisy samples of the exact solution
	// instead of knowing it; the initial and boundary terms are kept.
	Inverse bool
	Data    int     // observations for Inverse; 0: 2000
	Noise   float64 // their noise std; 0: none
	Seed    uint64  // seed of the observation points and noise (used as given; DefaultOptions: 1)
}

// For returns o with its unset fields set to the defaults of benchmark.
func (o ProblemOptions) For(benchmark string) ProblemOptions {
	if o.Collocation == 0 {
		o.Collocation = benchmarks[benchmark].collocation
		if o.Collocation == 0 {
			o.Collocation = 2000
		}
	}
	if o.Boundary == 0 {
		o.Boundary = 100
	}
	if o.Weight == 0 {
		o.Weight = 1
	}
	if o.Data == 0 {
		o.Data = 2000
	}
	return o
}

// DefaultOptions returns the problem options of `erg pde pinn BENCHMARK` without
// flags: the benchmark's defaults and observation seed 1.
func DefaultOptions(benchmark string) ProblemOptions { return ProblemOptions{Seed: 1}.For(benchmark) }

// Validate reports the first bad value as a *run.FieldError named after its flag of
// `erg pde pinn`.
func (o ProblemOptions) Validate() error {
	switch {
	case o.Collocation < 0:
		return run.Invalid("collocation", o.Collocation, "want a positive number of points (0: the benchmark's default)")
	case o.Boundary < 0 || o.Boundary == 1:
		return run.Invalid("boundary", o.Boundary, "want at least 2 points per term (0: the default)")
	case !(o.Weight >= 0) || math.IsInf(o.Weight, 0):
		return run.Invalid("weight", o.Weight, "want a positive weight (0: the default, 1)")
	case o.Data < 0:
		return run.Invalid("data", o.Data, "want a positive number of observations (0: the default)")
	case !(o.Noise >= 0) || math.IsInf(o.Noise, 0):
		return run.Invalid("noise", o.Noise, "want a standard deviation ≥ 0")
	}
	return nil
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

// benchmark is a named problem: its builder, its default number of interior points
// and the training settings that reach its target (docs/results.md), which unset
// fields of a Config take (Config.For).
type benchmark struct {
	build       func(ProblemOptions) *Benchmark
	collocation int
	config      Config
}

var benchmarks = map[string]benchmark{
	// Fixed collocation points let the shock drift off x = 0 between them (relative L2
	// 0.21 after 10k Adam + 5k L-BFGS); fresh points every 100 Adam steps and four
	// rounds of residual-based refinement during L-BFGS give 6.6e-3.
	"burgers":   {build: burgers, collocation: 2540, config: Config{Resample: new(100), LBFGS: new(5000), RAR: new(4)}},
	"poisson2d": {build: poisson2D, collocation: 2000},
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

// NewBenchmark returns the named benchmark ("burgers", "poisson2d") with opt (its
// unset fields: the benchmark's defaults).
func NewBenchmark(name string, opt ProblemOptions) (*Benchmark, error) {
	opt = opt.For(name)
	if err := checkBenchmark(name, opt); err != nil {
		return nil, err
	}
	return benchmarks[name].build(opt), nil
}

// checkBenchmark reports an unknown benchmark or bad options for it.
func checkBenchmark(name string, opt ProblemOptions) error {
	if _, ok := benchmarks[name]; !ok {
		return run.Invalid("benchmark", name, "unknown benchmark (have %s)", strings.Join(Benchmarks(), ", "))
	}
	if opt.Inverse && name != "burgers" {
		return run.Invalid("inverse", true, "only the burgers benchmark has an inverse problem")
	}
	return opt.Validate()
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
	nb, w := opt.Boundary, opt.Weight
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
		{Name: "pde", Order: 2, Adaptive: true, Points: Points{N: opt.Collocation}, Residual: func(s *model.Scope, f *Field) *Node {
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
		nd := opt.Data
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
	nb, w := opt.Boundary, opt.Weight
	zero := func(s *model.Scope, f *Field) *Node { return f.U }
	face := func(c int, v float64) Points {
		p := Points{N: nb, OnFace: true}
		p.Face.Coord, p.Face.Value = c, v
		return p
	}
	p := &Problem{Name: "poisson2d", Domain: Box{Lo: []float64{0, 0}, Hi: []float64{1, 1}}, Second: [][2]int{{0, 0}, {1, 1}}}
	p.Terms = []Term{
		{Name: "pde", Order: 2, Adaptive: true, Points: Points{N: opt.Collocation}, Residual: func(s *model.Scope, f *Field) *Node {
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
