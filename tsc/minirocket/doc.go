// Package minirocket implements MiniRocket, the fast, almost deterministic random
// convolutional kernel transform for time-series classification, and the ridge
// classifier with leave-one-out cross-validated regularisation it is paired with.
//
// The transform follows the reference code (angus924/minirocket) step by step: 84
// kernels of length 9 with weights −1 and 2 (2 at three of the nine positions),
// dilations 2^linspace(0, log2((L−1)/8), min(F/84, 32)) truncated and made unique
// with features spread over them in proportion, zero padding, biases that are
// quantiles frac(i·φ) of the convolution output of a random training case, and the
// proportion of positive values (PPV) as the only feature, computed over the whole
// output or (alternating over dilation and kernel) only over the part free of
// padding. The default is 10,000 features (9,996 after rounding to a multiple of 84).
// Convolutions are computed in float32 as in the reference; quantiles in float64 and
// rounded to float32.
//
// Multivariate input follows minirocket_multivariate.py: each (dilation, kernel)
// combination sums the convolution over a random subset of 2^U(0, log2(min(D,9)+1))
// channels.
//
// Unequal lengths follow minirocket_multivariate_variable.py, the approach aeon and
// sktime take (MiniRocketMultivariateVariable): when the training series differ in
// length the transform is fitted in Variable mode, with dilations fitted to the
// longest training length, biases from each chosen case at its own length, and every
// PPV taken over the whole zero-padded output of the case at its own length (the
// alternating valid-part features need a common length). Series shorter than 9 are
// zero-padded to 9. A transform fitted on equal-length data refuses series of
// another length; resample them (ucr.Dataset.Resample) or fit on unequal data.
//
// Ridge reproduces scikit-learn's RidgeClassifierCV(alphas=logspace(-3,3,10),
// normalize=True), the classifier of the paper, including its efficient
// leave-one-out selection of alpha from one eigendecomposition; the tests compare it
// with scikit-learn and the transform with an independent numpy implementation.
//
// Classifier joins the two and registers itself with package tsc as "minirocket".
//
// References:
//   - Dempster, A., Schmidt, D. F., Webb, G. I. (2021). MiniRocket: A very fast
//     (almost) deterministic transform for time series classification. KDD '21,
//     248–257. arXiv:2012.08791.
//   - Rifkin, R. M., Lippert, R. A. (2007). Notes on regularized least squares.
//     MIT-CSAIL-TR-2007-025 (leave-one-out errors of ridge regression in closed form).
package minirocket
