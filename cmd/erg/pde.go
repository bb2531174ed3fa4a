package main

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ergml/erg/fem"
	"github.com/ergml/erg/fem/femplot"
	"github.com/ergml/erg/fem/mesh"
	"github.com/ergml/erg/internal/expr"
)

// newPDECmd returns the pde command group, made afresh (no flag value outlives an
// invocation): erg pde solve PROBLEM, erg pde pddlvm and erg pde pinn.
func newPDECmd() *cobra.Command {
	pde := newPDEGroupCmd()
	pde.AddCommand(newPDESolveCmd(), pddlvmCmd(), pinnCmd())
	return pde
}

func newPDEGroupCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "pde",
		Short: "finite-element PDE solvers (P1/P2 Lagrange on 1-D, structured and Gmsh meshes)",
		Long: `Finite-element solvers of package fem: Poisson with a variable coefficient, the
nonlinear Poisson problem -div((1+u^2) grad u) = f, the heat equation and
reaction-diffusion. Coefficients are expressions in x, y (and t): + - * / ^,
parentheses, numbers, pi, sin cos tan exp log sqrt abs tanh.`,
		Example: `  erg pde solve poisson2d --n 64 --kappa "1+x*y" --f "2*pi^2*sin(pi*x)*sin(pi*y)" --out u.csv --plot u.png`,
	}
}

// newPDESolveCmd returns erg pde solve with a subcommand per problem.
func newPDESolveCmd() *cobra.Command {
	solve := &cobra.Command{
		Use:   "solve PROBLEM",
		Short: "solve a PDE and write the nodal solution (CSV or .npy) and a heat map",
		Long: `Problems: poisson1d, poisson2d, nonlinear2d, heat2d, reaction2d. The unit square
(or [a,b] in 1-D) is meshed like FEniCS's create_unit_square(n, n, diagonal=right);
--mesh reads a Gmsh .msh (ASCII 2.2 or 4.1) instead. Structured boundary tags:
1 left, 2 right, 3 bottom, 4 top; Gmsh files use their physical tags.`,
		Example: "  erg pde solve poisson2d --n 64 --kappa 1 --f 1 --out u.npy\n  erg pde solve heat2d --u0 \"sin(pi*x)*sin(pi*y)\" --dt 0.01 --steps 50 --plot heat.png",
		Args:    cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef("erg pde solve: unknown problem %q (want poisson1d, poisson2d, nonlinear2d, heat2d or reaction2d)", args[0])
			}
			return usagef("erg pde solve: name a problem: poisson1d, poisson2d, nonlinear2d, heat2d or reaction2d")
		},
	}
	for _, pr := range pdeProblems {
		solve.AddCommand(newPDEProblemCmd(pr.name, pr.short, pr.example))
	}
	return solve
}

// pdeFlags are the flags shared by the solve subcommands.
type pdeFlags struct {
	n, degree                        int
	meshFile, out, plot, solver      string
	kappa, f, g, h, u0, reaction     string
	dirTags                          []int
	a, b, tol, dt, theta, newtonRTol float64
	steps                            int
	interpolate                      bool
}

type pdeResult struct {
	Problem     string  `json:"problem"`
	Mesh        string  `json:"mesh"`
	Cells       int     `json:"cells"`
	Degree      int     `json:"degree"`
	Dofs        int     `json:"dofs"`
	Solver      string  `json:"solver"`
	Iterations  int     `json:"iterations"`
	NewtonSteps int     `json:"newton_steps,omitempty"`
	TimeSteps   int     `json:"time_steps,omitempty"`
	FinalTime   float64 `json:"final_time,omitempty"`
	Residual    float64 `json:"residual"`
	SolveMS     float64 `json:"solve_ms"`
	UMin        float64 `json:"u_min"`
	UMax        float64 `json:"u_max"`
	Out         string  `json:"out,omitempty"`
	Plot        string  `json:"plot,omitempty"`
}

