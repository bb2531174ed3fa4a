package main

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/gomlx/compute"
	"github.com/spf13/cobra"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/pddlvm"
	"github.com/ergml/erg/pinn"
	"github.com/ergml/erg/run"
)

func pddlvmCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "pddlvm",
		Short: "physics-driven deep latent variable model: forward and inverse maps of parametric PDEs without PDE solves",
		Long: `PDDLVM (Vadeboncoeur et al., JCP 2023): Gaussian forward map θ → u and inverse map
u → θ from neural networks, trained by maximising an ELBO in which the finite-element
residual r(u, θ) is observed to be zero with covariance σ_r². Problems: ` + strings.Join(pddlvm.Problems(), ", ") + `.
Every run is evaluated on held-out θ against fem solutions (relative L2 error,
calibration of the 95% bands, inverse-map recovery, speed against a FEM solve).`,
		Example: "  erg pde pddlvm train poisson1d --steps 20000\n  erg pde pddlvm eval poisson1d --json",
	}
	var tf pddlvmTrainFlags
	var ef pddlvmEvalFlags
	c.AddCommand(tf.command(), ef.command())
	return c
}

// oneOrResume checks the arguments of a training command: one of names (a PROBLEM
// or BENCHMARK), or none with --resume.
func oneOrResume(command, what string, names []string, rf *runFlags) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if rf.resume != "" {
			if len(args) > 0 {
				return usagef("%s: give a %s or --resume, not both", command, what)
			}
			return nil
		}
		if len(args) != 1 || !slices.Contains(names, args[0]) {
			return usagef("%s: want one %s (%s), got %q", command, what, strings.Join(names, ", "), strings.Join(args, " "))
		}
		return nil
	}
}

// trainE is the RunE of a training command: the options of the command line, the
// backend, a context that SIGINT/SIGTERM cancel (the run is then interrupted and
// resumable), the run (a bad configuration is a usage error naming its flag), and
// its outcome: one JSON object under --json, else print's lines.
func trainE[O, R any](options func(*cobra.Command, []string) (O, error), train func(context.Context, compute.Backend, O) (R, error), print func(*cobra.Command, R)) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		opt, err := options(cmd, args)
		if err != nil {
			return err
		}
		be, err := backend.New(backendFlag(cmd))
		if err != nil {
			return err
		}
		ctx, stop := signalContext()
		defer stop()
		out, err := train(ctx, be, opt)
		if err != nil {
			return invalidConfig(err)
		}
		if jsonOutput(cmd) {
			return writeJSON(cmd.OutOrStdout(), out)
		}
		print(cmd, out)
		return nil
	}
}

// perProblem writes, for a flag's help, the library's default f(problem) of each of
// the problems: one value when they agree ("20000"), else each problem's
// ("poisson1d 32, poisson2d 24"); with heat, its own after a semicolon.
func perProblem(heat bool, f func(string) string) string {
	var fem []string
	for _, p := range pddlvm.Problems() {
		if p != "heat" {
			fem = append(fem, p)
		}
	}
	s := f(fem[0])
	for _, p := range fem[1:] {
		if f(p) != s {
			var each []string
			for _, q := range fem {
				each = append(each, q+" "+f(q))
			}
			s = strings.Join(each, ", ")
			break
		}
	}
	if heat {
		s += "; heat " + f("heat")
	}
	return s
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ",")
}

// pddlvmTrainFlags are the flags of erg pde pddlvm train: those of a new run's
// pddlvm.Config (per-problem defaults are filled in by the library for flags left
// unset) and of its evaluation.
type pddlvmTrainFlags struct {
	run    runFlags
	hidden string
	cfg    pddlvm.Config
	opt    pddlvm.Options
	whiten bool
	noise  float64
	tests  int
}

