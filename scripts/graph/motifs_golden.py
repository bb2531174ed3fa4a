"""Writes graphgen/orbit/testdata/motifs.txt: graph-tool's induced 4-node
motif counts (graph_tool.clustering.motifs(g, 4)) of collection networks, one
line "name paths stars cycles paws diamonds cliques". Debian's
python3-graph-tool. Run: /usr/bin/python3 scripts/graph/motifs_golden.py"""
import graph_tool.all as gt
from graph_tool.clustering import motifs

out = []
for name in ["karate", "dolphins", "lesmis", "polbooks", "football"]:
    g = gt.collection.data[name]
    g = gt.Graph(g, directed=False)
    gt.remove_self_loops(g)
    gt.remove_parallel_edges(g)
    ms, counts = motifs(g, 4)
    by = {}
    for m, c in zip(ms, counts):
        degs = sorted(int(v.out_degree()) for v in m.vertices())
        key = {(1, 1, 2, 2): "paths", (1, 1, 1, 3): "stars", (2, 2, 2, 2): "cycles",
               (1, 2, 2, 3): "paws", (2, 2, 3, 3): "diamonds", (3, 3, 3, 3): "cliques"}[tuple(degs)]
        by[key] = by.get(key, 0) + int(c)
    out.append("%s %d %d %d %d %d %d" % (name, by.get("paths", 0), by.get("stars", 0), by.get("cycles", 0),
                                         by.get("paws", 0), by.get("diamonds", 0), by.get("cliques", 0)))
with open("graphgen/orbit/testdata/motifs.txt", "w") as f:
    f.write("\n".join(out) + "\n")
print("\n".join(out))