var pdeProblems = []struct{ name, short, example string }{
	{"poisson1d", "-(kappa u')' = f on [a,b], u = g at both ends", `  erg pde solve poisson1d --n 100 --kappa "1+x^2" --f "sin(3*x)" --g x --out u.csv`},
	{"poisson2d", "-div(kappa grad u) = f, u = g on the Dirichlet boundary, kappa du/dn = h elsewhere", `  erg pde solve poisson2d --n 64 --kappa "1+0.5*sin(2*pi*x)" --f 10 --out u.csv --plot u.png`},
	{"nonlinear2d", "-div((1+u^2) grad u) = f by Newton's method, u = g on the boundary", `  erg pde solve nonlinear2d --n 64 --f 10 --g "x+y" --out u.csv`},
	{"heat2d", "u_t - div(kappa grad u) = f(x,y,t), u = g(x,y,t) on the boundary, theta-method", `  erg pde solve heat2d --n 32 --u0 "sin(pi*x)*sin(pi*y)" --dt 0.01 --steps 20 --plot u.png`},
	{"reaction2d", "u_t - div(kappa grad u) + R(u) = f, backward Euler + Newton (zero flux unless --g)", `  erg pde solve reaction2d --kappa 0.01 --reaction "u^3-u" --u0 "0.5*sin(2*pi*x)*cos(3*pi*y)" --dt 0.05 --steps 20`},
}

// newPDEProblemCmd returns erg pde solve NAME.
func newPDEProblemCmd(name, short, example string) *cobra.Command {
	fl := &pdeFlags{}
	c := &cobra.Command{
		Use:     name,
		Short:   short,
		Example: example,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runPDE(cmd, name, fl)
		},
	}
	f := c.Flags()
	f.IntVar(&fl.n, "n", 64, "cells per side of the structured mesh")
	f.IntVar(&fl.degree, "degree", 1, "Lagrange element degree (1 or 2)")
	f.StringVar(&fl.out, "out", "", "write dof coordinates and values to this .csv or .npy file")
	f.StringVar(&fl.plot, "plot", "", "write a PNG plot of the solution (heat map in 2-D)")
	f.StringVar(&fl.solver, "solver", "auto", "linear solver: auto (cg+mic0 for P1, cg+ic0 for P2), cg+ic0, cg+mic0, cg+jacobi, direct")
	f.Float64Var(&fl.tol, "tol", 1e-10, "relative residual tolerance of CG")
	f.BoolVar(&fl.interpolate, "interpolate", false, "interpolate coefficients into the solution space first (as the FEniCS comparison does)")
	switch name {
	case "poisson1d":
		f.Float64Var(&fl.a, "a", 0, "left end of the interval")
		f.Float64Var(&fl.b, "b", 1, "right end of the interval")
	default:
		f.StringVar(&fl.meshFile, "mesh", "", "Gmsh .msh file (ASCII 2.2 or 4.1) instead of the unit square")
	}
	vars := "x, y"
	if name == "poisson1d" {
		vars = "x"
	}
	tvars := vars
	if name == "heat2d" || name == "reaction2d" {
		tvars = "x, y, t"
	}
	if name != "nonlinear2d" {
		f.StringVar(&fl.kappa, "kappa", "1", "diffusion coefficient kappa("+vars+")")
	}
	f.StringVar(&fl.f, "f", map[bool]string{true: "0", false: "1"}[name == "heat2d" || name == "reaction2d"], "source f("+tvars+")")
	gDefault := "0"
	if name == "reaction2d" {
		gDefault = ""
	}
	f.StringVar(&fl.g, "g", gDefault, "Dirichlet value g("+tvars+")"+map[bool]string{true: "; empty: zero flux everywhere", false: ""}[name == "reaction2d"])
	if name == "poisson2d" {
		f.IntSliceVar(&fl.dirTags, "dirichlet-tags", nil, "boundary tags where u = g (default: the whole boundary)")
		f.StringVar(&fl.h, "h", "0", "flux kappa du/dn = h(x, y) on the boundary not in --dirichlet-tags")
	}
	if name == "nonlinear2d" || name == "reaction2d" {
		f.Float64Var(&fl.newtonRTol, "newton-rtol", 1e-10, "Newton stops when the residual norm falls by this factor")
	}
	if name == "heat2d" || name == "reaction2d" {
		f.StringVar(&fl.u0, "u0", "0", "initial value u0(x, y)")
		f.Float64Var(&fl.dt, "dt", 0.01, "time step")
		f.IntVar(&fl.steps, "steps", 10, "number of time steps")
	}
	if name == "heat2d" {
		f.Float64Var(&fl.theta, "theta", 1, "implicitness: 1 backward Euler, 0.5 Crank-Nicolson")
	}
	if name == "reaction2d" {
		f.StringVar(&fl.reaction, "reaction", "u^3-u", "reaction term R(u); its derivative is taken by central differences")
	}
	return c
}