func (f *pddlvmTrainFlags) command() *cobra.Command {
	c := &cobra.Command{
		Use:   "train PROBLEM",
		Short: "train the forward and inverse maps of a problem, then evaluate them against FEM",
		Long: `Problems:
  poisson1d    −(κu')' = 1 on (0,1), u(0)=0, u(1)=0.5; log κ Gaussian field, 4 KL terms, 32 cells
  poisson2d    −∇·(κ∇u) = 1 on the unit square, u=0 on ∂Ω; 6 KL terms, 24×24 squares
  nonlinear2d  −∇·(κ(1+u²)∇u) = 10 on the unit square, u=0 on ∂Ω; 6 KL terms, 24×24 squares
  heat         u_t = (1/γ)∂x((κ²u+1)/κ u_x) on [0,2π]×[0,2], u(x,0)=1+sin x, u=1 at x=0,2π,
               (γ,κ) ~ U[1,5]²: PINN discretisation (neural field with Taylor-mode derivatives);
               --batch is the z samples per step, evaluation against a finite-volume solver;
               unset flags take its own defaults (see each flag)
With --resume RUNDIR the run continues from its checkpoint (the problem and
configuration come from the run directory; --steps may raise the total).`,
		Example: "  erg pde pddlvm train poisson1d --steps 20000 --whiten\n  erg pde pddlvm train poisson2d --name p2 --steps 30000 --json\n  erg pde pddlvm train --resume runs/20261129-050000-p2",
		Args:    oneOrResume("erg pde pddlvm train", "PROBLEM", pddlvm.Problems(), &f.run),
		RunE: trainE(f.options, pddlvm.Run, func(cmd *cobra.Command, out *pddlvm.Outcome) {
			printPDDLVMEval(cmd, out.Eval)
			fmt.Fprintf(cmd.OutOrStdout(), "training: %d steps, %.1f s (%.2f ms/step)\nrun: %s\nreport: %s\n",
				out.Steps, out.Seconds, out.StepMillis, out.RunDir, out.Report)
		}),
	}
	cfg := func(p string) pddlvm.Config { return pddlvm.DefaultConfig(p) }
	d := cfg("poisson1d")
	fl := c.Flags()
	f.run.register(fl, "pddlvm-PROBLEM")
	fl.Uint64Var(&f.cfg.Seed, "seed", d.Seed, "seed of θ batches, initialisation and sampling noise")
	fl.IntVar(&f.cfg.Steps, "steps", 0, "optimizer steps (default "+perProblem(true, func(p string) string { return strconv.Itoa(cfg(p).Steps) })+")")
	fl.IntVar(&f.cfg.Rank, "rank", d.Rank, "low-rank factors of the forward-map covariance (0: diagonal)")
	fl.IntVar(&f.cfg.Batch, "batch", 0, "θ samples per step (default "+perProblem(true, func(p string) string { return strconv.Itoa(cfg(p).Batch) })+")")
	fl.IntVar(&f.opt.Cells, "cells", 0, "cells per side (default "+perProblem(false, func(p string) string { return strconv.Itoa(pddlvm.Options{}.For(p).Cells) })+"; not heat)")
	fl.IntVar(&f.opt.Terms, "terms", 0, "Karhunen–Loève terms d (default "+perProblem(false, func(p string) string { return strconv.Itoa(pddlvm.Options{}.For(p).Terms) })+"; not heat)")
	fl.Float64Var(&f.cfg.SigmaR, "sigma-r", 0, "residual standard deviation σ_r, relative to the solution scale with --whiten (default "+
		perProblem(true, func(p string) string { return strconv.FormatFloat(cfg(p).SigmaR, 'g', -1, 64) })+")")
	fl.Float64Var(&f.cfg.LR, "lr", d.LR, "Adam learning rate, halved every --decay-every steps")
	fl.IntVar(&f.cfg.DecayEvery, "decay-every", 0, "halve the learning rate every this many steps (default: steps/4)")
	fl.BoolVar(&f.whiten, "whiten", *d.Whiten, "residual covariance σ_r² A₀A₀ᵀ (A₀: stiffness of the mean field) instead of σ_r² I (not heat)")
	fl.StringVar(&f.hidden, "hidden", "", "hidden layer sizes of both maps (heat: of the forward map) (default "+
		perProblem(true, func(p string) string { return joinInts(cfg(p).Hidden) })+")")
	fl.BoolVar(&f.cfg.ForwardOnly, "forward-only", false, "train the forward map alone (no inverse map; not heat)")
	fl.BoolVar(&f.cfg.CoupledInverse, "coupled-inverse", false, "let the inverse map's term train the forward map too (the plain ELBO; overconfident inverse bands)")
	fl.IntVar(&f.tests, "tests", pddlvm.DefaultEvalOptions().Tests, "held-out θ for the evaluation")
	fl.Float64Var(&f.noise, "noise", *d.ObsNoise, "observation noise of the inverse problem, relative to the solution scale: the inverse map is trained for it and tested with it; 0: none")
	return c
}

