package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"os/signal"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/pddlvm"
	"github.com/ergml/erg/pinn"
	"github.com/ergml/erg/run"
)

func init() {
	pdeCmd.AddCommand(pddlvmCmd(), pinnCmd())
}

func interruptContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt)
}

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
	c.AddCommand(pddlvmTrainCmd(), pddlvmEvalCmd())
	return c
}

type pddlvmFlags struct {
	name, root, resume, hidden     string
	seed                           uint64
	steps, rank, batch, decayEvery int
	cells, terms                   int
	sigmaR, lr                     float64
	whiten, forwardOnly, coupled   bool
	tests                          int
	noise                          float64
}

func (f *pddlvmFlags) evalFlags(c *cobra.Command) {
	c.Flags().IntVar(&f.tests, "tests", 100, "held-out θ for the evaluation")
	c.Flags().Float64Var(&f.noise, "noise", 0.01, "observation noise of the inverse problem, relative to the solution scale: the inverse map is trained for it (train) and tested with it (eval); negative at train: none")
}

func parseInts(s string) ([]int, error) {
	var out []int
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	for _, p := range strings.Split(s, ",") {
		var v int
		if _, err := fmt.Sscanf(strings.TrimSpace(p), "%d", &v); err != nil || v <= 0 {
			return nil, usagef("--hidden %q: want positive integers separated by commas", s)
		}
		out = append(out, v)
	}
	return out, nil
}

