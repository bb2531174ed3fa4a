// Package cd compares classifiers over many datasets as Demšar (2006) and Ismail
// Fawaz et al. (2019) do: average ranks, the Friedman test (with the Iman–Davenport
// F form), pairwise Wilcoxon signed-rank tests with Holm's step-down correction,
// the Nemenyi critical difference, and the critical-difference diagram (PNG, SVG)
// in which models whose differences are not significant are joined by a bar.
//
// The statistics reproduce scipy.stats (friedmanchisquare, wilcoxon with its exact
// and normal-approximation branches and zero methods, studentized_range for the
// Nemenyi q_α); the Wilcoxon–Holm cliques reproduce hfawaz/cd-diagram (maximal
// cliques of the graph of non-significant pairs). The tests compare with golden
// values made by scripts/tsc/cd_golden.py and with Demšar's Table 5(a).
//
// References:
//   - Demšar, J. (2006). Statistical comparisons of classifiers over multiple data
//     sets. Journal of Machine Learning Research 7, 1–30.
//   - Ismail Fawaz, H., Forestier, G., Weber, J., Idoumghar, L., Muller, P.-A. (2019).
//     Deep learning for time series classification: a review. Data Mining and
//     Knowledge Discovery 33, 917–963 (the Wilcoxon–Holm diagram, hfawaz/cd-diagram).
//   - Holm, S. (1979). A simple sequentially rejective multiple test procedure.
//     Scandinavian Journal of Statistics 6, 65–70.
//   - Benavoli, A., Corani, G., Mangili, F. (2016). Should we really use post-hoc tests
//     based on mean-ranks? JMLR 17, 1–10 (why Wilcoxon–Holm rather than Nemenyi).
package cd