// options returns the run options of the command line: the flags given, the
// library's defaults for the others.
func (f *pddlvmTrainFlags) options(cmd *cobra.Command, args []string) (pddlvm.RunOptions, error) {
	fs := cmd.Flags()
	if err := positive(fs, "steps", "batch", "sigma-r", "lr", "decay-every", "cells", "terms", "tests"); err != nil {
		return pddlvm.RunOptions{}, err
	}
	cfg := f.cfg
	if f.hidden != "" {
		hs, err := parseInts("hidden", f.hidden, 1)
		if err != nil {
			return pddlvm.RunOptions{}, err
		}
		cfg.Hidden = hs
	}
	eval := pddlvm.EvalOptions{Tests: f.tests}
	if fs.Changed("whiten") {
		cfg.Whiten = new(f.whiten)
	}
	if fs.Changed("noise") { // else the library's default, and the evaluation's that of the run
		cfg.ObsNoise, eval.NoiseY = new(f.noise), new(f.noise)
	}
	opt := pddlvm.RunOptions{Run: f.run.options(cmd), Options: f.opt, Config: cfg, Eval: eval, Command: commandLine()}
	if len(args) == 1 {
		opt.Problem = args[0]
	}
	if f.run.resume != "" && fs.Changed("steps") { // only an explicit --steps changes a resumed run
		opt.Steps = f.cfg.Steps
	}
	return opt, nil
}

// pddlvmEvalFlags are the flags of erg pde pddlvm eval.
type pddlvmEvalFlags struct {
	root  string
	seed  uint64
	tests int
	noise float64
}

func (f *pddlvmEvalFlags) command() *cobra.Command {
	c := &cobra.Command{
		Use:     "eval RUN",
		Short:   "evaluate a trained PDDLVM run on held-out θ against FEM (accuracy, calibration, inverse recovery, speed)",
		Example: "  erg pde pddlvm eval runs/20261129-050000-pddlvm-poisson1d\n  erg pde pddlvm eval poisson1d --tests 200 --json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := positive(cmd.Flags(), "tests"); err != nil {
				return err
			}
			opt := pddlvm.EvalOptions{Tests: f.tests, Seed: new(f.seed), NoiseY: new(f.noise)}
			if err := opt.Validate(); err != nil {
				return invalidConfig(err)
			}
			be, err := backend.New(backendFlag(cmd))
			if err != nil {
				return err
			}
			rd, err := run.Resolve(f.root, args[0])
			if err != nil {
				return err
			}
			e, rep, err := pddlvm.EvalRun(be, rd, opt)
			if err != nil {
				return invalidConfig(err)
			}
			if jsonOutput(cmd) {
				return writeJSON(cmd.OutOrStdout(), struct {
					RunDir string             `json:"run_dir"`
					Report string             `json:"report"`
					Eval   *pddlvm.Evaluation `json:"eval"`
				}{rd.Path, rep, e})
			}
			printPDDLVMEval(cmd, e)
			fmt.Fprintf(cmd.OutOrStdout(), "run: %s\nreport: %s\n", rd.Path, rep)
			return nil
		},
	}
	d := pddlvm.DefaultEvalOptions()
	fl := c.Flags()
	fl.StringVar(&f.root, "root", run.DefaultRoot, "directory of run directories")
	fl.Uint64Var(&f.seed, "seed", *d.Seed, "seed of the held-out θ")
	fl.IntVar(&f.tests, "tests", d.Tests, "held-out θ for the evaluation")
	fl.Float64Var(&f.noise, "noise", *d.NoiseY, "observation noise of the inverse problem, relative to the solution scale; 0: none")
	return c
}

