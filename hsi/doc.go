// Package hsi classifies hyperspectral images: pixels of a cube of samples × lines ×
// bands, each a spectrum, labelled with land-cover classes by a ground-truth map.
//
// It holds what every model shares: the labelled scene (Scene, a cube in pixel-major
// order with its label map), the train/test splits of the hyperspectral literature
// (Split: random, fixed N per class, disjoint fields with a guard band, and
// DeepHyperX's row-cut disjoint split), and the metrics (Metrics: overall accuracy,
// average per-class recall, Cohen's κ, per-class F1 and the confusion matrix).
// Models and file formats live in sub-packages: hsi/envi (ENVI .hdr + raw cube
// files), hsi/spectra (the .spc band tables and ECOSTRESS spectra shipped with
// python3-spectral), hsi/scene (the synthetic AVIRIS-like ip-like benchmark),
// hsi/svm (RBF support vector machine, SMO, one-vs-one), hsi/forest (random forest),
// hsi/cnn (the 1-D CNN of Hu et al. 2015 and the 3-D CNN of Ben Hamida et al. 2018, as in
// DeepHyperX), hsi/ssgan (the semi-supervised spectral-spatial GAN with K+1 outputs of
// paper 11) and hsi/crf (fully connected CRF, mean-field).
//
// References:
//
//   - Zhong, Li, Clausi, Wong, "Generative adversarial networks and conditional
//     random fields for hyperspectral image classification", IEEE Trans. Cybernetics
//     50(7), 2020 (arXiv 1905.04621).
//   - Audebert, Le Saux, Lefèvre, "Deep learning for classification of hyperspectral
//     data: a comparative review", IEEE GRSM 7(2), 2019 (DeepHyperX: splits, baselines).
package hsi
