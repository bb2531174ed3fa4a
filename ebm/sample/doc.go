// Package sample draws samples from unnormalised densities p(x) ∝ exp(−U(x)) given
// by an energy U written as a GoMLX graph function: unadjusted Langevin (ULA), the
// Metropolis-adjusted Langevin algorithm (MALA) and Hamiltonian Monte Carlo (HMC,
// leapfrog), with step-size adaptation for MALA and HMC.
//
// Each sampler runs many chains in parallel (one per row of a batch) and unrolls
// several steps inside one compiled graph, so the per-call overhead of the backend is
// paid once per Unroll steps. The graph-level steps (Langevin, ULAStep, MALAStep,
// HMCStep) are exported for use inside other graphs, such as the short-run Langevin
// chains of contrastive divergence.
//
// Conventions: a Langevin step of size ε is x′ = x − (ε/2)∇U(x) + √ε ξ, ξ ~ N(0, I)
// (as in the energy-discrepancy code's contrastive divergence); MALA accepts x′ with
// probability min(1, exp(U(x) − U(x′)) q(x|x′)/q(x′|x)), q(x′|x) = N(x − (ε/2)∇U(x), εI);
// HMC uses unit mass, L leapfrog steps of size ε and accepts with probability
// min(1, exp(H − H′)), H = U + |p|²/2. Adaptation (during burn-in only) moves log ε by
// 1.5·(acceptance − target) after every few steps, the acceptance being averaged over
// all chains, and then fixes ε to the geometric mean over the last quarter of burn-in,
// so the recorded steps are a proper Markov chain.
//
// References:
//   - Roberts & Tweedie, "Exponential convergence of Langevin distributions and their
//     discrete approximations", Bernoulli 2(4), 1996 (ULA, MALA).
//   - Roberts & Rosenthal, "Optimal scaling of discrete approximations to Langevin
//     diffusions", JRSS B 60(1), 1998 (MALA's optimal acceptance 0.574).
//   - Neal, "MCMC using Hamiltonian dynamics", Handbook of MCMC, 2011 (HMC, leapfrog).
//   - Andrieu & Thoms, "A tutorial on adaptive MCMC", Statistics and Computing 18, 2008
//     (Robbins–Monro step-size adaptation).
package sample
