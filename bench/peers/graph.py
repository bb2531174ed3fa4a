"""erg's graph-generation peer: GraphRNN/GRAN MMDs and 4-node orbit counts in
Python (networkx, numpy, scipy, pyemd from Debian: python3-networkx,
python3-numpy, python3-scipy, python3-pyemd).

  graph.py mmd REF.g6 GEN.g6     MMD² of degree/clustering/orbit/spectral, both kernels
  graph.py orbits SET.g6 [--rounds 3]
                                 time the orbit counts of every graph in SET (ms in "ms")

The definitions follow GraphRNN's eval/stats.py + eval/mmd.py (gaussian_emd with
pyemd and a Toeplitz ground distance, reported as "graphrnn_pyemd"; "graphrnn"
is the same kernel with the exact 1-D EMD of scipy's wasserstein_distance, since
pyemd's FastEMD rounds to integers x 1e6; L2 gaussian for orbits, sigma 30) and GRAN's
utils/eval (gaussian_tv; pmf = h / (sum + 1e-6)). ORCA is not packaged, so the
orbit counts come from an enumeration of connected 3- and 4-node sets (ESU), the
"networkx/Python reference" of `erg bench graph`. The last output line is one
JSON object.
"""
import json
import sys
import time

import networkx as nx
import numpy as np
import pyemd
from scipy.linalg import eigvalsh, toeplitz
from scipy.stats import wasserstein_distance


def load_set(path):
    gs = []
    with open(path, "rb") as f:
        for line in f:
            line = line.strip()
            if line:
                gs.append(nx.from_graph6_bytes(line))
    return gs


# ---- kernels (GraphRNN eval/mmd.py, GRAN utils/eval/mmd.py) ----

def pad(x, y):
    n = max(len(x), len(y))
    x = np.hstack((np.asarray(x, float), [0.0] * (n - len(x))))
    y = np.hstack((np.asarray(y, float), [0.0] * (n - len(y))))
    return x, y


def gaussian_emd(x, y, sigma=1.0, distance_scaling=1.0):
    n = max(len(x), len(y))
    d = toeplitz(range(n)).astype(float) / distance_scaling
    x, y = pad(x, y)
    emd = pyemd.emd(x, y, d)
    return np.exp(-emd * emd / (2 * sigma * sigma))


def gaussian_emd_exact(x, y, sigma=1.0, distance_scaling=1.0):
    """gaussian_emd with the exact 1-D EMD (scipy's wasserstein_distance):
    pyemd's FastEMD rounds masses and ground distances to integers (x 1e6)."""
    x, y = pad(x, y)
    support = np.arange(len(x)) / distance_scaling
    emd = wasserstein_distance(support, support, x, y) if x.sum() > 0 and y.sum() > 0 else 0.0
    return np.exp(-emd * emd / (2 * sigma * sigma))


def gaussian(x, y, sigma=1.0):
    x, y = pad(x, y)
    dist = np.linalg.norm(x - y, 2)
    return np.exp(-dist * dist / (2 * sigma * sigma))


def gaussian_tv(x, y, sigma=1.0):
    x, y = pad(x, y)
    dist = np.abs(x - y).sum() / 2.0
    return np.exp(-dist * dist / (2 * sigma * sigma))


def disc(a, b, kernel, **kw):
    d = 0.0
    for s1 in a:
        for s2 in b:
            d += kernel(s1, s2, **kw)
    return d / (len(a) * len(b))


def compute_mmd(a, b, kernel, is_hist=True, eps=0.0, **kw):
    if is_hist:
        a = [s / (np.sum(s) + eps) for s in a]
        b = [s / (np.sum(s) + eps) for s in b]
    return disc(a, a, kernel, **kw) + disc(b, b, kernel, **kw) - 2 * disc(a, b, kernel, **kw)


# ---- orbits: ESU enumeration of connected 3- and 4-node sets ----

def orbit_counts(G):
    nodes = list(G.nodes())
    idx = {u: i for i, u in enumerate(nodes)}
    n = len(nodes)
    adj = [set() for _ in range(n)]
    for u, v in G.edges():
        if u != v:
            adj[idx[u]].add(idx[v])
            adj[idx[v]].add(idx[u])
    o = np.zeros((n, 15), dtype=np.int64)
    for u in range(n):
        o[u, 0] = len(adj[u])

    def classify(s):
        d = {v: len(adj[v] & s) for v in s}
        if len(s) == 3:
            e = sum(d.values()) // 2
            for v in s:
                o[v, 3 if e == 3 else (2 if d[v] == 2 else 1)] += 1
            return
        e = sum(d.values()) // 2
        mx = max(d.values())
        for v in s:
            k = d[v]
            if e == 3:
                o[v, (7 if k == 3 else 6) if mx == 3 else (5 if k == 2 else 4)] += 1
            elif e == 4:
                o[v, 8 if mx == 2 else {1: 9, 2: 10, 3: 11}[k]] += 1
            elif e == 5:
                o[v, 13 if k == 3 else 12] += 1
            else:
                o[v, 14] += 1

    # ESU (Wernicke 2006): every connected set of size <= 4 exactly once
    def extend(sub, ext, v, nbh):
        if len(sub) >= 3:
            classify(sub)
        if len(sub) == 4:
            return
        ext = set(ext)
        while ext:
            w = ext.pop()
            new = ext | {x for x in adj[w] if x > v and x not in sub and x not in nbh}
            extend(sub | {w}, new, v, nbh | adj[w])

    for v in range(n):
        extend({v}, {x for x in adj[v] if x > v}, v, adj[v] | {v})
    return o


