// Package green is erg's energy study of image classifiers: which architecture and
// which training environment cost how much energy for how much accuracy, asked as
// del Rey et al. (SEAA 2023) ask it of ImageNet models on GPUs, here of the models
// of package vision on one CPU, with every run metered by package meter.
//
// # Study
//
// A StudyConfig lists models, seeds, epochs and environment factors (ParseEnv:
// threads, dtype, batch, backend; the first level of each is the base). Cells lists
// the cells (model, environment, seed): every model in the base environment, and the
// EnvModels (mlp and cnn) in the full factorial. Study runs them one after another in
// the process, each as a vision.Train run (metered, checkpointed, resumable) with
// GOMAXPROCS at the cell's threads, and rewrites the study CSV (Columns) atomically
// after each cell; run again, it skips the cells the CSV holds as ok or skipped. A
// cell that cannot run here is written as skipped with its reason, never dropped:
// float64 (vision trains in float32 only) and backends that are not compiled in
// (xla). Before the first cell of each model a short unmetered warm-up run takes the
// process's one-time costs, and the previous cell's garbage is collected before each
// cell's meter starts.
//
// Each row has the test accuracy, macro-F1, epochs, images seen, wall and CPU
// seconds, joules, J/image (joules / images seen), the energy status (measured,
// estimated) and the meter's method, the parameters and forward FLOPs per image
// (ModelCost: counted analytically from the layer shapes; 2 × multiply-accumulates
// of convolutions and dense layers).
//
// # Honest energy
//
// Without RAPL or NVML (containers, VMs) the meter estimates energy as CPU seconds ×
// a power per busy logical CPU (12.5 W for an unknown CPU) plus a RAM term, so an
// energy ranking is a CPU-time ranking: the report labels every figure with its
// status and method and prints CPU seconds next to joules. That model charges busy
// cores only, so two threads can never look cheaper per CPU-second and race-to-idle
// savings are invisible; Analyze therefore ranks everything again under a second
// power model (AltJoules: the machine's idle power, IdleShare × W per logical CPU,
// over the wall time, plus (1 − IdleShare) × W per CPU-second) and lists every
// conclusion that flips. Nothing here says anything about GPUs.
//
// # Report
//
// Analyze takes the rows and computes per configuration (model, environment) the
// medians over seeds; the Pareto front of energy against accuracy (PlotPareto draws
// it); RQ1, the Kruskal–Wallis test of energy over architectures in the base
// environment and Spearman's ρ of energy against FLOPs and parameters; RQ2, per model
// and factor level, the median energy ratio against the base level with the
// Mann–Whitney p-value, Vargha–Delaney A₁₂ and Cliff's δ (package rankstat); and
// the largest energy reduction between two configurations at most one accuracy point
// apart, with both named. WriteHTML writes it as one page.
//
// # Prediction
//
// Predict reads a finished run's per-epoch energy (the cumulative joules train.Trainer
// logs at each epoch end in metrics.jsonl) and predicts the whole run from its first
// k epochs as carbontracker does (epochs × the mean of the first k), and with epoch 1
// treated as warm-up, with the relative errors against the run's final energy.
//
// References:
//   - S. del Rey, S. Martínez-Fernández, L. Cruz and X. Franch, "Do DL models and
//     training environments have an impact on energy consumption?", SEAA 2023,
//     arXiv:2307.05520; replication package GAISSA-UPC/seaa2023_ect (the energy of a
//     power trace was Σ samples × duration until commit b2d1079 made it the trapezoid
//     rule: meter.IntegrateTrace).
//   - L. F. W. Anthony, B. Kanding and R. Selvan, "Carbontracker: tracking and
//     predicting the carbon footprint of training deep learning models", ICML
//     workshop 2020, arXiv:2007.03051 (lfwa/carbontracker predictor.py).
//   - H. Xiao, K. Rasul and R. Vollgraf, "Fashion-MNIST", arXiv:1708.07747, 2017.
package green
