// Package dip computes Hartigan's dip statistic of unimodality and its p-value.
//
// Statistic is a line-by-line port of the C routine diptst of R's diptest package
// (version 0.76, M. Maechler), itself Hartigan's algorithm AS 217 with the two published
// corrections (the 1994 fix of an infinite loop for unimodal data and the 2003 fix of a
// misplaced parenthesis). It works on the sorted sample in O(n) after sorting, and returns
// the same value as R's dip(x) bit for bit for the samples in testdata. The modal interval
// [x[Lo], x[Hi]] is returned too.
//
// Test gives p-values in two ways: by interpolation in a table of quantiles of the dip of
// uniform samples (the null least favourable for unimodality), exactly as R's
// dip.test(x) interpolates in its qDiptab (linearly in n on the sqrt(n)·D scale, linearly
// in probability); or by simulating B uniform samples (dip.test(x, simulate.p.value =
// TRUE)), in parallel with per-replicate seeded streams. The quantile table in table.go
// was made by erg itself with internal/gentable (see there for its size); R's own table
// used 10^6 samples per n, so table p-values agree with R's to Monte Carlo error.
//
// References:
//
//   - Hartigan, J.A. and Hartigan, P.M. (1985). The dip test of unimodality. Ann. Statist.
//     13, 70–84.
//   - Hartigan, P.M. (1985). Algorithm AS 217: computation of the dip statistic to test for
//     unimodality. Appl. Statist. 34, 320–325.
//   - Maechler, M. (2021). diptest: Hartigan's dip test statistic for unimodality —
//     corrected. R package version 0.76-0.
package dip
