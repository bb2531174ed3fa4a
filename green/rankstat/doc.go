// Package rankstat holds the rank-based statistics of an energy study: average ranks
// with ties (Ranks), the Kruskal–Wallis H test (KruskalWallis), Spearman's rank
// correlation (Spearman), the Mann–Whitney U test (MannWhitney) and the effect sizes
// Vargha–Delaney A₁₂ and Cliff's δ. gonum's stat has none of them; the p-values use
// gonum's distuv distributions.
//
// Every function reproduces SciPy 1.10's figures (scipy.stats.rankdata,
// kruskal, spearmanr, mannwhitneyu with method="asymptotic"); the tests compare
// with values SciPy computed (testdata/scipy.json, made by
// scripts/green/rankstat_golden.py).
//
// References:
//   - W. H. Kruskal and W. A. Wallis, "Use of ranks in one-criterion variance
//     analysis", JASA 47(260), 1952.
//   - H. B. Mann and D. R. Whitney, "On a test of whether one of two random variables
//     is stochastically larger than the other", Ann. Math. Statist. 18(1), 1947.
//   - A. Vargha and H. D. Delaney, "A critique and improvement of the CL common
//     language effect size statistics of McGraw and Wong", J. Educ. Behav. Stat.
//     25(2), 2000.
//   - N. Cliff, "Dominance statistics: ordinal analyses to answer ordinal
//     questions", Psychological Bulletin 114(3), 1993.
package rankstat
