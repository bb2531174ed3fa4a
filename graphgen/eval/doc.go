// Package eval computes the graph generation metrics of GraphRNN
// (snap-stanford/GraphRNN eval/stats.py, eval/mmd.py), GRAN (lrjconan/GRAN
// utils/eval) and SPECTRE: the MMD² between a reference and a generated set
// of graphs over four descriptors, and validity, uniqueness and novelty.
//
// Descriptors, per graph:
//
//	degree      nx.degree_histogram (counts of degree 0..max)
//	clustering  histogram of the local clustering coefficients, 100 bins on [0,1]
//	orbit       the 15 ORCA orbit counts summed over nodes, divided by n
//	spectral    histogram of the normalised-Laplacian eigenvalues, 200 bins on [-1e-5, 2], as a pmf
//
// MMD² is the biased V-statistic mean k(x,x') + mean k(y,y') − 2 mean k(x,y)
// over all pairs, histograms normalised to pmfs and zero-padded to a common
// length; empty generated graphs are dropped (and counted). Kernels:
//
//	graphrnn  Gaussian-EMD exp(−EMD²/2σ²), EMD the 1-D earth mover's distance
//	          (L1 distance of the CDFs) over bins |i−j|/scale: degree σ 1,
//	          clustering σ 0.1 scale 100; orbit an L2 Gaussian σ 30; spectral
//	          (not in GraphRNN) Gaussian-EMD σ 1 as GRAN's compute_emd option.
//	          Histograms are divided by their sum.
//	gran      Gaussian-TV exp(−TV²/2σ²), TV = ½L1: degree σ 1, clustering σ 0.1,
//	          orbit σ 30, spectral σ 1. Histograms are divided by (sum + 1e-6)
//	          as GRAN's compute_mmd does.
package eval
