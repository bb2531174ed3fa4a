// Package modesbench times the mode workloads of the speed targets in erg and,
// when R is installed, the same workloads in R (base R's density() and the diptest
// package), in one invocation, and returns the bench.Report of `erg bench modes`. The
// R peer is bench/peers/modes.R, embedded in the binary and run with Rscript on the
// very samples erg timed:
//
//   - silverman: Silverman's test of unimodality, B = 500 bootstrap resamples, n = 1000
//     (target <= 1 s on 2 cores). The R peer is the same algorithm written with
//     density(n = 1024): critical bandwidth by bisection, then 500 smoothed bootstrap
//     samples whose estimate at h_1 is checked for more than one mode (multimode's cbws
//     without the bisection per resample, which the Gaussian kernel makes unnecessary).
//   - dip: Hartigan's dip of n = 10^6 points, sorting included (target <= 1 s); R: dip(x).
//   - kde: a binned Gaussian kernel estimate of 10^6 points on 512 grid points; R: density().
//
// References:
//
//   - Silverman, B.W. (1981). J. R. Statist. Soc. B 43, 97–99.
//   - Maechler, M. (2021). diptest 0.76 (R package).
package modesbench
