#!/usr/bin/python3
"""PyTorch 1.13 floating-point baseline of `erg analog train --device fp`.

The network and schedule of aihwkit's examples/03_mnist_training.py on
Fashion-MNIST: 784-256-128-10, sigmoid, log-softmax, nn.NLLLoss, SGD lr 0.05
halved every 10 epochs (StepLR(step_size=10, gamma=0.5)), 30 epochs, batch 64,
pixels scaled to [0, 1] (ToTensor, no normalisation), 2 threads (--threads).

Reads Debian's dataset-fashion-mnist IDX files (no torchvision download).
Prints one JSON object: per-epoch test accuracy and the final one.

    /usr/bin/python3 scripts/analog/fp_mlp.py [--epochs 30] [--seed 0] [--dir DIR]
"""
import argparse, gzip, json, os, struct, time

import numpy as np
import torch
from torch import nn


def idx(path):
    op = gzip.open if path.endswith(".gz") else open
    with op(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    nd = magic & 0xFF
    dims = struct.unpack(">" + "I" * nd, data[4:4 + 4 * nd])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * nd).reshape(dims)


def load(d, split):
    pre = "train" if split == "train" else "t10k"
    x = idx(os.path.join(d, pre + "-images-idx3-ubyte.gz")).reshape(-1, 784).astype(np.float32) / 255.0
    y = idx(os.path.join(d, pre + "-labels-idx1-ubyte.gz")).astype(np.int64)
    return torch.from_numpy(x), torch.from_numpy(y)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--dir", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--threads", type=int, default=2, help="torch threads (2 for the fair comparison)")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    xtr, ytr = load(a.dir, "train")
    xte, yte = load(a.dir, "test")
    model = nn.Sequential(nn.Linear(784, 256), nn.Sigmoid(), nn.Linear(256, 128), nn.Sigmoid(),
                          nn.Linear(128, 10), nn.LogSoftmax(dim=1))
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=10, gamma=0.5)
    loss_fn = nn.NLLLoss()
    hist = []
    t0 = time.time()
    for ep in range(a.epochs):
        te = time.time()
        perm = torch.randperm(len(ytr))
        tot = 0.0
        for s in range(0, len(ytr), 64):  # the last, partial batch as PyTorch's DataLoader
            i = perm[s:s + 64]
            opt.zero_grad()
            loss = loss_fn(model(xtr[i]), ytr[i])
            loss.backward()
            opt.step()
            tot += loss.item()
        sched.step()
        with torch.no_grad():
            acc = (model(xte).argmax(1) == yte).float().mean().item()
        hist.append({"epoch": ep + 1, "test_acc": acc, "train_loss": tot / ((len(ytr) + 63) // 64),
                     "epoch_seconds": time.time() - te})
        print(json.dumps(hist[-1]), flush=True)
    print(json.dumps({"peer": "pytorch " + torch.__version__, "test_acc": hist[-1]["test_acc"],
                      "seconds": time.time() - t0, "history": hist}))


if __name__ == "__main__":
    main()
