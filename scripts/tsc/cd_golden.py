#!/usr/bin/python3
"""Golden values for the tests of tsc/cd, from scipy (and networkx for the cliques).

Regenerate with (needs python3-scipy and python3-networkx from Debian):

    /usr/bin/python3 scripts/tsc/cd_golden.py > tsc/cd/testdata/golden.json

- friedman: scipy.stats.friedmanchisquare on accuracy tables (columns = models).
- wilcoxon: scipy.stats.wilcoxon(x, y, zero_method=...) two-sided, default method
  ("auto": exact for n <= 50 without zeros, else the normal approximation).
- qalpha: scipy.stats.studentized_range.ppf(1 - alpha, k, inf) / sqrt(2), the
  Nemenyi critical values tabulated by Demsar (2006), Table 5(a).
- holm: the Wilcoxon-Holm procedure of hfawaz/cd-diagram (pairs tested with
  zero_method="pratt", p-values sorted, step-down alpha/(m-i)), average ranks
  (rank 1 = highest accuracy, ties averaged) and the maximal cliques
  (networkx.find_cliques) of the graph joining pairs that are not significantly
  different.
"""
import json
import sys

import networkx
import numpy as np
import scipy
from scipy import stats


def friedman_case(acc):
    chi2, p = stats.friedmanchisquare(*acc.T)
    return {"acc": acc.tolist(), "chi2": float(chi2), "p": float(p)}


def wilcoxon_case(x, y, zero_method):
    res = stats.wilcoxon(x, y, zero_method=zero_method)
    return {"x": list(map(float, x)), "y": list(map(float, y)), "zero_method": zero_method,
            "statistic": float(res.statistic), "p": float(res.pvalue)}


def holm_case(acc, models, alpha=0.05):
    m = len(models)
    pv = []
    for i in range(m - 1):
        for j in range(i + 1, m):
            p = stats.wilcoxon(acc[:, i], acc[:, j], zero_method="pratt")[1]
            pv.append([models[i], models[j], float(p), False])
    pv.sort(key=lambda t: t[2])
    k = len(pv)
    for i in range(k):
        if pv[i][2] <= alpha / (k - i):
            pv[i][3] = True
        else:
            break
    ranks = np.array([stats.rankdata(-row) for row in acc]).mean(axis=0)
    g = networkx.Graph()
    g.add_nodes_from(models)
    for a, b, _, sig in pv:
        if not sig:
            g.add_edge(a, b)
    cliques = sorted(sorted(c) for c in networkx.find_cliques(g) if len(c) > 1)
    return {"acc": acc.tolist(), "models": models, "alpha": alpha,
            "pairs": pv, "avg_ranks": ranks.tolist(), "cliques": cliques}


def main():
    rng = np.random.default_rng(7)
    out = {"source": f"scripts/tsc/cd_golden.py (scipy {scipy.__version__}, networkx {networkx.__version__})"}
    a = rng.uniform(0.6, 1.0, size=(12, 4))
    a[:, 1] += 0.05
    b = np.round(rng.uniform(0.5, 1.0, size=(20, 5)), 2)  # rounded: many ties
    c = np.array([[0.9, 0.8, 0.7], [0.8, 0.8, 0.8], [0.95, 0.9, 0.9], [0.7, 0.75, 0.6]])
    out["friedman"] = [friedman_case(a), friedman_case(b), friedman_case(c)]
    x = rng.uniform(0, 1, 15)
    y = x + rng.normal(0.05, 0.1, 15)
    xz = np.round(rng.uniform(0, 1, 30), 1)
    yz = np.round(xz + rng.normal(0.02, 0.1, 30), 1)  # zeros and ties
    xl = rng.uniform(0, 1, 60)
    yl = xl + rng.normal(0.01, 0.1, 60)
    out["wilcoxon"] = [
        wilcoxon_case(x, y, "pratt"), wilcoxon_case(x, y, "wilcox"),
        wilcoxon_case(xz, yz, "pratt"), wilcoxon_case(xz, yz, "wilcox"), wilcoxon_case(xz, yz, "zsplit"),
        wilcoxon_case(xl, yl, "pratt"), wilcoxon_case(x[:6], y[:6], "pratt"),
    ]
    out["qalpha"] = {str(alpha): [float(stats.studentized_range.ppf(1 - alpha, k, np.inf) / np.sqrt(2))
                                  for k in range(2, 13)] for alpha in (0.05, 0.1)}
    models = ["fcn", "resnet", "minirocket", "mlp", "encoder"]
    d = rng.uniform(0.6, 0.95, size=(30, 5))
    d[:, 1] += 0.05
    d[:, 2] += 0.12
    d[:, 3] -= 0.08
    out["holm"] = [holm_case(d, models)]
    json.dump(out, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
