// Package tsc is erg's time-series classification toolkit: the Classifier interface
// every model implements, a registry through which model packages make themselves
// available by name (minirocket registers "minirocket"; the deep models register
// "fcn", "resnet", ... from their own package), and the benchmark runner that fills
// a results CSV (dataset, model, run, accuracy, train seconds, energy) resumably and
// in parallel, in the protocol of Ismail Fawaz et al. (2019): every model trained
// several times on each dataset's default train/test split, then compared with the
// Friedman test, Wilcoxon–Holm post-hoc tests and a critical-difference diagram
// (subpackage cd).
//
// Data come from package ucr. Train (erg tsc train) is one run of a model on a
// dataset through package run's experiment lifecycle: a run directory with the
// configuration, metrics, checkpoints (deep models), energy, summary, report,
// confusion plot and saved model, resumable after a kill. The benchmark runner meters
// each cell through the small EnergyMeter interface; by default a share of a
// meter.Shared ledger, which splits the process's CPU time among the cells running
// at once and labels the figure "estimated".
//
// References:
//   - Ismail Fawaz, H., Forestier, G., Weber, J., Idoumghar, L., Muller, P.-A. (2019).
//     Deep learning for time series classification: a review. Data Mining and
//     Knowledge Discovery 33, 917–963.
//   - Dempster, A., Schmidt, D. F., Webb, G. I. (2021). MiniRocket. KDD '21.
package tsc
