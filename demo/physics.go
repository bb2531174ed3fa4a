package demo

import (
	"context"
	"fmt"
	"io"
	"math"
	"path/filepath"

	"github.com/ergml/erg/backend"
	"github.com/ergml/erg/pddlvm"
	"github.com/ergml/erg/pinn"
	"github.com/ergml/erg/run"
)

func init() {
	Register(Step{Name: "pddlvm", Title: "Physics-driven latent variable model (paper 02): PDDLVM forward and inverse maps of 1-D Poisson, against FEM", Run: pddlvmStep})
	Register(Step{Name: "pinn", Title: "Physics-informed neural network (paper 08): PINN for −Δu = 1 on the unit square, against its sine series", Run: pinnStep})
}

// pddlvmRun sets the size of the pddlvm step: optimizer steps, the learning-rate halving
// interval and held-out θ. The demo's run is 3000 of erg pde pddlvm train's 20000
// steps; it halves the rate every 1000 steps rather than every Steps/10 (which in a
// short run leaves the rate at 1e-3/2¹⁰ for the last steps: 2000 steps reach 4% error
// with it and 1.4% with a 700-step interval). Tests may shorten it further.
var pddlvmRun = struct{ Steps, DecayEvery, Tests int }{Steps: 3000, DecayEvery: 1000, Tests: 100}

// pinnRun sets the size of the pinn step: Adam steps and rate, L-BFGS iterations, points
// and network. erg pde pinn's defaults are 10000 Adam steps at 1e-3, 2000 interior and
// 4×100 boundary points, a 20-20-20-20 network; the demo's run is far shorter, on fewer
// points, with the boundary terms weighted 10 (their error dominates short runs).
var pinnRun = struct {
	Steps, LBFGS, Collocation, Boundary int
	LR, Weight                          float64
	Hidden                              []int
}{Steps: 400, LBFGS: 500, Collocation: 500, Boundary: 50, LR: 5e-3, Weight: 10, Hidden: []int{20, 20, 20}}

// runFigures turns figure files of a run directory into demo figures relative to dir.
func runFigures(dir, runDir string, files []string, captions map[string]string) ([]Figure, error) {
	var out []Figure
	for _, f := range files {
		rel, err := filepath.Rel(dir, filepath.Join(runDir, f))
		if err != nil {
			return nil, err
		}
		out = append(out, Figure{File: rel, Caption: captions[f]})
	}
	return out, nil
}

