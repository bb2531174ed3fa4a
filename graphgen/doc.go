// Package graphgen is erg's graph generation benchmark: the undirected simple
// Graph type shared by the data sets (package graphgen/dataset), the baseline
// models (graphgen/baseline), the orbit counter (graphgen/orbit) and the
// GraphRNN/GRAN/SPECTRE metrics (graphgen/eval).
//
// A set of graphs is stored on disk as a graph6 file (one graph a line, the
// format of nauty and of networkx.read_graph6), so a GraphRNN or GRAN user can
// load it with
//
//	import networkx as nx
//	graphs = nx.read_graph6("train.g6")
package graphgen
