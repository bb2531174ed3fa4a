// Package ssgan is the semi-supervised spectral-spatial GAN of Zhong et al. (2020)
// for hyperspectral classification: a discriminator of spectral (1×1×k) and spatial
// (3×3×1) 3-D convolutions on 7×7 patches that outputs K+1 classes (the K land-cover
// classes and "generated"), trained as Salimans et al. (2016) train their
// semi-supervised GAN, and a generator from 100-d noise trained by feature matching.
//
// # Losses
//
// The discriminator outputs K logits l; the fake class's logit is fixed at 0, so with
// Z(x) = Σ_k exp l_k(x) the probability that x is real is D(x) = Z/(Z+1) and the
// class probabilities given "real" are softmax(l). On a step with B labelled patches
// (labels y), B unlabelled patches (any scene pixel outside the labelled training
// split) and B generated ones:
//
//	Sup   = −mean log softmax(l(x_lab))[y]
//	Unsup = −½ mean log D(x_unl) − ½ mean log(1 − D(G(z)))
//	      = ½ mean [softplus(lse_unl) − lse_unl] + ½ mean softplus(lse_fake),  lse = log Z
//	FM    = mean over features of (mean f(x_unl) − mean f(G(z)))²
//
// with f the discriminator's last hidden layer. The discriminator minimises Sup +
// Unsup, the generator FM. Both are trained by one Adam (lr 3e-4, β1 0.5) of package
// train's Trainer on one scalar (see Loss): Sup + Unsup with G(z) behind a
// StopGradient, plus FM − FM(G(z) stopped), whose value is 0 and whose gradient
// reaches only the generator.
//
// # Networks
//
// The discriminator (on [N, 7, 7, d, 1]): conv3d 16@1×1×5 (spectral), conv3d
// 32@3×3×1 (spatial), conv3d 32@1×1×3 with stride 2 along the bands (spectral), conv3d
// 64@3×3×1 (spatial), all valid with leaky ReLU 0.2; dropout; dense 128 (the matched
// features); dropout; dense K. The generator: dense 100 → 7·7·d·4 with batch norm and
// ReLU, conv3d 16@3×3×1 (same) with batch norm and ReLU, conv3d 1@1×1×3 (same),
// linear. nn has no transposed convolution, so the paper's transposed spectral and
// spatial convolutions are replaced by the dense layer to the whole patch and two
// size-keeping convolutions.
//
// Package hsi feeds the networks the first 24 principal components of the
// standardised bands (hsi.PCs, each of unit variance) rather than the 200 bands, to
// keep a 10-labels-per-class run on the 145×145 ip-like scene within minutes on two
// cores. Fit returns softmax(l) for every pixel, for hsi/crf to refine.
//
// References:
//
//   - Z. Zhong, J. Li, D. A. Clausi, A. Wong, "Generative adversarial networks and
//     conditional random fields for hyperspectral image classification", IEEE Trans.
//     Cybernetics 50(7), 2020 (arXiv 1905.04621).
//   - T. Salimans, I. Goodfellow, W. Zaremba, V. Cheung, A. Radford, X. Chen,
//     "Improved techniques for training GANs", NeurIPS 2016 (K+1 classes, feature
//     matching).
package ssgan
