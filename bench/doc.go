// Package bench runs side-by-side speed comparisons of erg and a peer program, the
// harness shared by the `erg bench` suites.
//
// A suite (bench/core, bench/tscbench, bench/ebmbench, bench/fembench,
// modes/modesbench) measures two halves in one invocation on the same machine:
// erg's figures, timed in Go, and the peer's, from a script embedded in package
// bench/peers and started by RunPeer (Python scripts with Debian's /usr/bin/python3,
// R scripts with Rscript), which prints one JSON line with milliseconds per
// workload. RunPeer is the only way a suite starts its peer: it classifies a
// missing interpreter or module as ErrPeerUnavailable and any other failure as an
// error quoting the peer's standard error.
//
// Every suite returns the same Report: Start records the machine and its load
// average before, Add appends erg's figures, SetPeer pairs them with the peer's and
// computes the ratios erg/peer (below 1: erg is faster), and Finish records the load
// after and whether the machine was busy (load above its CPU count). WriteTable
// prints a table; the JSON form is the suite's one JSON object with --json.
//
// Timing convention (both halves, per suite): a few untimed warm-up steps, then
// several timed rounds or repetitions; bench core and ebm report the fastest
// round's mean (the least disturbed by other programs on a shared machine), bench
// tsc the mean of its timed epochs, bench fem and modes (erg's side) the median.
//
// References:
//   - Z. Wang, W. Yan and T. Oates, "Time series classification from scratch with
//     deep neural networks: a strong baseline", IJCNN 2017 (the FCN workload).
//   - H. Ismail Fawaz et al., "Deep learning for time series classification: a
//     review", Data Mining and Knowledge Discovery 33, 2019 (dl-4-tsc).
package bench
