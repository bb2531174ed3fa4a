// Package pinn trains physics-informed neural networks (PINNs): a network u(x) whose
// loss is the mean-square residual of a PDE at collocation points, plus weighted
// boundary, initial and data terms, after Raissi, Perdikaris & Karniadakis.
//
// A Problem is a box-shaped domain and a list of Terms. Each Term has points (fixed,
// or drawn in the domain or on one of its faces by a Sampler: Uniform, LatinHypercube
// or Sobol) and a Residual: a Go function of the network's Field, which gives u and
// its derivatives (Field.D, Field.D2, Field.Laplacian). Unknown coefficients of an
// inverse problem are scalars learned with the network (Problem.Coef). Training runs
// Adam through package train (checkpointed and resumable), then optionally L-BFGS.
//
// Derivatives come from one of two engines giving the same values: nested reverse-mode
// automatic differentiation of any network (NewField), or, for tanh and sin MLPs,
// forward-mode Taylor propagation of the first and second derivatives through the
// layers (TaylorMLP), which is several times faster on GoMLX's pure-Go backend.
//
// Benchmarks with references made here: the viscous Burgers equation with
// ν = 0.01/π against its Cole–Hopf solution (BurgersExact), and the Poisson problem
// −Δu = 1 on the unit square against its double sine series (PoissonSquareExact).
// Each has its own defaults (DefaultConfig, Config.For): Burgers resamples its points
// and refines them during L-BFGS, which fixed points need to follow the shock. Run
// trains one in a run of package run's Experiment (validated configuration,
// resumable from its checkpoint in either phase, metered, reported).
//
// References:
//   - M. Raissi, P. Perdikaris, G. E. Karniadakis, "Physics-informed neural networks: a
//     deep learning framework for solving forward and inverse problems involving
//     nonlinear partial differential equations", J. Comput. Phys. 378 (2019) 686–707.
//   - L. Lu, X. Meng, Z. Mao, G. E. Karniadakis, "DeepXDE: a deep learning library for
//     solving differential equations", SIAM Review 63 (2021) 208–228 (Burgers set-up:
//     2540 collocation points, Adam then L-BFGS).
//   - Z. Hao et al., "Physics-informed machine learning: a survey on problems, methods
//     and applications", arXiv:2211.08064 (2022).
//   - J. D. Cole, "On a quasi-linear parabolic equation occurring in aerodynamics",
//     Quart. Appl. Math. 9 (1951) 225–236; C. Basdevant et al., "Spectral and finite
//     difference solutions of the Burgers equation", Comput. Fluids 14 (1986) 23–41.
//   - M. D. McKay, R. J. Beckman, W. J. Conover, "A comparison of three methods for
//     selecting values of input variables", Technometrics 21 (1979) 239–245 (LHS).
//   - S. Joe, F. Y. Kuo, "Constructing Sobol sequences with better two-dimensional
//     projections", SIAM J. Sci. Comput. 30 (2008) 2635–2654.
package pinn
