// Package baseline holds the rule-based graph generators GraphRNN compares
// with (snap-stanford/GraphRNN baselines.py), fitted per training graph:
//
//	er   Erdős–Rényi G(n, p) with p = E / C(n,2)
//	ba   Barabási–Albert with m = ⌊(n − √(n² − 4E)) / 2⌋ (networkx ≤ 2.0's
//	     generator: m initial isolated nodes, preferential attachment by a
//	     uniform choice from the list of edge endpoints)
//	sbm  a stochastic block model with the block sizes and block-pair edge
//	     densities of a block fit (graphgen/eval.FitBlocks) of the graph
//
// Sample draws graph i from the parameters of training graph i mod len(train),
// as GraphRNN's Graph_generator_baseline draws pred_num/len(train) graphs per
// training graph. Train runs the fit through the shared run lifecycle
// (package run: run directory, metering, report).
package baseline
