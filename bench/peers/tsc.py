#!/usr/bin/python3
"""PyTorch peer of `erg bench tsc`: one training epoch of dl-4-tsc's FCN and ResNet on GunPoint.

Same architectures as erg's tsc/deep (Keras-equivalent: 'same' padding, BN eps 1e-3, Adam
lr 1e-3 eps 1e-7), same batch-size rule (min(n_train/10, 16) for FCN, min(n_train/10, 64)
for ResNet), per-series z-normalised input. Prints one JSON line:
{"peer": "pytorch 1.13.1", "threads": 2, "ms": {"fcn": ..., "resnet": ...}, ...}.
Each model runs --warmup untimed epochs, then --epochs timed epochs; the mean is reported.
Usage: /usr/bin/python3 bench/peers/tsc.py --data ../shared/data/ucr/GunPoint [--only fcn]
"""
import argparse
import json
import os
import time

import torch
from torch import nn


def read_ts(path):
    xs, ys, data = [], [], False
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if line.lower().startswith("@data"):
                data = True
                continue
            if not data:
                continue
            *dims, label = line.split(":")
            xs.append([[float(v) for v in d.split(",")] for d in dims])
            ys.append(label)
    return xs, ys


class ConvBN(nn.Module):
    def __init__(self, cin, cout, k, act=True):
        super().__init__()
        self.conv = nn.Conv1d(cin, cout, k, padding="same")
        self.bn = nn.BatchNorm1d(cout, eps=1e-3, momentum=0.01)
        self.act = act

    def forward(self, x):
        h = self.bn(self.conv(x))
        return torch.relu(h) if self.act else h


class FCN(nn.Module):
    def __init__(self, c, classes):
        super().__init__()
        self.body = nn.Sequential(ConvBN(c, 128, 8), ConvBN(128, 256, 5), ConvBN(256, 128, 3))
        self.out = nn.Linear(128, classes)

    def forward(self, x):
        return self.out(self.body(x).mean(dim=2))


class Block(nn.Module):
    def __init__(self, cin, f):
        super().__init__()
        self.c1, self.c2, self.c3 = ConvBN(cin, f, 8), ConvBN(f, f, 5), ConvBN(f, f, 3, act=False)
        self.sc = ConvBN(cin, f, 1, act=False) if cin != f else nn.BatchNorm1d(f, eps=1e-3, momentum=0.01)

    def forward(self, x):
        return torch.relu(self.c3(self.c2(self.c1(x))) + self.sc(x))


class ResNet(nn.Module):
    def __init__(self, c, classes):
        super().__init__()
        self.body = nn.Sequential(Block(c, 64), Block(64, 128), Block(128, 128))
        self.out = nn.Linear(128, classes)

    def forward(self, x):
        return self.out(self.body(x).mean(dim=2))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--only", default="fcn,resnet")
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--epochs", type=int, default=3)
    a = ap.parse_args()
    torch.set_num_threads(2)
    name = os.path.basename(os.path.normpath(a.data))
    xs, ys = read_ts(os.path.join(a.data, name + "_TRAIN.ts"))
    x = torch.tensor(xs, dtype=torch.float32)  # [n, dims, length]
    x = (x - x.mean(dim=2, keepdim=True)) / x.std(dim=2, keepdim=True).clamp_min(1e-8)
    classes = sorted(set(ys))
    y = torch.tensor([classes.index(v) for v in ys])
    n = x.shape[0]
    out = {"peer": "pytorch " + torch.__version__.split("a")[0], "threads": torch.get_num_threads(),
           "dataset": name, "n_train": n, "ms": {}, "batch": {}}
    for model_name in a.only.split(","):
        torch.manual_seed(0)
        cap = 16 if model_name == "fcn" else 64
        bs = max(1, min(n // 10, cap))
        model = (FCN if model_name == "fcn" else ResNet)(x.shape[1], len(classes))
        opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
        loss_fn = nn.CrossEntropyLoss()
        model.train()

        def epoch():
            perm = torch.randperm(n)
            for k in range(n // bs):
                idx = perm[k * bs:(k + 1) * bs]
                opt.zero_grad(set_to_none=True)
                loss = loss_fn(model(x[idx]), y[idx])
                loss.backward()
                opt.step()

        for _ in range(a.warmup):
            epoch()
        t0 = time.perf_counter()
        for _ in range(a.epochs):
            epoch()
        out["ms"][model_name] = (time.perf_counter() - t0) * 1000 / a.epochs
        out["batch"][model_name] = bs
    print(json.dumps(out))


if __name__ == "__main__":
    main()
