// Package modetest tests H0 "the density has (at most) k modes" with bootstrap p-values.
//
//   - Silverman: the critical bandwidth h_k is the statistic; bootstrap samples are drawn
//     from the kernel estimate at h_k (smoothed bootstrap, with Silverman's variance
//     correction by default) and the p-value is the fraction whose estimate at h_k has more
//     than k modes, which for the Gaussian kernel equals P*(h*_k > h_k). For k = 1 the
//     Hall–York (2001) calibration compares with λ(α)·h_1 instead, λ from their fitted
//     rational function (method 1 of multimode's "HY"), so the test has level close to α.
//   - Dip: Hartigan's dip test of unimodality (package dip), table or simulated p-value.
//   - ACR: the excess-mass statistic Δ_{k+1} = max_λ {E_{k+1}(λ) − E_k(λ)} of Müller and
//     Sawitzki, computed exactly (E_m(λ), the largest excess mass of m disjoint intervals,
//     is the upper envelope of lines found by a dynamic program; Δ is maximised over its
//     breakpoints), calibrated as Ameijeiras-Alonso, Crujeiras and Rodríguez-Casal (2019)
//     by a smoothed bootstrap from the kernel estimate at the critical bandwidth h_k. This
//     is the resampling of multimode's original "NP" implementation; multimode ≥ 1.4
//     additionally flattens that estimate near degenerate critical points, which is not
//     done here.
//
// Estimate turns a test into an estimate of the number of modes by testing k = 1, 2, ...
// at level α and returning the first k not rejected (the dip test can only say 1 or "at
// least 2", reported as 2).
//
// Bootstrap replicates run in parallel; replicate i uses the stream PCG(seed, i+1), so
// p-values are identical for any number of workers.
//
// References:
//
//   - Silverman, B.W. (1981). Using kernel density estimates to investigate multimodality.
//     J. R. Statist. Soc. B 43, 97–99.
//   - Hall, P. and York, M. (2001). On the calibration of Silverman's test for multimodality.
//     Statistica Sinica 11, 515–536.
//   - Hartigan, J.A. and Hartigan, P.M. (1985). The dip test of unimodality. Ann. Statist. 13, 70–84.
//   - Müller, D.W. and Sawitzki, G. (1991). Excess mass estimates and tests for
//     multimodality. J. Amer. Statist. Assoc. 86, 738–746.
//   - Ameijeiras-Alonso, J., Crujeiras, R.M. and Rodríguez-Casal, A. (2019). Mode testing,
//     critical bandwidth and excess mass. TEST 28, 900–919.
//   - Ameijeiras-Alonso, J., Crujeiras, R.M. and Rodríguez-Casal, A. (2021). multimode: an R
//     package for mode assessment. J. Statist. Software 97(9).
package modetest
