#!/usr/bin/python3
"""Golden values for the tests of tsc/minirocket.

Regenerate with (needs python3-numpy and python3-sklearn from Debian):

    /usr/bin/python3 scripts/tsc/minirocket_golden.py > tsc/minirocket/testdata/golden.json

The transform here is written from the definition in Dempster, Schmidt & Webb (2021),
MiniRocket, KDD: each of the 84 kernels of length 9 has weight -1 everywhere except 2
at three positions (itertools.combinations(range(9), 3)); the output is the dilated
convolution with zero padding (computed directly, shift by shift, not with the
reference code's C_alpha/C_gamma decomposition), summed over the kernel's channels;
biases are np.quantile of the output of a chosen training case at the quantiles
frac(i*golden ratio); features are PPV = mean(C > bias), over the whole output or,
for every other (dilation, kernel) pair in the equal-length mode, over the part
computed without padding. The random choices (training case per combination,
channel subsets) are drawn here with numpy and written to the file, so the Go test
replays them. Inputs are small integers so every convolution output is exact in both
float32 and float64.

The ridge part fits sklearn's RidgeClassifierCV(alphas=np.logspace(-3, 3, 10)) to
features that are first centred and divided by the L2 norm of each centred column,
which is what normalize=True did in the scikit-learn versions the MiniRocket paper
used (the argument was removed in scikit-learn 1.2).
"""
import itertools
import json
import sys

import numpy as np
import sklearn
from sklearn.linear_model import RidgeClassifierCV

KERNELS = list(itertools.combinations(range(9), 3))
PHI = (np.sqrt(5) + 1) / 2


def dilations(length, num_features, max_dilations):
    per_kernel = num_features // 84
    m = min(per_kernel, max_dilations)
    mult = per_kernel / m
    e = np.log2((length - 1) / 8)
    d, counts = np.unique(np.logspace(0, e, m, base=2).astype(np.int32), return_counts=True)
    nf = (counts * mult).astype(np.int32)
    i = 0
    while nf.sum() < per_kernel:
        nf[i] += 1
        i = (i + 1) % len(nf)
    return [int(v) for v in d], [int(v) for v in nf]


def conv(x, d, k):
    """x: (channels, L) float64; direct dilated convolution, zero padded, summed over channels."""
    w = np.full(9, -1.0)
    w[list(KERNELS[k])] = 2.0
    s = x.sum(axis=0)
    L = len(s)
    out = np.zeros(L)
    for j in range(9):
        off = (j - 4) * d  # out[t] += w[j] * s[t + off]
        if off >= 0:
            if off < L:
                out[: L - off] += w[j] * s[off:]
        else:
            if -off < L:
                out[-off:] += w[j] * s[: L + off]
    return out


def transform_case(x, dil, nf, biases, combos, variable):
    feats = []
    fi = 0
    comb = 0
    for di, d in enumerate(dil):
        pad = 4 * d
        for k in range(84):
            ch = combos[comb] if combos is not None else [0]
            c = conv(x[ch], d, k)
            if not variable and (di + k) % 2 == 1:
                c = c[pad: len(c) - pad]
            for f in range(nf[di]):
                feats.append(float(np.mean(c > biases[fi + f])))
            fi += nf[di]
            comb += 1
    return feats


def pad9(x):
    if x.shape[1] >= 9:
        return x
    return np.concatenate([x, np.zeros((x.shape[0], 9 - x.shape[1]))], axis=1)


