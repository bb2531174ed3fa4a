// Package orbit counts, for every node of a graph, how often it touches each
// of the 15 node orbits of the connected graphlets on 2 to 4 nodes, numbered as
// in ORCA (Hočevar & Demšar 2014), the counter GraphRNN and GRAN call for their
// orbit MMD:
//
//	0 edge; 1 end, 2 middle of a 3-path; 3 triangle;
//	4 end, 5 inner node of a 4-path; 6 leaf, 7 centre of a 3-star;
//	8 4-cycle; paw (tailed triangle): 9 tail end, 10 triangle node of
//	degree 2, 11 node of degree 3; diamond: 12 node of degree 2, 13 node of
//	degree 3; 14 4-clique.
//
// Count follows ORCA's count4: per-edge triangle counts, a 4-clique count, and
// per node the linear system relating non-induced to induced orbit counts.
// The counts are of induced subgraphs.
package orbit