func pddlvmStep(ctx context.Context, dir string, opt Options) (Result, error) {
	be, err := backend.New(opt.Backend)
	if err != nil {
		return Result{}, err
	}
	r := pddlvmRun
	out, err := pddlvm.Run(ctx, be, pddlvm.RunOptions{Run: run.Options{Root: dir, Name: "pddlvm-poisson1d", Progress: io.Discard, Quiet: true},
		Problem: "poisson1d",
		// as erg pde pddlvm train: whitened residual, σ_r = 0.01, 64-64-64 maps, batch 32
		Config:  pddlvm.Config{Steps: r.Steps, DecayEvery: r.DecayEvery, Seed: opt.Seed, Whiten: new(true)},
		Eval:    pddlvm.EvalOptions{Tests: r.Tests},
		Command: "erg demo (pddlvm step)"})
	if err != nil {
		return Result{}, err
	}
	e := out.Eval
	res := Result{RunDir: out.RunDir, Numbers: map[string]any{
		"problem": e.Problem, "steps": out.Steps, "train_seconds": out.Seconds, "step_ms": out.StepMillis, "joules": out.Joules,
		"tests": e.Tests, "forward_rel_l2_mean": e.ForwardRelL2.Mean, "forward_rel_l2_median": e.ForwardRelL2.Median,
		"forward_rel_l2_max": e.ForwardRelL2.Max, "forward_coverage_95": e.ForwardCoverage95,
		"inverse_theta_rmse": e.InverseThetaRMSE, "prior_theta_rmse": e.PriorThetaRMSE, "inverse_coverage_95": e.InverseCoverage95,
		"fem_us_per_solve": e.FEMMicrosPerSolve, "nn_us_per_theta": e.NNMicrosPerTheta, "speedup": e.SpeedUp, "speedup_single": e.SpeedUpSingle}}
	res.Headline = fmt.Sprintf("short run: %d steps (%.1f s; erg pde pddlvm train default 20000) on 1-D Poisson with a random log κ (4 KL terms, %d unknowns); on %d held-out θ: forward-map rel. L2 error vs FEM %.2f%% mean (max %.2f%%), 95%% band covers FEM at %.0f%% of nodes, inverse θ RMSE %.2f (prior %.2f), forward map %.0fx faster than a FEM solve (batched; %.1fx single)",
		out.Steps, out.Seconds, e.Unknown, e.Tests, 100*e.ForwardRelL2.Mean, 100*e.ForwardRelL2.Max, 100*e.ForwardCoverage95,
		e.InverseThetaRMSE, e.PriorThetaRMSE, e.SpeedUp, e.SpeedUpSingle)
	if !math.IsNaN(out.Joules) && out.Joules > 0 {
		res.Headline += fmt.Sprintf(", %.0f J", out.Joules)
	}
	res.Figures, err = runFigures(dir, out.RunDir, e.Figures, map[string]string{
		"forward.png":  "Forward map on held-out θ: FEM solution and PDDLVM mean with 95% band",
		"inverse.png":  "Inverse map from noisy observations: true κ and κ at the inverse-map mean with 95% band",
		"fields_1.png": "Held-out θ #1: FEM solution, PDDLVM mean, std and error; true and recovered κ",
		"fields_2.png": "Held-out θ #2: FEM solution, PDDLVM mean, std and error; true and recovered κ",
	})
	return res, err
}

func pinnStep(ctx context.Context, dir string, opt Options) (Result, error) {
	be, err := backend.New(opt.Backend)
	if err != nil {
		return Result{}, err
	}
	r := pinnRun
	out, err := pinn.Run(ctx, be, pinn.RunOptions{Run: run.Options{Root: dir, Name: "pinn-poisson2d", Progress: io.Discard, Quiet: true},
		Benchmark: "poisson2d",
		Options:   pinn.ProblemOptions{Collocation: r.Collocation, Boundary: r.Boundary, Weight: r.Weight},
		Config:    pinn.Config{Hidden: r.Hidden, Steps: r.Steps, LR: r.LR, LBFGS: new(r.LBFGS), Seed: opt.Seed},
		Command:   "erg demo (pinn step)"})
	if err != nil {
		return Result{}, err
	}
	res := Result{RunDir: out.RunDir, Numbers: map[string]any{"benchmark": out.Benchmark, "rel_l2": out.RelL2, "max_abs_err": out.MaxAbsErr,
		"adam_steps": out.AdamSteps, "lbfgs_iterations": out.LBFGSIters, "train_seconds": out.Seconds, "joules": out.Joules,
		"collocation_points": out.Points, "parameters": out.Parameters}}
	arch := "2"
	for _, h := range r.Hidden {
		arch += fmt.Sprintf("-%d", h)
	}
	res.Headline = fmt.Sprintf("short run: %d Adam steps + %d L-BFGS iterations (%.1f s), MLP %s-1 (tanh), %d points: relative L2 error %.2g%% (max |error| %.2g, max u 0.074) against %s",
		out.AdamSteps, out.LBFGSIters, out.Seconds, arch, out.Points, 100*out.RelL2, out.MaxAbsErr, out.Reference)
	res.Figures, err = runFigures(dir, out.RunDir, out.Figures, map[string]string{
		"fields.png": "PINN solution, reference (double sine series) and their difference on the 101×101 grid",
	})
	return res, err
}
