// Package mixture estimates the number of modes with a sparse finite mixture of normals
// fitted by Gibbs sampling, counting the modes of the mixture density at every draw, as
// BayesMultiMode does (Cross, Hoogerheide, Labonne and van Dijk 2024).
//
// The model is that of Malsiner-Walli, Frühwirth-Schnatter and Grün (2016) with
// BayesMultiMode's default priors: K components (default 10), weights η ~ Dirichlet(e0),
// e0 ~ Gamma(a0 = 1, rate A0 = 200) sampled by random-walk Metropolis on log e0, means
// μ_k ~ N(b0 = median, B0 = range²), variances σ²_k ~ IG(c0 = 2.5, C0) with
// C0 ~ Gamma(g0 = 0.5, rate G0 = 100·g0/c0/B0). The Gibbs sweep samples allocations,
// weights, variances and means, C0 and e0. Modes of each draw are counted on a
// 512-point grid over the data range (BayesMultiMode's inside_range = TRUE), merging
// modes closer than sd/10 (its tol_x).
//
// References:
//
//   - Malsiner-Walli, G., Frühwirth-Schnatter, S. and Grün, B. (2016). Model-based
//     clustering based on sparse finite Gaussian mixtures. Statist. Comput. 26, 303–324.
//   - Cross, J.L., Hoogerheide, L., Labonne, P. and van Dijk, H.K. (2024). Bayesian mode
//     inference for discrete distributions in economics and finance. Econ. Letters 235.
//   - Baştürk, N., Cross, J., de Knijff, P., Hoogerheide, L., Labonne, P. and van Dijk, H.K.
//     BayesMultiMode: Bayesian mode inference in R (R package 0.7).
package mixture
