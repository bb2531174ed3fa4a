// Package imageset reads image classification data sets into memory and feeds them,
// shuffled and augmented, to package train.
//
// # Readers
//
//   - IDX, the format of MNIST and Fashion-MNIST (*-ubyte, or *-ubyte.gz: gzip is
//     recognised by its magic bytes): ReadIDX, DecodeIDXSet, DecodeIDX, and
//     LoadFashionMNIST / LoadMNIST for a folder of the four standard files. Debian's
//     dataset-fashion-mnist package installs Fashion-MNIST in FashionMNISTDir.
//   - The CIFAR-10 and CIFAR-100 binary versions (data_batch_1.bin ... test_batch.bin;
//     train.bin, test.bin): ReadCIFAR, DecodeCIFAR, LoadCIFAR10, LoadCIFAR100.
//   - A folder of PNG and JPEG images in class subfolders, torchvision's ImageFolder
//     layout: ReadFolder, ReadFolderFS, with a fixed size or resizing by nearest
//     neighbour or bilinear interpolation (FolderOptions, Resample).
//
// Every reader scales 8-bit pixels to [0, 1] (v/255, as torchvision's ToTensor) and
// returns a *Set. Every error about the content of a file is a *FormatError naming
// the file, the byte offset (in the decompressed stream for .gz) and the field:
//
//	t10k-labels-idx1-ubyte.gz: offset 4: dims: 9999 labels for 10000 images in t10k-images-idx3-ubyte.gz
//	data_batch_3.bin: offset 9146: record: image 2: truncated: 3000 of 3073 bytes (a CIFAR-10 record is 3073)
//	pets/dog/7.png: size: 30×32, want 32×32 as 1.png, the first image, has (set FolderOptions.Resize to resize)
//
// Readers never panic on malformed input (FuzzIDX and FuzzCIFAR check it), and a
// corrupt header cannot make them allocate much more than the input holds (at most
// 64 MiB ahead, for an IDX file's values).
//
// # Sets
//
// A Set holds N images as float32 in NHWC order, [N, H, W, C] (channels-last, the
// layout of package nn), with int labels and class names. Split divides it at random
// (seeded, optionally stratified by class), Subset copies chosen images, Stats gives
// the per-channel mean and population standard deviation, and Normalize maps the
// pixels in place to (v−mean)/std per channel. The standard normalisations (mean,
// std of the training pixels in [0, 1]):
//
//	Fashion-MNIST  0.2860                    0.3530                    FashionMNISTMean, FashionMNISTStd
//	MNIST          0.1307                    0.3081                    MNISTMean, MNISTStd
//	CIFAR-10       (0.4914, 0.4822, 0.4465)  (0.2470, 0.2435, 0.2616)  CIFAR10Mean, CIFAR10Std
//	CIFAR-100      (0.5071, 0.4865, 0.4409)  (0.2673, 0.2564, 0.2762)  CIFAR100Mean, CIFAR100Std
//
// The CIFAR-10 values are those of PyTorch's CIFAR-10 tutorial; many training
// scripts (after kuangliu/pytorch-cifar) use std (0.2023, 0.1994, 0.2010) instead,
// which is not the pixel standard deviation. Fashion-MNIST's train set computes to
// 0.28604 / 0.35302 (TestFashionMNISTStats).
//
// # Batches and augmentation
//
// A Loader implements train.Batches: Batch(step) is an image tensor [B, H, W, C]
// float32 and a label tensor [B] int32 (the form tsc/deep's losses take and one-hot
// in the graph), or one-hot [B, K] float32 with LoaderConfig.OneHot. Like
// train.NewShuffled, it reshuffles every epoch by a permutation drawn from (Seed,
// epoch) and drops the last partial batch unless KeepLast. Augment (random crop
// with zero padding, random horizontal flip) is applied per batch as it is built,
// never to the set, with a generator drawn from (Seed, step): Batch(step) depends on
// the step and the seed only, so a training run resumed at step k sees exactly the
// batches of an uninterrupted run. The loader keeps one permutation (N ints) and
// gathers each batch directly into its new tensors; Fill writes a batch into the
// caller's buffers instead. InOrder yields a set in order in batches of any size,
// the last one smaller, for evaluation.
//
// References:
//   - LeCun, Y., Bottou, L., Bengio, Y., Haffner, P. (1998). Gradient-based learning
//     applied to document recognition. Proc. IEEE 86(11). The IDX format:
//     http://yann.lecun.com/exdb/mnist/.
//   - Xiao, H., Rasul, K., Vollgraf, R. (2017). Fashion-MNIST: a novel image dataset
//     for benchmarking machine learning algorithms. arXiv:1708.07747.
//   - Krizhevsky, A. (2009). Learning multiple layers of features from tiny images.
//     Tech. report, University of Toronto. The binary version:
//     https://www.cs.toronto.edu/~kriz/cifar.html.
//   - torchvision: datasets.ImageFolder, transforms.ToTensor, Normalize, RandomCrop
//     (padding), RandomHorizontalFlip; torch.nn.functional.interpolate (bilinear,
//     align_corners=False; nearest-exact).
//   - He, K., Zhang, X., Ren, S., Sun, J. (2016). Deep residual learning for image
//     recognition. CVPR (the CIFAR recipe: pad 4, random 32×32 crop, flip).
package imageset
