#!/usr/bin/python3
"""Golden values for green/rankstat from SciPy (Debian python3-scipy).

Writes green/rankstat/testdata/scipy.json: rankdata, kruskal, spearmanr and
mannwhitneyu(method="asymptotic") on fixed samples with and without ties.
Usage: /usr/bin/python3 scripts/green/rankstat_golden.py
"""
import json
import os

import scipy
from scipy import stats

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "..", "green", "rankstat", "testdata", "scipy.json")

a = [12.5, 3.1, 7.7, 7.7, 9.0, 1.2, 15.3]
b = [4.4, 6.0, 2.2, 8.1, 8.1, 3.3]
c = [20.1, 18.4, 7.7, 16.0, 19.9]
x = [1.0, 2.5, 2.5, 4.0, 7.5, 3.3, 9.1, 6.2]
y = [2.0, 1.0, 3.0, 3.0, 8.0, 5.5, 9.9, 4.0]
u = [0.91, 0.89, 0.90, 0.93, 0.92]
v = [0.88, 0.87, 0.90, 0.86, 0.89, 0.85]

res = {
    "scipy": scipy.__version__,
    "samples": {"a": a, "b": b, "c": c, "x": x, "y": y, "u": u, "v": v},
    "rankdata_ab": stats.rankdata(a + b).tolist(),
    "kruskal_abc": list(map(float, stats.kruskal(a, b, c))),
    "kruskal_ab": list(map(float, stats.kruskal(a, b))),
    "spearman_xy": list(map(float, stats.spearmanr(x, y))),
    "mannwhitney_ab": list(map(float, stats.mannwhitneyu(a, b, method="asymptotic"))),
    "mannwhitney_uv": list(map(float, stats.mannwhitneyu(u, v, method="asymptotic"))),
    "mannwhitney_ca": list(map(float, stats.mannwhitneyu(c, a, method="asymptotic"))),
}
with open(out, "w") as f:
    json.dump(res, f, indent=1)
    f.write("\n")
print(out)
