#!/usr/bin/python3
"""Golden moments of the toy densities, from FFJORD's generators (numpy + scikit-learn).

The generators below restate rtqichen/ffjord lib/toy_data.py (and the 25gaussians of
J-zin/energy-discrepancy, notebooks/density_estimation.ipynb) with numpy and
scikit-learn; for each density it draws 10^6 points with a fixed seed and writes the
mean and covariance, with their standard errors, to ebm/density/testdata/moments.json.

    /usr/bin/python3 scripts/ebm/density_golden.py ebm/density/testdata/moments.json
"""
import json
import sys

import numpy as np
import sklearn
import sklearn.datasets
from sklearn.utils import shuffle as util_shuffle


def gen(data, rng, n):
    if data == "swissroll":
        x = sklearn.datasets.make_swiss_roll(n_samples=n, noise=1.0, random_state=rng)[0]
        return x[:, [0, 2]] / 5
    if data == "rings":
        n4 = n3 = n2 = n // 4
        n1 = n - n4 - n3 - n2
        l4 = np.linspace(0, 2 * np.pi, n4, endpoint=False)
        l3 = np.linspace(0, 2 * np.pi, n3, endpoint=False)
        l2 = np.linspace(0, 2 * np.pi, n2, endpoint=False)
        l1 = np.linspace(0, 2 * np.pi, n1, endpoint=False)
        X = np.vstack([
            np.hstack([np.cos(l4), np.cos(l3) * 0.75, np.cos(l2) * 0.5, np.cos(l1) * 0.25]),
            np.hstack([np.sin(l4), np.sin(l3) * 0.75, np.sin(l2) * 0.5, np.sin(l1) * 0.25]),
        ]).T * 3.0
        X = util_shuffle(X, random_state=rng)
        return X + rng.normal(scale=0.08, size=X.shape)
    if data == "moons":
        x = sklearn.datasets.make_moons(n_samples=n, noise=0.1, random_state=rng)[0]
        return x * 2 + np.array([-1, -0.2])
    if data == "8gaussians":
        s = 1.0 / np.sqrt(2)
        centers = 4 * np.array([(1, 0), (-1, 0), (0, 1), (0, -1), (s, s), (s, -s), (-s, s), (-s, -s)])
        x = rng.randn(n, 2) * 0.5 + centers[rng.randint(8, size=n)]
        return x / 1.414
    if data == "25gaussians":
        centers = np.array([(4 * a / 2, 4 * b / 2) for a in range(-2, 3) for b in range(-2, 3)])
        x = rng.randn(n, 2) * 0.2 + centers[rng.randint(25, size=n)]
        return x / 1.414
    if data == "pinwheel":
        radial_std, tangential_std, num_classes, rate = 0.3, 0.1, 5, 0.25
        per = n // 5
        rads = np.linspace(0, 2 * np.pi, num_classes, endpoint=False)
        f = rng.randn(num_classes * per, 2) * np.array([radial_std, tangential_std])
        f[:, 0] += 1.0
        labels = np.repeat(np.arange(num_classes), per)
        angles = rads[labels] + rate * np.exp(f[:, 0])
        rot = np.stack([np.cos(angles), -np.sin(angles), np.sin(angles), np.cos(angles)])
        rot = np.reshape(rot.T, (-1, 2, 2))
        return 2 * rng.permutation(np.einsum("ti,tij->tj", f, rot))
    if data == "2spirals":
        m = np.sqrt(rng.rand(n // 2, 1)) * 540 * (2 * np.pi) / 360
        d1x = -np.cos(m) * m + rng.rand(n // 2, 1) * 0.5
        d1y = np.sin(m) * m + rng.rand(n // 2, 1) * 0.5
        x = np.vstack((np.hstack((d1x, d1y)), np.hstack((-d1x, -d1y)))) / 3
        return x + rng.randn(*x.shape) * 0.1
    if data == "checkerboard":
        x1 = rng.rand(n) * 4 - 2
        x2_ = rng.rand(n) - rng.randint(0, 2, n) * 2
        x2 = x2_ + (np.floor(x1) % 2)
        return np.concatenate([x1[:, None], x2[:, None]], 1) * 2
    raise ValueError(data)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "ebm/density/testdata/moments.json"
    n = 1_000_000
    res = {"source": "FFJORD lib/toy_data.py generators, numpy %s, scikit-learn %s, n=%d, seed 1"
           % (np.__version__, sklearn.__version__, n), "densities": {}}
    for name in ["8gaussians", "25gaussians", "2spirals", "checkerboard", "pinwheel", "moons", "rings", "swissroll"]:
        x = gen(name, np.random.RandomState(1), n)
        mean = x.mean(0)
        cov = np.cov(x.T)
        # standard errors: of the mean, sqrt(var/n); of E[(x_a-m_a)(x_b-m_b)], sd of the product / sqrt(n)
        c = x - mean
        prod = np.stack([c[:, 0] ** 2, c[:, 0] * c[:, 1], c[:, 1] ** 2], 1)
        res["densities"][name] = {
            "mean": mean.tolist(),
            "cov": [cov[0, 0], cov[0, 1], cov[1, 1]],
            "mean_se": (x.std(0) / np.sqrt(len(x))).tolist(),
            "cov_se": (prod.std(0) / np.sqrt(len(x))).tolist(),
        }
    with open(out, "w") as f:
        json.dump(res, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
