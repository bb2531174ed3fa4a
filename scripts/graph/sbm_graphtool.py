"""SPECTRE's strict SBM validity (is_sbm_graph: graph-tool's
minimize_blockmodel_dl, merge-split refinement, Wald test) on a graph6 set:
prints "graph6 0|1" per graph. Debian's python3-graph-tool, python3-networkx,
python3-scipy. Used for graphgen/eval/testdata/sbm_graphtool.txt:
  /usr/bin/python3 scripts/graph/sbm_graphtool.py SET.g6 [refinement_steps] > out.txt
"""
import sys

import graph_tool.all as gt
import networkx as nx
import numpy as np
from scipy.stats import chi2


def is_sbm_graph(G, p_intra=0.3, p_inter=0.005, strict=True, refinement_steps=1000):
    adj = nx.adjacency_matrix(G).toarray()
    idx = adj.nonzero()
    g = gt.Graph()
    g.add_edge_list(np.transpose(idx))
    try:
        state = gt.minimize_blockmodel_dl(g)
    except ValueError:
        return False
    for _ in range(refinement_steps):
        state.multiflip_mcmc_sweep(beta=np.inf, niter=10)
    b = gt.contiguous_map(state.get_blocks())
    state = state.copy(b=b)
    e = state.get_matrix()
    n_blocks = state.get_nonempty_B()
    node_counts = state.get_nr().get_array()[:n_blocks]
    edge_counts = e.todense()[:n_blocks, :n_blocks]
    if strict:
        if (node_counts > 40).sum() > 0 or (node_counts < 20).sum() > 0 or n_blocks > 5 or n_blocks < 2:
            return False
    max_intra_edges = node_counts * (node_counts - 1)
    est_p_intra = np.diagonal(edge_counts) / (max_intra_edges + 1e-6)
    max_inter_edges = node_counts.reshape((-1, 1)) @ node_counts.reshape((1, -1))
    np.fill_diagonal(edge_counts, 0)
    est_p_inter = edge_counts / (max_inter_edges + 1e-6)
    W_p_intra = (est_p_intra - p_intra) ** 2 / (est_p_intra * (1 - est_p_intra) + 1e-6)
    W_p_inter = (est_p_inter - p_inter) ** 2 / (est_p_inter * (1 - est_p_inter) + 1e-6)
    W = W_p_inter.copy()
    np.fill_diagonal(W, W_p_intra)
    p = 1 - chi2.cdf(abs(W), 1)
    return p.mean() > 0.9


steps = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
gt.seed_rng(1)
np.random.seed(1)
for line in open(sys.argv[1], "rb"):
    line = line.strip()
    if line:
        print(line.decode(), int(is_sbm_graph(nx.from_graph6_bytes(line), refinement_steps=steps)), flush=True)