def case(name, rng, train, test, num_features, multivariate):
    lengths = [x.shape[1] for x in train]
    variable = min(lengths) != max(lengths)
    ref = max(max(lengths), 9)
    dil, nf = dilations(ref, num_features, 32)
    nfeat = 84 * sum(nf)
    q = np.array([(i * PHI) % 1 for i in range(1, nfeat + 1)], dtype=np.float32).astype(np.float64)
    dims = train[0].shape[0]
    ncomb = 84 * len(dil)
    per, idx, combos = [], [], None
    if multivariate:
        maxexp = np.log2(min(dims, 9) + 1)
        per = (2 ** rng.uniform(0, maxexp, ncomb)).astype(np.int32)
        combos = []
        for n in per:
            ch = rng.choice(dims, n, replace=False)
            combos.append([int(c) for c in ch])
            idx.extend(int(c) for c in ch)
        per = [int(n) for n in per]
    examples = []
    biases = np.zeros(nfeat)
    fi = 0
    comb = 0
    for di, d in enumerate(dil):
        for k in range(84):
            e = int(rng.integers(len(train)))
            examples.append(e)
            ch = combos[comb] if combos is not None else [0]
            c = conv(pad9(train[e])[ch], d, k)
            b = np.quantile(c, q[fi: fi + nf[di]])
            biases[fi: fi + nf[di]] = b.astype(np.float32)
            fi += nf[di]
            comb += 1
    feats = [transform_case(pad9(x), dil, nf, biases, combos, variable) for x in test]
    return {
        "name": name,
        "num_features": num_features,
        "train": [x.tolist() for x in train],
        "test": [x.tolist() for x in test],
        "examples": examples,
        "channels_per_combination": per,
        "channel_indices": idx,
        "variable": variable,
        "length": int(ref),
        "dilations": dil,
        "features_per_dilation": nf,
        "biases": [float(b) for b in biases],
        "features": feats,
    }


def ridge_case(name, rng, n, p, k, ntest):
    centres = rng.normal(size=(k, p))
    y = np.arange(n) % k
    X = centres[y] + 2 * rng.normal(size=(n, p))
    yt = np.arange(ntest) % k
    Xt = centres[yt] + 2 * rng.normal(size=(ntest, p))
    X[:, 0] = 1.5  # a constant column: scale 0 is replaced by 1
    mean = X.mean(axis=0)
    scale = np.sqrt(((X - mean) ** 2).sum(axis=0))
    scale[scale == 0] = 1
    clf = RidgeClassifierCV(alphas=np.logspace(-3, 3, 10), store_cv_values=True)
    clf.fit((X - mean) / scale, y)
    dec = clf.decision_function((Xt - mean) / scale)
    if dec.ndim == 1:  # binary: one column, positive for class 1
        dec = np.stack([-dec, dec], axis=1)
    cv = clf.cv_values_.reshape(n, -1, 10)
    return {
        "name": name, "n": n, "p": p, "k": k,
        "x": X.ravel().tolist(), "y": y.tolist(), "x_test": Xt.ravel().tolist(),
        "alpha": float(clf.alpha_),
        "loo_errors": cv.mean(axis=(0, 1)).tolist(),
        "decision": dec.tolist(),
        "predict": clf.predict((Xt - mean) / scale).tolist(),
    }


def main():
    rng = np.random.default_rng(20240601)
    ints = lambda *shape: rng.integers(-3, 4, size=shape).astype(np.float64)
    cases = [
        case("univariate", rng, [ints(1, 50) for _ in range(8)], [ints(1, 50) for _ in range(3)], 1000, False),
        case("multivariate", rng, [ints(3, 30) for _ in range(6)], [ints(3, 30) for _ in range(3)], 840, True),
        case("variable", rng, [ints(1, L) for L in (12, 40, 25, 7, 33)], [ints(1, L) for L in (5, 18, 60)], 840, False),
    ]
    lengths = [9, 10, 12, 17, 24, 25, 33, 100, 150, 251, 1344, 5000]
    dil = {str(L): dilations(L, 10000, 32) for L in lengths}
    ridge = [ridge_case("gram_multiclass", rng, 30, 50, 3, 7),
             ridge_case("primal_binary", rng, 60, 12, 2, 7)]
    json.dump({
        "source": f"scripts/tsc/minirocket_golden.py (numpy {np.__version__}, scikit-learn {sklearn.__version__})",
        "transform": cases, "dilations_default": dil, "ridge": ridge,
    }, sys.stdout)


if __name__ == "__main__":
    main()
