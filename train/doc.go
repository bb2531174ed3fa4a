// Package train is erg's one training loop for every capability.
//
// A capability supplies a loss graph (LossFunc) over the variables of a GoMLX
// model.Store and a deterministic source of batches (Batches); Trainer.Fit then runs
// the optimizer (Adam, AdamW, SGD with momentum, Adadelta), a learning-rate schedule
// (ReduceLROnPlateau, cosine, step), gradient clipping by global norm, early stopping
// and keep-best on the epoch training loss (as dl-4-tsc does), with:
//
//   - a progress bar on a terminal, plain periodic log lines otherwise, showing step,
//     loss, speed, ETA and the energy used so far;
//   - metrics appended to the run directory's metrics.jsonl;
//   - checkpoints written atomically every CheckpointEvery steps and at the end, holding
//     every store variable (parameters, optimizer moments, the in-graph RNG state) and the
//     loop's own state, so that Resume continues a killed run (even kill -9) to the same
//     final parameters as an uninterrupted run with the same seed;
//   - a guard that stops the run with an error naming the step when the loss or a
//     gradient is NaN or Inf, leaving parameters and the last checkpoint untouched;
//   - energy and carbon metering of the run (package meter), written to energy.json.
//
// The optimizers follow PyTorch's update rules (torch.optim.Adam, AdamW, SGD, Adadelta),
// with Keras's defaults available through the Optimizer fields.
//
// References:
//   - Kingma & Ba, "Adam: A method for stochastic optimization", ICLR 2015.
//   - Loshchilov & Hutter, "Decoupled weight decay regularization", ICLR 2019.
//   - Zeiler, "ADADELTA: an adaptive learning rate method", arXiv:1212.5701, 2012.
//   - Ismail Fawaz et al., "Deep learning for time series classification: a review",
//     DMKD 2019 (ReduceLROnPlateau on the training loss, keep the best-train-loss model).
package train
