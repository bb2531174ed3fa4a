// Package dataset makes the graph generation benchmark's data sets,
// deterministically from a seed, as the public code of GraphRNN
// (snap-stanford/GraphRNN create_graphs.py), GRAN (lrjconan/GRAN) and SPECTRE
// make them:
//
//	grid             2-D lattices i×j, i, j ∈ [10,20): 100 graphs
//	lobster          random_lobster(80, 0.7, 0.7) with 10–100 nodes: 100 graphs
//	community-small  2 blocks of G(n, 0.7), 12–20 nodes in all, p_inter 0.01, ≥ 1 bridge: 100 graphs
//	ego              radius-3 ego nets of hep-th with 50–400 nodes (citeseer is not reachable)
//	ego-small        200 radius-1 ego nets of hep-th with 4–20 nodes
//	sbm              2–5 blocks of 20–40 nodes, p 0.3 / 0.005, connected: 200 graphs
//	planar           Delaunay triangulations of 64 uniform points in the unit square: 200 graphs
//
// hep-th is read from graph-tool's collection (python3-graph-tool). Split
// gives the published splits: GraphRNN's 80/20 and SPECTRE's 128/32/40 (for
// 200 graphs; 64/16/20 for 100).
package dataset
