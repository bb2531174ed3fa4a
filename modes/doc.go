// Package modes estimates and tests the number of modes of a univariate density.
//
// The root package holds what every method shares: reading and validating a sample
// (ReadCSV, Check; errors name the file, line and field), locating the modes and
// antimodes of a function tabulated on a grid (Extrema, CountModes), and a deterministic
// parallel loop for bootstrap and Monte Carlo replicates (Replicates) whose results do
// not depend on GOMAXPROCS.
//
// The methods live in subpackages:
//
//   - kde: Gaussian kernel density estimation (exact, or binned + FFT as R's density()),
//     bandwidth rules (Silverman's rule of thumb, Sheather–Jones), the critical bandwidth
//     h_k of k modes, mode and antimode locations, and the mode tree.
//   - dip: Hartigan's dip statistic (a port of AS 217 as corrected in R's diptest) with
//     p-values from a table of the null distribution or by simulation.
//   - modetest: tests of H0 "k modes" with bootstrap p-values: Silverman's critical
//     bandwidth test (with Hall–York calibration), the dip test and the excess-mass test of
//     Ameijeiras-Alonso, Crujeiras and Rodríguez-Casal (ACR).
//   - bts: Bayesian taut splines, a posterior over the number of modes from a log-spline
//     (clr) density with taut-string knots and a prior on the number of modes.
//   - mixture: a sparse finite Gaussian mixture by Gibbs sampling, counting modes per draw
//     as BayesMultiMode does.
//   - marronwand: the 15 normal-mixture test densities of Marron and Wand (1992).
//   - simstudy: the simulation harness comparing methods on the Marron–Wand densities.
//   - rdata: the real data sets (galaxies, faithful, geyser, acidity, stamps) exported from
//     Debian's R packages.
//   - modeplot: plots (density with credible band, posterior over the number of modes,
//     mode locations, mode tree, accuracy curves).
//   - casestudy: a full report for one sample (all methods, figures, report.md).
//   - modesbench: the speed workloads of "erg bench modes", timed against R.
//
// The root package also has the convergence diagnostics shared by the samplers (RHat,
// ESS), PruneModes (modes carrying at least a given excess mass) and Num/Nums (floats
// whose NaN encodes as JSON null).
//
// References:
//
//   - Chacón, J.E. and Fernández Serrano, J. (2023). Bayesian taut splines for estimating
//     the number of modes. arXiv:2307.05825 (Computational Statistics & Data Analysis).
//   - Silverman, B.W. (1981). Using kernel density estimates to investigate multimodality.
//     J. R. Statist. Soc. B 43, 97–99.
//   - Hartigan, J.A. and Hartigan, P.M. (1985). The dip test of unimodality. Ann. Statist.
//     13, 70–84.
//   - Ameijeiras-Alonso, J., Crujeiras, R.M. and Rodríguez-Casal, A. (2019). Mode testing,
//     critical bandwidth and excess mass. TEST 28, 900–919.
//   - Ameijeiras-Alonso, J., Crujeiras, R.M. and Rodríguez-Casal, A. (2021). multimode: an R
//     package for mode assessment. J. Statist. Software 97(9).
//   - Cross, N., Kamber, P. and Labonne, P. (2024). BayesMultiMode: Bayesian mode inference
//     in R.
//   - Marron, J.S. and Wand, M.P. (1992). Exact mean integrated squared error. Ann.
//     Statist. 20, 712–736.
package modes