func printPDDLVMEval(cmd *cobra.Command, e *pddlvm.Evaluation) {
	w := cmd.OutOrStdout()
	fmt.Fprintf(w, "%s: %d unknowns, %d parameters, %d held-out θ\n", e.Problem, e.Unknown, e.Params, e.Tests)
	fmt.Fprintf(w, "  forward map   rel L2 vs reference: mean %.3g%%, median %.3g%%, max %.3g%%\n", 100*e.ForwardRelL2.Mean, 100*e.ForwardRelL2.Median, 100*e.ForwardRelL2.Max)
	fmt.Fprintf(w, "                95%% band contains FEM: %.1f%% of nodes (mean σ = %.3g%% of RMS u)\n", 100*e.ForwardCoverage95, 100*e.ForwardStdRel)
	fmt.Fprintf(w, "  inverse map   θ RMSE %.3f (prior %.3f), 95%% band contains θ: %.1f%%\n", e.InverseThetaRMSE, e.PriorThetaRMSE, 100*e.InverseCoverage95)
	for k, ps := range e.InverseByParam {
		fmt.Fprintf(w, "                θ%d RMSE %.3f, mean σ %.3f, band contains θ%d: %.0f%%\n", k+1, ps.RMSE, ps.Std, k+1, 100*ps.Coverage95)
	}
	if e.Problem == "heat" {
		fmt.Fprintf(w, "  speed         finite-volume solve %.0f µs; forward map on the same grid %.0f µs/z (batch %d): %.1fx\n",
			e.FEMMicrosPerSolve, e.NNMicrosPerTheta, e.NNBatch, e.SpeedUp)
		return
	}
	fmt.Fprintf(w, "                κ rel L2 mean %.3g%%, log κ rel mean %.3g%% (noise %.3g of scale)\n", 100*e.InverseKappaRelL2.Mean, 100*e.InverseLogKappaRel.Mean, e.NoiseY)
	fmt.Fprintf(w, "  speed         FEM %.1f µs/solve; forward map %.2f µs/θ (batch %d), %.1f µs single: %.0fx (batched), %.1fx (single)\n",
		e.FEMMicrosPerSolve, e.NNMicrosPerTheta, e.NNBatch, e.NNMicrosSingle, e.SpeedUp, e.SpeedUpSingle)
}

func pinnCmd() *cobra.Command {
	var f pinnFlags
	return f.command()
}

// pinnFlags are the flags of erg pde pinn: those of a new run's pinn.Config and
// pinn.ProblemOptions (a benchmark's defaults are filled in by the library for flags
// left unset).
type pinnFlags struct {
	run                  runFlags
	hidden               string
	f32                  bool
	cfg                  pinn.Config
	opt                  pinn.ProblemOptions
	resample, lbfgs, rar int
}

