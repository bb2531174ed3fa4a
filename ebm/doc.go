// Package ebm trains and evaluates energy-based models p(x) ∝ exp(−U(x)) on point data.
//
// An Energy is any GoMLX function mapping a batch of points [n, d] to one energy each
// [n]; MLP is the default (the energy-discrepancy paper's 2-128×4-1 softplus network),
// Quadratic a Gaussian one. Grad gives ∇ₓU, on which losses and samplers build.
//
// Losses, each returning a scalar loss graph:
//   - EDLoss: energy discrepancy with Gaussian perturbation, the paper's w-stabilised
//     estimator (1/n)Σᵢ log(w/M + (1/M)Σⱼ exp(U(xᵢ) − U(x′ᵢⱼ))), x′ᵢⱼ = xᵢ + √t ξᵢ + √t ξ′ᵢⱼ,
//     checked against the paper's PyTorch code;
//   - CDLoss: contrastive divergence with K unadjusted Langevin steps unrolled in the
//     graph (from the data, or persistent with a replay buffer and re-initialisation);
//   - DSMLoss, SSMLoss, SMLoss: denoising, sliced (variance-reduced) and exact score
//     matching, the last two through gradients of gradients;
//   - MLELoss: maximum likelihood with the partition function summed on a grid (2-D),
//     the gold reference.
//
// Train runs one of them with package train (Adam, checkpoints, resume, metering) on a
// built-in density (package density) or a CSV file, in a run directory whose
// config.json and checkpoint let Load rebuild the model; it then evaluates the held-out
// negative log-likelihood with the partition function integrated on a grid (with error
// estimates from halving the grid and widening the box) and the MMD² between MALA
// samples (package sample) and held-out data, and draws the data histogram, the learned
// density and samples. Compare runs losses × data sets × seeds and checks the paper's
// claim (ED's NLL at most DSM's and CD's, ED faster than CD); BenchStep times the ED and
// CD steps that `erg bench ebm` compares with PyTorch.
//
// Speed notes for the pure-Go backend (see the comments at each): softplus, exp and the
// dense layer's input gradient are written so that they avoid the backend's slow paths
// (Go's math.Exp after AVX-512 kernels, log1p, the transposed small-matrix kernel); and
// the backend's default parallel mode can deadlock on these graphs, so the erg command
// uses "go:ops_sequential".
//
// References:
//   - Schröder, Ou, Lim, Zhao, Zhu & Duncan, "Energy discrepancies: a score-independent
//     loss for energy-based models", NeurIPS 2023 (github.com/J-zin/energy-discrepancy).
//   - Hinton, "Training products of experts by minimizing contrastive divergence",
//     Neural Computation 14(8), 2002; Tieleman, "Training restricted Boltzmann machines
//     using approximations to the likelihood gradient", ICML 2008 (persistent CD);
//     Du & Mordatch, "Implicit generation and modeling with energy-based models",
//     NeurIPS 2019 (replay buffer, short-run Langevin).
//   - Hyvärinen, "Estimation of non-normalized statistical models by score matching",
//     JMLR 6, 2005; Vincent, "A connection between score matching and denoising
//     autoencoders", Neural Computation 23(7), 2011; Song, Garg, Shi & Ermon, "Sliced
//     score matching", UAI 2019.
//   - Gretton, Borgwardt, Rasch, Schölkopf & Smola, "A kernel two-sample test", JMLR 13,
//     2012 (MMD).
package ebm
