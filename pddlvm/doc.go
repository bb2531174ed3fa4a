// Package pddlvm implements the physics-driven deep latent variable model (PDDLVM) of
// Vadeboncoeur et al. for parametric PDEs: a Gaussian forward map θ → u and a Gaussian
// inverse map u → θ, both amortised by neural networks, trained together by maximising
// an evidence lower bound in which the discretised PDE residual r(u, θ) is an
// observation of zero with a user-set covariance σ_r² I. Training needs no PDE solves;
// after training, one network evaluation replaces a finite-element solve.
//
// The model, for θ drawn from its prior p(θ) and u from the forward map
// q(u | θ) = N(μ(θ), Σ(θ)) with Σ diagonal or diagonal plus low rank:
//
//	ELBO = E_{p(θ) q(u|θ)} [ log N(r(u, θ); 0, σ_r² I) + log p(θ | u) ] + H[q(u | θ)],
//
// where p(θ | u) = N(m(u), diag s²(u)) is the inverse map and H the entropy of the
// forward map (computed in closed form; the reparameterisation trick carries
// gradients through the samples of u).
//
// The residual covariance is σ_r² I as in the paper, or, with Config.Whiten,
// σ_r² UScale² A₀A₀ᵀ with A₀ the stiffness matrix of the mean field κ(x; 0): the
// whitened residual A₀⁻¹r(u, θ) has the units of u, so the posterior of u given θ is
// close to isotropic with standard deviation ≈ σ_r·UScale and the likelihood is well
// conditioned. This costs one factorisation of a θ-independent matrix before training
// (no solve for any θ) and makes the forward map train orders of magnitude faster:
// on poisson1d, 2,000 steps reach 1.2% relative error with whitening against 90%
// without.
//
// The residual is built inside the GoMLX graph (Disc.Residual): P1 finite elements on
// meshes of package fem/mesh, gathered and scattered over the cell connectivity, with
// the conductivity κ(x; θ) given by a truncated Karhunen–Loève expansion (KL) and
// evaluated at the same quadrature points fem uses, so that r matches fem's assembled
// A(θ)u − b to round-off. Package fem provides the reference solutions (ground truth
// on held-out θ) used by Evaluate.
//
// Problems: poisson1d, poisson2d and nonlinear2d (NewProblem) on P1 meshes, and
// heat, the paper's time-dependent nonlinear problem with the PINN discretisation
// (Heat, NewHeat): a neural field whose residual is computed from forward-mode
// Taylor derivatives (package pinn), checked against a finite-volume solver. One
// Config serves both kinds, with per-problem defaults (Config.For, DefaultConfig).
//
// Run is a training run of package run's Experiment: its configuration is validated
// (RunConfig.Validate) before its directory is made, it can be resumed from its
// checkpoint, and it ends with the evaluation's figures, summary and report.
//
// Evaluate measures, on held-out θ never seen in training, the relative L2 error of
// the forward-map mean against fem, the fraction of nodes whose reference value lies
// in the 95% band, the recovery of θ (and κ) by the inverse map from noisy
// observations with its band coverage, and the time of a batched forward-map call
// against a fem solve.
//
// References:
//   - A. Vadeboncoeur, Ö. D. Akyildiz, I. Kazlauskaite, M. Girolami, F. Cirak,
//     "Fully probabilistic deep models for forward and inverse problems in parametric
//     PDEs", J. Comput. Phys. 491 (2023) 112369; arXiv:2208.04856 (PDDLVM).
//   - D. P. Kingma, M. Welling, "Auto-encoding variational Bayes", ICLR 2014
//     (reparameterisation trick).
//   - C. Schwab, R. A. Todor, "Karhunen–Loève approximation of random fields by
//     generalized fast multipole methods", J. Comput. Phys. 217 (2006) (KL expansion,
//     Nyström discretisation).
package pddlvm