func pddlvmTrainCmd() *cobra.Command {
	var f pddlvmFlags
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
               unset flags take its own defaults (4×64 tanh, 8 z per step, 10000 steps, σ_r 0.04, lr halved every 2500)
With --resume RUNDIR the run continues from its checkpoint (the problem and
configuration come from the run directory; --steps may raise the total).`,
		Example: "  erg pde pddlvm train poisson1d --steps 20000 --whiten\n  erg pde pddlvm train poisson2d --name p2 --steps 30000 --json\n  erg pde pddlvm train --resume runs/20261129-050000-p2",
		Args: func(cmd *cobra.Command, args []string) error {
			if f.resume != "" {
				if len(args) > 0 {
					return usagef("erg pde pddlvm train: give a PROBLEM or --resume, not both")
				}
				return nil
			}
			if len(args) != 1 {
				return usagef("erg pde pddlvm train: want one PROBLEM (%s)", strings.Join(pddlvm.Problems(), ", "))
			}
			for _, p := range pddlvm.Problems() {
				if p == args[0] {
					return nil
				}
			}
			return usagef("erg pde pddlvm train: unknown problem %q (have %s)", args[0], strings.Join(pddlvm.Problems(), ", "))
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			be, err := backend.New(flagBackend)
			if err != nil {
				return err
			}
			hidden, err := parseInts(f.hidden)
			if err != nil {
				return err
			}
			opt := pddlvm.RunOptions{Root: f.root, Name: f.name, Resume: f.resume,
				Options: pddlvm.Options{Cells: f.cells, Terms: f.terms},
				Config: pddlvm.Config{Hidden: hidden, Rank: f.rank, SigmaR: f.sigmaR, Batch: f.batch, Steps: f.steps,
					LR: f.lr, DecayEvery: f.decayEvery, Seed: f.seed, Whiten: f.whiten, ForwardOnly: f.forwardOnly, ObsNoise: f.noise, CoupledInverse: f.coupled},
				Eval:    pddlvm.EvalOptions{Tests: f.tests, NoiseY: f.noise},
				Command: "erg " + strings.Join(os.Args[1:], " "),
				Quiet:   flagJSON,
			}
			if len(args) == 1 {
				opt.Problem = args[0]
			}
			if f.resume != "" && cmd.Flags().Changed("steps") { // only an explicit --steps changes a resumed run
				opt.Steps = f.steps
			}
			ctx, stop := interruptContext()
			defer stop()
			out, err := pddlvm.Run(ctx, be, opt)
			if err != nil {
				return err
			}
			if flagJSON {
				return printJSON(out)
			}
			printPDDLVMEval(cmd, out.Eval)
			fmt.Fprintf(cmd.OutOrStdout(), "training: %d steps, %.1f s (%.2f ms/step)\nrun: %s\nreport: %s\n",
				out.Steps, out.Seconds, out.StepMillis, out.RunDir, out.Report)
			return nil
		},
	}
	fl := c.Flags()
	fl.StringVar(&f.name, "name", "", "run name (default pddlvm-PROBLEM)")
	fl.StringVar(&f.root, "root", run.DefaultRoot, "directory holding the runs")
	fl.StringVar(&f.resume, "resume", "", "continue the run in this directory from its checkpoint")
	fl.Uint64Var(&f.seed, "seed", 1, "seed of θ batches, initialisation and sampling noise")
	fl.IntVar(&f.steps, "steps", 0, "optimizer steps (0: the problem's default, 20000; heat 10000)")
	fl.IntVar(&f.rank, "rank", 0, "low-rank factors of the forward-map covariance (0: diagonal)")
	fl.IntVar(&f.batch, "batch", 0, "θ samples per step (0: the problem's default, 32; heat 8)")
	fl.IntVar(&f.cells, "cells", 0, "cells per side (0: problem default)")
	fl.IntVar(&f.terms, "terms", 0, "Karhunen–Loève terms d (0: problem default)")
	fl.Float64Var(&f.sigmaR, "sigma-r", 0, "residual standard deviation σ_r, relative to the solution scale with --whiten (0: 0.01; heat 0.04)")
	fl.Float64Var(&f.lr, "lr", 0, "Adam learning rate, halved every --decay-every steps (0: 0.001)")
	fl.IntVar(&f.decayEvery, "decay-every", 0, "halve the learning rate every this many steps (0: steps/4)")
	fl.BoolVar(&f.whiten, "whiten", true, "residual covariance σ_r² A₀A₀ᵀ (A₀: stiffness of the mean field) instead of σ_r² I")
	fl.StringVar(&f.hidden, "hidden", "", "hidden layer sizes of both maps (default 64,64,64; heat: of the forward map, default 64,64,64,64)")
	fl.BoolVar(&f.forwardOnly, "forward-only", false, "train the forward map alone (no inverse map)")
	fl.BoolVar(&f.coupled, "coupled-inverse", false, "let the inverse map's term train the forward map too (the plain ELBO; overconfident inverse bands)")
	f.evalFlags(c)
	return c
}

func pddlvmEvalCmd() *cobra.Command {
	var f pddlvmFlags
	c := &cobra.Command{
		Use:     "eval RUN",
		Short:   "evaluate a trained PDDLVM run on held-out θ against FEM (accuracy, calibration, inverse recovery, speed)",
		Example: "  erg pde pddlvm eval runs/20261129-050000-pddlvm-poisson1d\n  erg pde pddlvm eval poisson1d --tests 200 --json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			be, err := backend.New(flagBackend)
			if err != nil {
				return err
			}
			rd, err := run.Resolve(f.root, args[0])
			if err != nil {
				return err
			}
			e, rep, err := pddlvm.EvalRun(be, rd, pddlvm.EvalOptions{Tests: f.tests, NoiseY: f.noise, Seed: f.seed})
			if err != nil {
				return err
			}
			if flagJSON {
				return printJSON(map[string]any{"run_dir": rd.Path, "report": rep, "eval": e})
			}
			printPDDLVMEval(cmd, e)
			fmt.Fprintf(cmd.OutOrStdout(), "run: %s\nreport: %s\n", rd.Path, rep)
			return nil
		},
	}
	c.Flags().StringVar(&f.root, "root", run.DefaultRoot, "directory holding the runs")
	c.Flags().Uint64Var(&f.seed, "seed", 0, "seed of the held-out θ (0: the default test set)")
	f.evalFlags(c)
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
	var (
		name, root, resume, hidden, sampler, act string
		seed, dataSeed                           uint64
		steps, lbfgs, colloc, boundary, resample int
		rar, rarPoints                           int
		data                                     int
		lr, weight, noise                        float64
		inverse, f32                             bool
	)
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
burgers defaults to --resample 100 --lbfgs 5000 --rar 4 (fixed points let the shock drift;
see docs/results.md); give a flag to override.`,
		Example: "  erg pde pinn burgers\n  erg pde pinn burgers --resample 0 --rar 0 --lbfgs 5000\n  erg pde pinn poisson2d --steps 5000 --lbfgs 2000 --json\n  erg pde pinn burgers --inverse --noise 0.01",
		Args: func(cmd *cobra.Command, args []string) error {
			if resume != "" {
				if len(args) > 0 {
					return usagef("erg pde pinn: give a BENCHMARK or --resume, not both")
				}
				return nil
			}
			if len(args) != 1 {
				return usagef("erg pde pinn: want one BENCHMARK (%s)", strings.Join(pinn.Benchmarks(), ", "))
			}
			for _, b := range pinn.Benchmarks() {
				if b == args[0] {
					return nil
				}
			}
			return usagef("erg pde pinn: unknown benchmark %q (have %s)", args[0], strings.Join(pinn.Benchmarks(), ", "))
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			be, err := backend.New(flagBackend)
			if err != nil {
				return err
			}
			hs, err := parseInts(hidden)
			if err != nil {
				return err
			}
			if _, err := pinn.NewSampler(sampler); err != nil {
				return usagef("erg pde pinn: %v", err)
			}
			dt := "float64"
			if f32 {
				dt = "float32"
			}
			if len(args) == 1 { // the benchmark's recommended settings for flags left unset
				rec := pinn.Recommended(args[0])
				if !cmd.Flags().Changed("resample") && rec.Resample > 0 {
					resample = rec.Resample
				}
				if !cmd.Flags().Changed("lbfgs") && rec.LBFGS > 0 {
					lbfgs = rec.LBFGS
				}
				if !cmd.Flags().Changed("rar") && rec.RAR > 0 {
					rar = rec.RAR
				}
			}
			opt := pinn.RunOptions{Root: root, Name: name, Resume: resume,
				Options: pinn.ProblemOptions{Collocation: colloc, Boundary: boundary, Weight: weight,
					Inverse: inverse, Data: data, Noise: noise, Seed: dataSeed},
				Config: pinn.Config{Hidden: hs, Activation: act, Sampler: sampler, Resample: resample, Steps: steps,
					LR: lr, LBFGS: lbfgs, RAR: rar, RARPoints: rarPoints, Seed: seed, DType: dt},
				Command: "erg " + strings.Join(os.Args[1:], " "), Quiet: flagJSON}
			if len(args) == 1 {
				opt.Benchmark = args[0]
			}
			if resume != "" { // only explicit flags change a resumed run
				if cmd.Flags().Changed("steps") {
					opt.Steps = steps
				}
				if cmd.Flags().Changed("lbfgs") {
					opt.LBFGS = lbfgs
				}
			}
			ctx, stop := interruptContext()
			defer stop()
			out, err := pinn.Run(ctx, be, opt)
			if err != nil {
				return err
			}
			if flagJSON {
				return printJSON(out)
			}
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
			return nil
		},
	}
	f := c.Flags()
	f.StringVar(&name, "name", "", "run name (default pinn-BENCHMARK)")
	f.StringVar(&root, "root", run.DefaultRoot, "directory holding the runs")
	f.StringVar(&resume, "resume", "", "continue the run in this directory from its checkpoint")
	f.Uint64Var(&seed, "seed", 1, "seed of initialisation and collocation points")
	f.IntVar(&steps, "steps", 10000, "Adam steps")
	f.IntVar(&lbfgs, "lbfgs", 0, "L-BFGS iterations after Adam")
	f.IntVar(&rar, "rar", 0, "residual-based adaptive refinement: split L-BFGS in RAR+1 rounds, adding points between them")
	f.IntVar(&rarPoints, "rar-points", 250, "points added per refinement round")
	f.Float64Var(&lr, "lr", 1e-3, "Adam learning rate")
	f.StringVar(&hidden, "hidden", "20,20,20,20", "hidden layer sizes")
	f.StringVar(&act, "activation", "tanh", "hidden activation")
	f.StringVar(&sampler, "sampler", "lhs", "collocation sampler: uniform, lhs, sobol")
	f.IntVar(&resample, "resample", 0, "draw new collocation points every N steps (0: fixed)")
	f.IntVar(&colloc, "collocation", 0, "interior collocation points (0: benchmark default)")
	f.IntVar(&boundary, "boundary", 0, "points per boundary/initial term (0: benchmark default)")
	f.Float64Var(&weight, "weight", 1, "weight of the boundary/initial terms")
	f.BoolVar(&inverse, "inverse", false, "burgers: learn ν from noisy observations")
	f.IntVar(&data, "data", 2000, "observations for --inverse")
	f.Float64Var(&noise, "noise", 0, "observation noise std for --inverse")
	f.Uint64Var(&dataSeed, "data-seed", 1, "seed of the observations for --inverse")
	f.BoolVar(&f32, "float32", false, "train in float32 (default float64)")
	return c
}
