// Package svm is a support vector machine classifier with an RBF kernel, trained by
// sequential minimal optimisation as libsvm does (second-order working-set selection,
// ρ from the free support vectors), multi-class by one-vs-one voting with ties to
// the lower class, and optional class probabilities (Platt sigmoids on 5-fold
// cross-validated decision values, coupled by Wu, Lin & Weng's method, as libsvm's
// -b 1). Search picks C and γ on a grid by stratified cross-validation on the
// training labels. The peer is scikit-learn's SVC (libsvm) on the same features.
//
// References:
//
//   - Chang, Lin, "LIBSVM: a library for support vector machines", ACM TIST 2(3), 2011.
//   - Fan, Chen, Lin, "Working set selection using second order information for
//     training support vector machines", JMLR 6, 2005.
//   - Platt, "Probabilistic outputs for support vector machines", 1999; Lin, Lin, Weng,
//     "A note on Platt's probabilistic outputs for support vector machines", Machine
//     Learning 68, 2007.
//   - Wu, Lin, Weng, "Probability estimates for multi-class classification by pairwise
//     coupling", JMLR 5, 2004.
package svm