// field compiles a coefficient expression into a fem.Field over vars.
func field(flag, src string, vars ...string) (fem.Field, *expr.Expr, error) {
	e, err := expr.Parse(src, vars...)
	if err != nil {
		return nil, nil, flagError(flag, "%v", err)
	}
	constant := true
	for _, v := range vars {
		if e.Uses(v) {
			constant = false
		}
	}
	if constant {
		return fem.Const(e.Eval(make([]float64, len(vars))...)), e, nil
	}
	fn := e.Func()
	return fem.Func(fn), e, nil
}

// timeField returns f(t) as a Field of x for expressions over x, y, t.
func timeField(flag, src string) (func(t float64) fem.Field, error) {
	e, err := expr.Parse(src, "x", "y", "t")
	if err != nil {
		return nil, flagError(flag, "%v", err)
	}
	fn := e.Func()
	if !e.Uses("x") && !e.Uses("y") {
		return func(t float64) fem.Field { return fem.Const(fn([]float64{0, 0, t})) }, nil
	}
	return func(t float64) fem.Field {
		var buf [3]float64
		buf[2] = t
		return fem.Func(func(x []float64) float64 {
			buf[0], buf[1] = x[0], x[1]
			return fn(buf[:])
		})
	}, nil
}

func runPDE(cmd *cobra.Command, name string, fl *pdeFlags) error {
	if fl.degree != 1 && fl.degree != 2 {
		return flagError("degree", "%d: want 1 or 2", fl.degree)
	}
	if fl.n < 1 || fl.n > 4096 {
		return flagError("n", "%d: want 1..4096", fl.n)
	}
	for _, p := range []struct{ flag, path string }{{"out", fl.out}, {"plot", fl.plot}} {
		ext := strings.ToLower(filepath.Ext(p.path))
		if p.path != "" && p.flag == "out" && ext != ".csv" && ext != ".npy" {
			return flagError("out", "%s: want a .csv or .npy file", p.path)
		}
		if p.path != "" && p.flag == "plot" && ext != ".png" {
			return flagError("plot", "%s: want a .png file", p.path)
		}
	}
	method := fem.CGMIC
	if fl.degree == 2 {
		method = fem.CGIC
	}
	if fl.solver != "auto" {
		m, err := fem.ParseMethod(fl.solver)
		if err != nil {
			return flagError("solver", "%v", err)
		}
		method = m
	}
	opt := fem.SolverOptions{Method: method, Tol: fl.tol}

	// mesh
	var m *mesh.Mesh
	meshDesc := ""
	switch {
	case name == "poisson1d":
		if !(fl.b > fl.a) {
			return flagError("b", "%g: want b > a = %g", fl.b, fl.a)
		}
		m = mesh.Interval(fl.n, fl.a, fl.b)
		meshDesc = fmt.Sprintf("interval [%g,%g], %d cells", fl.a, fl.b, fl.n)
	case fl.meshFile != "":
		var err error
		if m, err = mesh.ReadGmshFile(fl.meshFile); err != nil {
			return usageError{msg: "--mesh: " + err.Error(), field: "mesh", file: fl.meshFile}
		}
		if m.Dim != 2 {
			return usageError{msg: fmt.Sprintf("--mesh %s: a %d-D mesh; %s needs a 2-D one", fl.meshFile, m.Dim, name), field: "mesh", file: fl.meshFile}
		}
		meshDesc = fl.meshFile
	default:
		m = mesh.UnitSquare(fl.n)
		meshDesc = fmt.Sprintf("unit square %dx%d", fl.n, fl.n)
	}
	s := fem.NewSpace(m, fl.degree)
	vars := []string{"x", "y"}
	if m.Dim == 1 {
		vars = []string{"x"}
	}
	interp := func(f fem.Field) fem.Field {
		if fn, ok := f.(fem.Func); ok && fl.interpolate {
			return fem.Nodal(s.Interpolate(fn))
		}
		return f
	}
	res := pdeResult{Problem: name, Mesh: meshDesc, Cells: m.NumCells(), Degree: fl.degree, Dofs: s.N, Solver: method.String(), Out: fl.out, Plot: fl.plot}
	var u []float64
	t0 := time.Now()
	switch name {
	case "poisson1d", "poisson2d":
		kappa, _, err := field("kappa", fl.kappa, vars...)
		if err != nil {
			return err
		}
		f, _, err := field("f", fl.f, vars...)
		if err != nil {
			return err
		}
		g, _, err := field("g", fl.g, vars...)
		if err != nil {
			return err
		}
		tags := make([]int32, len(fl.dirTags))
		for i, t := range fl.dirTags {
			tags[i] = int32(t)
		}
		p := &fem.Poisson{Space: s, Kappa: interp(kappa), F: interp(f), Dirichlet: fem.NewDirichlet(s, s.BoundaryDofs(tags...), interp(g))}
		if len(tags) > 0 {
			var rest []int32
			for _, t := range m.FacetTags {
				if !slices.Contains(tags, t) && !slices.Contains(rest, t) {
					rest = append(rest, t)
				}
			}
			if len(rest) > 0 {
				h, _, err := field("h", fl.h, vars...)
				if err != nil {
					return err
				}
				p.Neumann = []fem.Neumann{{G: interp(h), Tags: rest}}
			}
			if len(p.Dirichlet.Dofs) == 0 {
				return flagError("dirichlet-tags", "%v: no boundary facets carry these tags (the solution would not be unique)", fl.dirTags)
			}
		}
		var st fem.Stats
		u, st, err = p.Solve(opt)
		if err != nil {
			return err
		}
		res.Iterations, res.Residual = st.Iterations, st.Residual
	case "nonlinear2d":
		f, _, err := field("f", fl.f, vars...)
		if err != nil {
			return err
		}
		g, _, err := field("g", fl.g, vars...)
		if err != nil {
			return err
		}
		p := &fem.NonlinearPoisson{Space: s, F: interp(f), Dirichlet: fem.NewDirichlet(s, s.BoundaryDofs(), interp(g))}
		var st fem.NewtonStats
		u, st, err = p.Solve(nil, fem.NewtonOptions{RTol: fl.newtonRTol})
		if err != nil {
			return err
		}
		res.NewtonSteps, res.Iterations = st.Iterations, st.LinearIterations
		res.Residual = st.Residuals[len(st.Residuals)-1]
		res.Solver = "newton"
	case "heat2d", "reaction2d":
		if !(fl.dt > 0) {
			return flagError("dt", "%g: want a positive time step", fl.dt)
		}
		if fl.steps < 1 {
			return flagError("steps", "%d: want at least one step", fl.steps)
		}
		kappa, _, err := field("kappa", fl.kappa, vars...)
		if err != nil {
			return err
		}
		u0f, _, err := field("u0", fl.u0, vars...)
		if err != nil {
			return err
		}
		u0 := make([]float64, s.N)
		for i := range u0 {
			u0[i] = fieldAt(u0f, s.Dof(i))
		}
		ft, err := timeField("f", fl.f)
		if err != nil {
			return err
		}
		var bcf func(t float64) fem.Dirichlet
		if fl.g != "" {
			gt, err := timeField("g", fl.g)
			if err != nil {
				return err
			}
			dofs := s.BoundaryDofs()
			bcf = func(t float64) fem.Dirichlet { return fem.NewDirichlet(s, dofs, gt(t)) }
		}
		res.TimeSteps, res.FinalTime = fl.steps, float64(fl.steps)*fl.dt
		if name == "heat2d" {
			if !(fl.theta > 0 && fl.theta <= 1) {
				return flagError("theta", "%g: want 0 < theta <= 1", fl.theta)
			}
			h := &fem.Heat{Space: s, Kappa: interp(kappa), F: ft, Dirichlet: bcf, Dt: fl.dt, Theta: fl.theta}
			var st fem.Stats
			u, st, err = h.Run(u0, 0, fl.steps, opt, nil)
			if err != nil {
				return err
			}
			res.Iterations, res.Residual = st.Iterations, st.Residual
		} else {
			re, err := expr.Parse(fl.reaction, "u")
			if err != nil {
				return flagError("reaction", "%v", err)
			}
			rf := re.Func()
			r := func(u float64) float64 { return rf([]float64{u}) }
			dr := func(u float64) float64 {
				h := 1e-6 * (1 + math.Abs(u))
				return (r(u+h) - r(u-h)) / (2 * h)
			}
			p := &fem.ReactionDiffusion{Space: s, Kappa: interp(kappa), R: r, DR: dr, RDegree: 3, F: ft, Dirichlet: bcf, Dt: fl.dt}
			newtonSteps := 0
			u, err = p.Run(u0, 0, fl.steps, fem.NewtonOptions{RTol: fl.newtonRTol, ATol: 1e-12}, func(_ int, _ float64, _ []float64, st fem.NewtonStats) {
				newtonSteps += st.Iterations
				res.Iterations += st.LinearIterations
				res.Residual = st.Residuals[len(st.Residuals)-1]
			})
			if err != nil {
				return err
			}
			res.NewtonSteps = newtonSteps
			res.Solver = "newton"
		}
	}
	res.SolveMS = float64(time.Since(t0).Microseconds()) / 1e3
	res.UMin, res.UMax = slices.Min(u), slices.Max(u)
	if fl.out != "" {
		if err := s.WriteFile(fl.out, u); err != nil {
			return err
		}
	}
	if fl.plot != "" {
		title := fmt.Sprintf("%s, P%d, %s", name, fl.degree, meshDesc)
		if err := femplot.Save(fl.plot, s, u, femplot.Options{Title: title}); err != nil {
			return err
		}
	}
	if jsonOutput(cmd) {
		return writeJSON(cmd.OutOrStdout(), res)
	}
	fmt.Printf("%s on %s: P%d, %d cells, %d dofs\n", name, meshDesc, fl.degree, res.Cells, res.Dofs)
	switch {
	case res.NewtonSteps > 0:
		lin := "direct linear solves"
		if res.Iterations > 0 {
			lin = fmt.Sprintf("%d linear iterations", res.Iterations)
		}
		fmt.Printf("solver: Newton, %d steps, final residual %.3g, %s\n", res.NewtonSteps, res.Residual, lin)
	case method != fem.Direct:
		fmt.Printf("solver: %s, %d iterations, relative residual %.3g\n", res.Solver, res.Iterations, res.Residual)
	default:
		fmt.Printf("solver: %s\n", res.Solver)
	}
	if res.TimeSteps > 0 {
		fmt.Printf("time: %d steps of %g to t = %g\n", res.TimeSteps, fl.dt, res.FinalTime)
	}
	fmt.Printf("u in [%.6g, %.6g]; %.1f ms\n", res.UMin, res.UMax, res.SolveMS)
	if fl.out != "" {
		fmt.Println("wrote", fl.out)
	}
	if fl.plot != "" {
		fmt.Println("wrote", fl.plot)
	}
	return nil
}

func fieldAt(f fem.Field, x []float64) float64 {
	switch f := f.(type) {
	case fem.Const:
		return float64(f)
	case fem.Func:
		return f(x)
	}
	panic("erg: unexpected field")
}
