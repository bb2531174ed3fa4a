// Package cnn holds the convolutional baselines of hyperspectral classification as
// DeepHyperX lists them (Audebert et al. 2019, github.com/nshaud/DeepHyperX,
// models.py): the 1-D CNN of Hu et al. (2015) on a pixel's spectrum and the 3-D CNN
// of Ben Hamida et al. (2018) on 5×5 patches, built from package nn's layers (Conv1D,
// Conv3D, MaxPool2D, Dense) and trained with package train's Trainer.
//
//	cnn1d  Hu:     conv1d 20@k1 (k1 = ceil(bands/9), valid), max pool k2 = ceil(k1/5),
//	               tanh, dense 100, tanh, dense classes            72,196 parameters
//	cnn3d  Hamida: conv3d 20@3×3×3 (valid), ReLU; conv 20@1×1×3 stride 2 along the
//	               bands (DeepHyperX's learnt "pooling"); conv 35@3×3×3, ReLU; conv
//	               35@1×1×3 s2; conv 35@1×1×3, ReLU; conv 35@1×1×2 s2, ReLU; dense
//	                                                               45,196 parameters
//
// (200 bands, 16 classes; the counts are PyTorch's for DeepHyperX's classes). Inputs
// are channels-last: spectra [B, bands, 1], patches [B, h, w, bands, 1] (nn's Conv3D
// layout, DeepHyperX's (bands, h, w) kernels transposed to (h, w, bands)). Cube holds
// the scene's features and cuts the patches, mirroring at the image border.
//
// Training differs from DeepHyperX's defaults (SGD at 0.01, batch 100, 100 epochs):
// with 5 or 10 labels per class that is 1 or 2 steps per epoch, and the networks stay
// near their initialisation. Fit uses Adam at 1e-3 on batches of 32 for 200 (cnn1d)
// or 100 (cnn3d) epochs, PyTorch's default initialisation (nn.KaimingUniform) instead
// of Hu's U(±0.05) and Hamida's Kaiming normal, and no augmentation. Fit returns the
// softmax probabilities of every pixel of the scene, for hsi/crf to refine.
//
// References:
//
//   - W. Hu, Y. Huang, L. Wei, F. Zhang, H. Li, "Deep convolutional neural networks for
//     hyperspectral image classification", Journal of Sensors 2015, 258619.
//   - A. Ben Hamida, A. Benoit, P. Lambert, C. Ben Amar, "3-D deep learning approach for
//     remote sensing image classification", IEEE TGRS 56(8), 2018.
//   - N. Audebert, B. Le Saux, S. Lefèvre, "Deep learning for classification of
//     hyperspectral data: a comparative review", IEEE GRSM 7(2), 2019 (DeepHyperX).
package cnn
