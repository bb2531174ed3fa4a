// Package nn holds the neural-network layers erg's capabilities need that GoMLX
// lacks or runs slowly on its pure-Go backend: a fast one-dimensional convolution,
// batch normalisation in training mode, global average pooling, dropout, a GRU,
// the residual block of the time-series ResNet, and dense layers and MLPs.
//
// Layers are functions that build graph nodes: they take a *model.Scope, in which
// they create (or find) their variables, and *graph.Node inputs. Sequences are
// channels-last, as in Keras: [batch, length, channels]. Every layer is checked
// against central finite differences in float64 and against PyTorch outputs and
// gradients (testdata/golden.json, made by scripts/nn/make_golden.py).
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
package nn
