// Package crf is a fully connected conditional random field over an image's pixels
// with Potts compatibility and Gaussian edge potentials, inferred by mean-field
// iterations (Krähenbühl & Koltun 2011): the pairwise kernel is
//
//	k(i, j) = w1 exp(−|p_i − p_j|²/2θα² − |f_i − f_j|²/2θβ²) + w2 exp(−|p_i − p_j|²/2θγ²)
//
// with p the pixel position and f its features (for hyperspectral images the first
// principal components, as Zhong et al. use). The messages Σ_j k(i, j) Q_j are
// computed exactly, O(N²) per iteration in float64 and in parallel (145×145 pixels are
// feasible), or over a window of Chebyshev radius R around each pixel; Window chooses
// R so that the dropped spatial factors are below 1e-12 of the kernel's peak, and the
// tests check the windowed result against the exact one to 1e-6 on a 32×32 crop.
//
// References:
//
//   - Krähenbühl, Koltun, "Efficient inference in fully connected CRFs with Gaussian
//     edge potentials", NeurIPS 2011.
//   - Zhong, Li, Clausi, Wong, "Generative adversarial networks and conditional random
//     fields for hyperspectral image classification", IEEE Trans. Cybernetics 50(7), 2020.
package crf
