// Package bench runs side-by-side speed comparisons of erg and a peer program, the
// machinery shared by the `erg bench` subcommands.
//
// A comparison has two halves measured in one invocation on the same machine: erg's
// figures, timed in Go by the caller, and the peer's, from a Python script run with
// Debian's /usr/bin/python3 (RunPython) that prints one JSON line with milliseconds
// per workload. Report pairs them, computes the ratios erg/peer (below 1: erg is
// faster) and prints a table or one JSON object. The peer scripts live in
// scripts/bench and are embedded in the binary (package benchscripts).
//
// Timing convention (both halves): a few untimed warm-up steps, then several rounds
// of a fixed number of steps; a workload's figure is the fastest round's mean, which
// is the least disturbed by other programs on a shared machine.
//
// References:
//   - Z. Wang, W. Yan and T. Oates, "Time series classification from scratch with
//     deep neural networks: a strong baseline", IJCNN 2017 (the FCN workload).
//   - H. Ismail Fawaz et al., "Deep learning for time series classification: a
//     review", Data Mining and Knowledge Discovery 33, 2019 (dl-4-tsc).
package bench
