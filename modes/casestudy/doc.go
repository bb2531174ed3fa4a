// Package casestudy writes a mode-analysis report for one sample: the kernel estimate
// and its mode tree with critical bandwidths, the Silverman, dip and excess-mass tests
// for k = 1..3, the Bayesian taut-spline posterior (density with 95% credible band,
// posterior over the number of modes against its prior, Bayes factors, posterior of the
// mode locations) and the sparse-mixture posterior for comparison, with convergence
// diagnostics — the figures of the case studies of Chacón and Fernández Serrano (2023).
//
// Output files in the report directory: report.md, summary.json, density.png,
// posterior_k.png, mode_locations.png, modetree.png, mixture.png.
//
// References:
//
//   - Chacón, J.E. and Fernández Serrano, J. (2023). Bayesian taut splines for estimating
//     the number of modes. arXiv:2307.05825.
package casestudy
