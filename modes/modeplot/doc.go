// Package modeplot draws the figures of mode analyses with gonum/plot: a density with
// its credible band, modes, antimodes and a rug of the data; the posterior over the
// number of modes (with the prior); the posterior of mode locations; the mode tree; and
// accuracy curves of a simulation study. Files are PNG or SVG by extension and are
// written atomically.
//
// References:
//
//   - Chacón, J.E. and Fernández Serrano, J. (2023). Bayesian taut splines for estimating
//     the number of modes. arXiv:2307.05825 (the figures of its case studies).
//   - Minnotte, M.C. and Scott, D.W. (1993). The mode tree. J. Comput. Graph. Statist. 2, 51–68.
package modeplot
