// Package topology enumerates the valence terms of a molecular graph as espaloma
// and SMIRNOFF define them: bonds, angles, proper torsions, trefoil improper
// torsions around 3-connected atoms, and the 1-4 and excluded (1-2, 1-3) pairs of
// the nonbonded interactions.
//
// References: espaloma/graphs/utils/read_heterogeneous_graph.py (n2, n3, n4,
// n4_improper, onefour, nonbonded), espaloma/nn/readout/janossy.py
// (JanossyPoolingImproper: the SMIRNOFF trefoil (0,1,2,3), (2,1,3,0), (3,1,0,2) with
// atom 1 the centre), github.com/choderalab/espaloma.
package topology