# ---- descriptors ----

def degree_hist(G):
    return np.array(nx.degree_histogram(G))


def clustering_hist(G, bins=100):
    h, _ = np.histogram(list(nx.clustering(G).values()), bins=bins, range=(0.0, 1.0), density=False)
    return h


def spectral_pmf(G):
    eigs = eigvalsh(nx.normalized_laplacian_matrix(G).todense())
    # LAPACK returns a bipartite graph's eigenvalue 2 as 2 +- a few ulp, and
    # np.histogram drops it when above 2: clip, as erg does
    eigs = np.clip(eigs, -1e-5, 2)
    h, _ = np.histogram(eigs, bins=200, range=(-1e-5, 2), density=False)
    return h / h.sum()


def orbit_feature(G):
    return np.sum(orbit_counts(G), axis=0) / G.number_of_nodes()


def mmds(ref, gen):
    gen = [g for g in gen if g.number_of_nodes() > 0]
    d = {}
    f = {name: ([fn(g) for g in ref], [fn(g) for g in gen]) for name, fn in
         [("degree", degree_hist), ("clustering", clustering_hist), ("orbit", orbit_feature), ("spectral", spectral_pmf)]}
    d["degree"] = {"graphrnn": compute_mmd(*f["degree"], kernel=gaussian_emd_exact),
                   "graphrnn_pyemd": compute_mmd(*f["degree"], kernel=gaussian_emd),
                   "gran": compute_mmd(*f["degree"], kernel=gaussian_tv, eps=1e-6)}
    d["clustering"] = {"graphrnn": compute_mmd(*f["clustering"], kernel=gaussian_emd_exact, sigma=0.1, distance_scaling=100),
                       "graphrnn_pyemd": compute_mmd(*f["clustering"], kernel=gaussian_emd, sigma=0.1, distance_scaling=100),
                       "gran": compute_mmd(*f["clustering"], kernel=gaussian_tv, eps=1e-6, sigma=0.1)}
    d["orbit"] = {"graphrnn": compute_mmd(*f["orbit"], kernel=gaussian, is_hist=False, sigma=30.0),
                  "gran": compute_mmd(*f["orbit"], kernel=gaussian_tv, is_hist=False, sigma=30.0)}
    d["spectral"] = {"graphrnn": compute_mmd(*f["spectral"], kernel=gaussian_emd_exact),
                     "graphrnn_pyemd": compute_mmd(*f["spectral"], kernel=gaussian_emd),
                     "gran": compute_mmd(*f["spectral"], kernel=gaussian_tv, eps=1e-6)}
    return d


def peer_name():
    return "networkx %s numpy %s pyemd" % (nx.__version__, np.__version__)


def main(argv):
    if len(argv) >= 3 and argv[0] == "mmd":
        ref, gen = load_set(argv[1]), load_set(argv[2])
        t = time.perf_counter()
        out = mmds(ref, gen)
        ms = (time.perf_counter() - t) * 1e3
        print(json.dumps({"peer": peer_name(), "ms": {"mmd": ms}, "mmd": out,
                          "n_ref": len(ref), "n_gen": len(gen)}))
        return
    if len(argv) >= 2 and argv[0] == "orbits":
        rounds = 3
        if "--rounds" in argv:
            rounds = int(argv[argv.index("--rounds") + 1])
        gs = load_set(argv[1])
        best = float("inf")
        tot = np.zeros(15, dtype=np.int64)
        for _ in range(rounds):
            t = time.perf_counter()
            tot = sum(np.sum(orbit_counts(g), axis=0) for g in gs)
            best = min(best, time.perf_counter() - t)
        print(json.dumps({"peer": peer_name(), "ms": {"orbits": best * 1e3},
                          "totals": [int(x) for x in tot], "graphs": len(gs)}))
        return
    sys.exit("usage: graph.py mmd REF.g6 GEN.g6 | graph.py orbits SET.g6 [--rounds N]")


if __name__ == "__main__":
    main(sys.argv[1:])