func (f *pinnFlags) command() *cobra.Command {
	bench := pinn.Benchmarks()
	def := func(b string, v func(pinn.Config) *int) string { return strconv.Itoa(*v(pinn.DefaultConfig(b))) }
	perBench := func(v func(pinn.Config) *int) string {
		var s []string
		for _, b := range bench {
			s = append(s, b+" "+def(b, v))
		}
		return strings.Join(s, ", ")
	}
	resample := func(c pinn.Config) *int { return c.Resample }
	lbfgs := func(c pinn.Config) *int { return c.LBFGS }
	rar := func(c pinn.Config) *int { return c.RAR }
	c := &cobra.Command{
		Use:   "pinn BENCHMARK",
		Short: "physics-informed neural network on a benchmark, scored against a reference solution",
		Long: `Trains a PINN (Raissi et al. 2019): a network u(x) whose loss is the mean-square PDE
residual (derivatives by automatic differentiation) at collocation points plus weighted
boundary and initial terms; Adam, then optionally L-BFGS. Benchmarks:
  burgers    u_t + u u_x = (0.01/π) u_xx, x ∈ [−1,1], t ∈ [0,1], u(x,0) = −sin(πx), u(±1,t) = 0;
             reference: the Cole–Hopf solution by quadrature on Raissi's 256×100 grid.
             --inverse learns ν from noisy samples of the solution.
  poisson2d  −Δu = 1 on the unit square, u = 0 on the boundary; reference: its double
             sine series on a 101×101 grid.
The relative L2 error against the reference and the training time are reported.
burgers defaults to --resample ` + def("burgers", resample) + ` --lbfgs ` + def("burgers", lbfgs) + ` --rar ` + def("burgers", rar) + ` (fixed points let the shock drift;
see docs/results.md); give a flag to override.`,
		Example: "  erg pde pinn burgers\n  erg pde pinn burgers --resample 0 --rar 0 --lbfgs 5000\n  erg pde pinn poisson2d --steps 5000 --lbfgs 2000 --json\n  erg pde pinn burgers --inverse --noise 0.01",
		Args:    oneOrResume("erg pde pinn", "BENCHMARK", bench, &f.run),
		RunE: trainE(f.options, pinn.Run, func(cmd *cobra.Command, out *pinn.Outcome) {
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "%s: relative L2 error %.4g (max |error| %.3g) against %s\n", out.Benchmark, out.RelL2, out.MaxAbsErr, out.Reference)
			for k, v := range out.Coef {
				fmt.Fprintf(w, "  learned %s = %.6g", k, v)
				if tv, ok := out.TrueCoef[k]; ok {
					fmt.Fprintf(w, " (true %.6g, error %.2g%%)", tv, 100*math.Abs(v-tv)/tv)
				}
				fmt.Fprintln(w)
			}
			fmt.Fprintf(w, "training: %d Adam steps (%.2f ms/step) + %d L-BFGS iterations, %.1f s, %d points, %d parameters\nrun: %s\nreport: %s\n",
				out.AdamSteps, out.StepMillis, out.LBFGSIters, out.Seconds, out.Points, out.Parameters, out.RunDir, out.Report)
		}),
	}
	d, o := pinn.DefaultConfig(""), pinn.DefaultOptions("")
	var colloc []string
	for _, b := range bench {
		colloc = append(colloc, fmt.Sprintf("%s %d", b, pinn.DefaultOptions(b).Collocation))
	}
	fl := c.Flags()
	f.run.register(fl, "pinn-BENCHMARK")
	fl.Uint64Var(&f.cfg.Seed, "seed", d.Seed, "seed of initialisation and collocation points")
	fl.IntVar(&f.cfg.Steps, "steps", d.Steps, "Adam steps")
	fl.IntVar(&f.lbfgs, "lbfgs", 0, "L-BFGS iterations after Adam (default "+perBench(lbfgs)+")")
	fl.IntVar(&f.rar, "rar", 0, "residual-based adaptive refinement: split L-BFGS in RAR+1 rounds, adding points between them (default "+perBench(rar)+")")
	fl.IntVar(&f.cfg.RARPoints, "rar-points", d.RARPoints, "points added per refinement round")
	fl.Float64Var(&f.cfg.LR, "lr", d.LR, "Adam learning rate")
	fl.StringVar(&f.hidden, "hidden", joinInts(d.Hidden), "hidden layer sizes")
	fl.StringVar(&f.cfg.Activation, "activation", d.Activation, "hidden activation: "+strings.Join(pinn.Activations(), ", "))
	fl.StringVar(&f.cfg.Sampler, "sampler", d.Sampler, "collocation sampler: uniform, lhs, sobol")
	fl.IntVar(&f.resample, "resample", 0, "draw new collocation points every N steps, 0: fixed (default "+perBench(resample)+")")
	fl.IntVar(&f.opt.Collocation, "collocation", 0, "interior collocation points (default "+strings.Join(colloc, ", ")+")")
	fl.IntVar(&f.opt.Boundary, "boundary", o.Boundary, "points per boundary/initial term")
	fl.Float64Var(&f.opt.Weight, "weight", o.Weight, "weight of the boundary/initial terms")
	fl.BoolVar(&f.opt.Inverse, "inverse", false, "burgers: learn ν from noisy observations")
	fl.IntVar(&f.opt.Data, "data", o.Data, "observations for --inverse")
	fl.Float64Var(&f.opt.Noise, "noise", o.Noise, "observation noise std for --inverse; 0: none")
	fl.Uint64Var(&f.opt.Seed, "data-seed", o.Seed, "seed of the observations for --inverse")
	fl.BoolVar(&f.f32, "float32", false, "train in float32 (default float64)")
	return c
}

// options returns the run options of the command line: the flags given, the
// library's defaults (the benchmark's) for the others.
func (f *pinnFlags) options(cmd *cobra.Command, args []string) (pinn.RunOptions, error) {
	fs := cmd.Flags()
	if err := positive(fs, "steps", "lr", "rar-points", "collocation", "boundary", "weight", "data"); err != nil {
		return pinn.RunOptions{}, err
	}
	cfg := f.cfg
	hs, err := parseInts("hidden", f.hidden, 1)
	if err != nil {
		return pinn.RunOptions{}, err
	}
	cfg.Hidden = hs
	if f.f32 {
		cfg.DType = "float32"
	}
	set := func(flag string, v int) *int { // nil (the benchmark's default) unless given
		if !fs.Changed(flag) {
			return nil
		}
		return new(v)
	}
	cfg.Resample, cfg.LBFGS, cfg.RAR = set("resample", f.resample), set("lbfgs", f.lbfgs), set("rar", f.rar)
	opt := pinn.RunOptions{Run: f.run.options(cmd), Options: f.opt, Config: cfg, Command: commandLine()}
	if len(args) == 1 {
		opt.Benchmark = args[0]
	}
	if f.run.resume != "" { // only explicit flags change a resumed run
		if fs.Changed("steps") {
			opt.Steps = f.cfg.Steps
		}
		if fs.Changed("lbfgs") {
			opt.LBFGS = f.lbfgs
		}
	}
	return opt, nil
}
