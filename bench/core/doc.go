// Package core is `erg bench core`: the training steps every capability builds on,
// timed in erg and in PyTorch side by side.
//
// Two workloads, both float32 with Adam (learning rate 1e-3):
//   - mlp: a 2-128-128-1 ReLU network regressing sin(πa)cos(πb), batch 256,
//     mean squared error;
//   - fcn: the fully convolutional network of Wang et al. (2017) as in dl-4-tsc
//     (Conv1D 128k8, 256k5, 128k3, each with batch norm and ReLU, global average
//     pooling, dense softmax), batch 16 series of length 150, cross-entropy.
//
// The PyTorch peer (bench/peers/core.py, Debian's python3-torch with
// torch.set_num_threads(2)) builds the same models with the same batch sizes,
// warm-up and step counts. Run alternates erg and peer passes Repeats times and
// keeps each side's fastest round.
//
// References:
//   - Z. Wang, W. Yan and T. Oates, "Time series classification from scratch with
//     deep neural networks: a strong baseline", IJCNN 2017.
//   - D. P. Kingma and J. Ba, "Adam: a method for stochastic optimization", ICLR 2015.
package core
