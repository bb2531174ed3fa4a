// Package simstudy is the simulation harness comparing estimators of the number of modes
// on the 15 Marron–Wand normal mixtures: for every density, sample size and method it
// records the fraction of replicates whose estimated number of modes equals the true one
// (as in the simulation study of Chacón and Fernández Serrano, and of Ameijeiras-Alonso
// et al. for the tests).
//
// Test-based methods estimate the number of modes by sequential testing at level α
// (modetest.EstimateModes); the Bayesian ones report the posterior mode of the number of
// modes. Replicate r of density d at size n uses its own seeded stream, so a table is
// reproducible for a given seed whatever the number of workers.
//
// References:
//
//   - Marron, J.S. and Wand, M.P. (1992). Exact mean integrated squared error. Ann.
//     Statist. 20, 712–736.
//   - Chacón, J.E. and Fernández Serrano, J. (2023). Bayesian taut splines for estimating
//     the number of modes. arXiv:2307.05825.
package simstudy
