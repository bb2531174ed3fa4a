// Package bts estimates the number of modes of a univariate density with Bayesian taut
// splines, after Chacón and Fernández Serrano (2023): a taut-string pre-fit places the
// knots, the density is a spline in the centred log-ratio (clr) space of densities, and
// MCMC gives a posterior over the number of modes, over their locations and over the
// density, with a prior on the number of modes for expert judgement and Bayes factors for
// k against k+1 modes.
//
// The seed paper has no public code; this package follows its ingredients with choices of
// its own, which are:
//
//   - Support and data: the sample is mapped to [0,1] on [min − 0.1·range, max + 0.1·range]
//     and binned in Bins (200) cells for the likelihood (exact up to binning).
//   - Knots: the taut string of the empirical distribution function with tube radius
//     TautC/√n (Davies and Kovac 2004; TautString) is the path of fewest modes within the
//     tube; its vertices crowd where the distribution function bends (sharp peaks, edges)
//     and are taken as interior knots (evenly thinned to at most Knots, topped up with
//     sample quantiles when the string has few vertices).
//   - Density: log f = Σ β_j B_j − log ∫ exp(Σ β_j B_j) with cubic B-splines B_j. The
//     coefficients are restricted to the subspace where Σ β_j ∫B_j = 0, i.e. the clr
//     transform of f is the spline itself and it lies in the zero-integral space spanned
//     by ZB-splines (Machalová et al. 2021); f is positive and integrates to one by
//     construction.
//   - Smoothing prior: a second-order random walk on the coefficients (P-spline penalty,
//     precision τ ~ Gamma(1, 0.005)) plus a weak N(0, 100) prior on its null space (the
//     linear trend of log f).
//   - Posterior: Hamiltonian Monte Carlo on (θ, log τ) jointly, whitened by the Hessian at
//     the posterior mode, step size adapted during burn-in, several chains in parallel.
//     Split R̂ and the effective sample size of the log posterior, log τ and the number of
//     modes are reported.
//   - Modes of a draw: local maxima of the draw's density carrying excess mass at least
//     MinExcessMass (1/n; modes.PruneModes), so that bumps lighter than one observation —
//     which a log-spline makes freely in sparse tails — do not count.
//   - Prior on the number of modes: the smoothing prior induces one, π0(k), estimated by
//     simulation (BasePrior; about two thirds on one mode, so it favours few modes). A
//     prior π(k) of the analyst's (PriorK, or geometric PriorRatio) replaces it by
//     weighting every draw by π(k)/π0(k); the marginal prior of the number of modes is then
//     exactly π. Bayes factors of k against k+1 modes are posterior odds over prior odds
//     and do not depend on π.
//
// References:
//
//   - Chacón, J.E. and Fernández Serrano, J. (2023). Bayesian taut splines for estimating
//     the number of modes. arXiv:2307.05825 (Computational Statistics & Data Analysis).
//   - Davies, P.L. and Kovac, A. (2004). Densities, spectral densities and modality. Ann.
//     Statist. 32, 1093–1136.
//   - Machalová, J., Talská, R., Hron, K. and Gába, A. (2021). Compositional splines for
//     representation of density functions. Comput. Statist. 36, 1031–1064.
//   - Lang, S. and Brezger, A. (2004). Bayesian P-splines. J. Comput. Graph. Statist. 13, 183–212.
//   - Neal, R.M. (2011). MCMC using Hamiltonian dynamics. Handbook of MCMC, ch. 5.
//   - Müller, D.W. and Sawitzki, G. (1991). Excess mass estimates and tests for
//     multimodality. J. Amer. Statist. Assoc. 86, 738–746.
package bts
