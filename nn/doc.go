// Package nn holds the neural-network layers erg's capabilities need that GoMLX
// lacks or runs slowly on its pure-Go backend: fast one-, two- and three-dimensional
// convolutions, batch normalisation in training mode, max, average and global
// average pooling, dropout, a GRU, the residual block of the time-series ResNet, and
// dense layers and MLPs.
//
// Layers are functions that build graph nodes: they take a *model.Scope, in which
// they create (or find) their variables, and *graph.Node inputs. Data are
// channels-last, as in Keras: sequences [batch, length, channels], images [batch,
// height, width, channels] (NHWC), volumes and hyperspectral cubes [batch, height,
// width, depth or bands, channels]. Every layer is checked against central finite
// differences in float64 and against PyTorch outputs and gradients
// (testdata/golden.json and testdata/golden2d.json, made by scripts/nn/make_golden.py
// and make_golden2d.py).
//
// Images. Conv2D and Conv3D (kernel, stride, dilation, Same/Valid or explicit
// padding, groups including depthwise), MaxPool2D, AvgPool2D, GlobalAvgPool2D,
// Flatten and BatchNorm2D (BatchNorm over N, H and W, with PyTorch's momentum
// convention: running = 0.9·running + 0.1·batch by default, configurable; Keras'
// momentum m is Momentum 1-m). The layout is NHWC, not PyTorch's NCHW, for three
// reasons: it is nn's layout for sequences, so the same Dense, BatchNorm and
// per-channel [1, c] row operations (which the patched backend runs as vector loops)
// apply unchanged; the channels of a position are contiguous, which is what
// GoMLX's image tools and Keras use; and the layers' costly internal layout is
// chosen per operation anyway: the convolutions transpose to channels-first inside
// (one two-axis transpose each way, which the patched backend tiles) because there
// each kernel tap of the whole batch is one contiguous block. Conv3D is a real 3-D
// im2col (kh·kw·kd taps on one flat grid), not a stack of 2-D convolutions; a
// hyperspectral patch enters as [batch, h, w, bands, 1].
//
// How the convolutions are computed (convnd.go): the zero-padded input (split into
// its stride phases when the stride exceeds 1) is flattened channels-first over batch
// and space, so that every kernel tap is one contiguous slice per channel and the
// im2col matrix [taps·channels, positions] is a concatenation of whole blocks; the
// product weights [filters, taps·channels] · im2col runs with the long operand in the
// layout the backend packs fastest, computes outputs on the whole padded grid (15%
// waste for 3×3 on 28×28) and folds the bias in as a row of ones. For large batches
// the im2col matrix and its product are built per chunk of images (about 8 MB each)
// so that the matrix is read back from cache. The gradients are closed forms: the
// weights' (and bias') one product per chunk with the same im2col matrix; the
// input's either the transposed convolution (same code, flipped kernel, reusing the
// already transposed output gradient when the grid is the same) or col2im (one
// product, then shifted block sums), whichever moves less data; strided
// convolutions split it by input phase. Groups are one batched product (measured
// faster than one convolution per group); depthwise convolutions (groups = channels
// = filters) are multiply-adds over the taps without a product (2.2 times faster
// than the batched product). Gradients of gradients work, except the derivative of
// the weights' gradient with respect to the input, which is taken as zero.
//
// Speed. On the pure-Go backend (gomlx/compute, patched in third_party/compute)
// matrix products are vectorised, while reductions along an axis and transposes of
// more than two axes go through a generic index loop that is 5-20 times slower per
// element, and GoMLX's built-in convolution is about 50 times slower than a matrix
// product of the same size. So Conv1D is one product of the kernel's shifted slices
// ("im2col"), column sums are products with a row of ones, biases and batch-norm
// scales are added or multiplied as [1, c] rows (which the patched backend applies
// row by row with vector loops), and the gradients of products, batch norm, ReLU,
// global average pooling and im2col are given in closed form, in layouts the backend
// multiplies without transposing (see the unexported withVJP). im2col does not copy
// its unshifted tap. Gradients of gradients still work through Dense and (stride 1)
// Conv1D.
//
// The image layers avoid the backend's slowest paths: selects (Where), conversions
// and logical operations run 5-10 times slower per element than vector arithmetic
// (ReLU's and MaxPool2D's masks are built from multiplications, max and min, see
// stepMask); identities and reshapes copy their input when it has other consumers
// (so the layers keep such uses out of their custom-gradient boundaries); and narrow
// [1, c] rows and column sums are applied to [n/r, r·c] views (rowView). GoMLX's
// built-in convolution is not used: on the pure-Go backend it is about 15 times
// slower than Conv2D (BenchmarkConv2D: a 3×3, 16→16 convolution on [64, 28, 28, 16],
// float32, 2 cores: Conv2D 7 ms forward and 20 ms forward+backward, built-in 105
// and 303 ms; PyTorch 1.13's oneDNN direct convolution 0.7 and 2.6 ms).
//
// Whole networks (BenchmarkCNN against scripts/nn/bench_cnn.py, one forward+backward
// pass without optimiser, batch 64 of 28×28×1, float32, 2 cores shared with other
// jobs, best round): LeNet-5 13 ms (PyTorch 3.0-3.7 ms), ResNet-8 111 ms (PyTorch
// 46-78 ms). The gap is the backend's: about 40% of a ResNet-8 step is data movement
// (building the im2col matrices with slices and concatenations, and two-axis
// transposes, all single-threaded per operation), 20% the packing of the matrix
// products' operands (in particular the scalar packing of the transposed right
// operand of the weights' gradient), 20% the product kernels themselves (AVX-512,
// 4×32 tiles, about 95 GFLOP/s per core there).
//
// Randomness (initialisers, dropout) comes from the model store's generator: seed it
// with model.Store.SetRNGStateFromSeed for reproducible runs.
//
// References:
//   - S. Ioffe and C. Szegedy, "Batch normalization: accelerating deep network
//     training by reducing internal covariate shift", ICML 2015.
//   - K. Cho et al., "Learning phrase representations using RNN encoder-decoder for
//     statistical machine translation", EMNLP 2014 (the GRU).
//   - N. Srivastava et al., "Dropout: a simple way to prevent neural networks from
//     overfitting", JMLR 15, 2014.
//   - X. Glorot and Y. Bengio, "Understanding the difficulty of training deep
//     feedforward neural networks", AISTATS 2010; K. He et al., "Delving deep into
//     rectifiers", ICCV 2015 (initialisers).
//   - Z. Wang, W. Yan and T. Oates, "Time series classification from scratch with
//     deep neural networks: a strong baseline", IJCNN 2017 (FCN, ResNet block).
//   - H. Ismail Fawaz et al., "Deep learning for time series classification: a
//     review", Data Mining and Knowledge Discovery 33, 2019 (dl-4-tsc).
//   - K. Chellapilla, S. Puri and P. Simard, "High performance convolutional neural
//     networks for document processing", IWFHR 2006 (im2col).
//   - V. Dumoulin and F. Visin, "A guide to convolution arithmetic for deep
//     learning", arXiv:1603.07285, 2016 (padding, strides, transposed convolutions).
//   - Y. LeCun, L. Bottou, Y. Bengio and P. Haffner, "Gradient-based learning
//     applied to document recognition", Proc. IEEE 86, 1998 (LeNet-5); K. He, X.
//     Zhang, S. Ren and J. Sun, "Deep residual learning for image recognition", CVPR
//     2016 (ResNet; the benchmarks' models).
package nn
