#!/usr/bin/python3
"""PyTorch 1.13 cross-check of erg's `cnn` (vision/cnn.go) on Fashion-MNIST: accuracy and epoch time.

Model (NCHW here; erg is NHWC, which only permutes the flattened features):
  conv3x3 32 pad 1 (bias), ReLU, maxpool 2; conv3x3 64 pad 1 (bias), ReLU, maxpool 2;
  flatten (7x7x64 = 3136); dense 128, ReLU; dense 10.  421,642 parameters on 28x28x1.
Training as erg's vision defaults: Adam (lr 1e-3, betas 0.9/0.999, eps 1e-8), batch 64, a fresh
permutation per epoch with the last partial batch dropped, CosineAnnealingLR(T_max=epochs) stepped
per epoch, pixels /255 normalised with (0.2860, 0.3530), PyTorch's default initialisation.
Prints one line per epoch (train loss, test accuracy, train seconds and CPU seconds: on a loaded
machine the CPU time per step is the steadier figure) and a final JSON line.

Usage: /usr/bin/python3 scripts/green/cnn_torch.py [--epochs 15] [--threads 2] [--subset N] [--max-steps N]
       /usr/bin/python3 scripts/green/cnn_torch.py --count-params
Needs the Debian packages python3-torch and dataset-fashion-mnist (scripts/peers/green.txt).
"""
import argparse
import gzip
import json
import os
import struct
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

FASHION = "/usr/share/datasets/fashion-mnist"
MEAN, STD = 0.2860, 0.3530


class CNN(nn.Module):
    def __init__(self, channels=1, size=28, classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, 32, 3, padding=1)
        self.conv2 = nn.Conv2d(32, 64, 3, padding=1)
        s = size // 4
        self.fc1 = nn.Linear(64 * s * s, 128)
        self.out = nn.Linear(128, classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        return self.out(F.relu(self.fc1(x)))


def read_idx(path):
    op = gzip.open if path.endswith(".gz") else open
    with op(path, "rb") as f:
        data = f.read()
    _, _, ndim = struct.unpack(">HBB", data[:4])
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return torch.frombuffer(bytearray(data[4 + 4 * ndim:]), dtype=torch.uint8).reshape(dims)


def load(split, root):
    prefix = "train" if split == "train" else "t10k"

    def find(kind):
        for name in (f"{prefix}-{kind}-ubyte", f"{prefix}-{kind}-ubyte.gz"):
            p = os.path.join(root, name)
            if os.path.exists(p):
                return p
        raise FileNotFoundError(f"{root}: no {prefix}-{kind}-ubyte[.gz]")

    x = read_idx(find("images-idx3")).float().div_(255).unsqueeze(1)
    y = read_idx(find("labels-idx1")).long()
    return (x - MEAN) / STD, y


def evaluate(model, x, y, batch=500):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(y), batch):
            correct += (model(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum().item()
    model.train()
    return correct / len(y)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=FASHION)
    ap.add_argument("--epochs", type=int, default=15)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--subset", type=int, default=0, help="train on the first N images (0: all)")
    ap.add_argument("--max-steps", type=int, default=0, help="stop after this many steps (timing)")
    ap.add_argument("--count-params", action="store_true")
    a = ap.parse_args()
    if a.count_params:
        for c, s in ((1, 28), (3, 32)):
            print(json.dumps({"model": "cnn", "input": f"{s}x{s}x{c}", "params": sum(p.numel() for p in CNN(c, s).parameters())}))
        return
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    xtr, ytr = load("train", a.data)
    xte, yte = load("test", a.data)
    if a.subset:
        xtr, ytr = xtr[:a.subset], ytr[:a.subset]
    model = CNN()
    opt = torch.optim.Adam(model.parameters(), lr=a.lr, betas=(0.9, 0.999), eps=1e-8)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=a.epochs)
    g = torch.Generator().manual_seed(a.seed)
    steps, per_epoch = 0, []
    spe = len(ytr) // a.batch
    for epoch in range(1, a.epochs + 1):
        perm = torch.randperm(len(ytr), generator=g)
        t0, c0 = time.perf_counter(), time.process_time()
        tot = 0.0
        for s in range(spe):
            idx = perm[s * a.batch:(s + 1) * a.batch]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item()
            steps += 1
            if a.max_steps and steps >= a.max_steps:
                break
        sec, cpu = time.perf_counter() - t0, time.process_time() - c0
        n = s + 1
        sched.step()
        acc = evaluate(model, xte, yte)
        per_epoch.append({"epoch": epoch, "train_loss": tot / n, "test_accuracy": acc, "train_seconds": sec, "step_ms": 1000 * sec / n,
                          "train_cpu_seconds": cpu, "cpu_ms_per_step": 1000 * cpu / n})
        print(f"epoch {epoch}: train loss {tot / n:.4f}, test accuracy {acc:.4f}, {sec:.1f} s ({1000 * sec / n:.1f} ms/step, {1000 * cpu / n:.1f} CPU ms/step)", flush=True)
        if a.max_steps and steps >= a.max_steps:
            break
    print(json.dumps({"model": "cnn", "threads": a.threads, "epochs": len(per_epoch), "test_accuracy": per_epoch[-1]["test_accuracy"],
                      "train_seconds": sum(e["train_seconds"] for e in per_epoch), "per_epoch": per_epoch,
                      "torch": torch.__version__}))


if __name__ == "__main__":
    main()
