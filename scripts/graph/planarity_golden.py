"""Writes graphgen/eval/testdata/planarity.txt: random graphs (graph6) and
networkx's check_planarity verdict, one "graph6 0|1" line each. Debian's
python3-networkx. Run: /usr/bin/python3 scripts/graph/planarity_golden.py"""
import random

import networkx as nx

rng = random.Random(19)
out = []


def add(g):
    out.append((nx.to_graph6_bytes(g, header=False).strip().decode(), int(nx.check_planarity(g)[0])))


for i in range(400):
    n = rng.randint(5, 40)
    kind = i % 4
    if kind == 0:  # sparse G(n, p) around the planarity threshold
        g = nx.gnp_random_graph(n, rng.uniform(1.5, 4.0) / n, seed=rng.randrange(1 << 30))
    elif kind == 1:  # a maximal planar graph plus 0-2 random edges
        g = nx.Graph()
        g.add_nodes_from(range(3))
        g.add_edges_from([(0, 1), (1, 2), (0, 2)])
        faces = [(0, 1, 2), (0, 2, 1)]
        for v in range(3, n):
            a, b, c = faces.pop(rng.randrange(len(faces)))
            g.add_edges_from([(v, a), (v, b), (v, c)])
            faces += [(a, b, v), (b, c, v), (c, a, v)]
        for _ in range(rng.randint(0, 2)):
            u, v = rng.sample(range(n), 2)
            g.add_edge(u, v)
    elif kind == 2:  # random tree plus a few chords
        g = nx.random_labeled_tree(n, seed=rng.randrange(1 << 30)) if hasattr(nx, "random_labeled_tree") else nx.random_tree(n, seed=rng.randrange(1 << 30))
        for _ in range(rng.randint(0, 2 * n)):
            u, v = rng.sample(range(n), 2)
            g.add_edge(u, v)
    else:  # a subdivided K5 or K3,3 with extra nodes, relabelled
        h = nx.complete_graph(5) if rng.random() < 0.5 else nx.complete_bipartite_graph(3, 3)
        h = nx.convert_node_labels_to_integers(h)
        e = list(h.edges())
        for (u, v) in rng.sample(e, 2):
            w = h.number_of_nodes()
            h.remove_edge(u, v)
            h.add_edges_from([(u, w), (w, v)])
        if rng.random() < 0.5:  # remove an edge: becomes planar
            h.remove_edge(*rng.choice(list(h.edges())))
        perm = list(range(h.number_of_nodes()))
        rng.shuffle(perm)
        g = nx.relabel_nodes(h, dict(enumerate(perm)))
        g = nx.convert_node_labels_to_integers(g, ordering="sorted")
    add(g)

with open("graphgen/eval/testdata/planarity.txt", "w") as f:
    for s, p in out:
        f.write("%s %d\n" % (s, p))
print(sum(p for _, p in out), "planar of", len(out))
