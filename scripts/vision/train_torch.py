#!/usr/bin/python3
"""PyTorch twin of `erg vision train`: the same models, data pipeline and training defaults.

Models (input NCHW here; erg is NHWC, which only permutes the flattened features):
  mlp        flatten -> 256 -> 128 -> classes, ReLU
  lenet5     conv 6@5x5 pad 2, ReLU, maxpool 2; conv 16@5x5, ReLU, maxpool 2; flatten;
             dense 120, 84 (ReLU), classes
  vgg        [conv3x3 32 pad 1, BN, ReLU] x2, maxpool 2; [conv3x3 64, BN, ReLU] x2, maxpool 2;
             flatten; dense 256, ReLU, (dropout); classes
  resnet8    He et al. (2016) CIFAR ResNet, 6n+2 layers with n = 1; resnet20: n = 3. Conv 3x3 16,
  resnet20   BN, ReLU; three stages of n basic blocks, 16/32/64 channels, stride 2 at the starts
             of stages 2 and 3 with option-B shortcuts (1x1 conv stride 2 + BN); GAP; dense.
             Convolutions followed by batch norm have no bias.
  mobilenet  MobileNet-v1-style: conv3x3 32, BN, ReLU; depthwise-separable blocks
             (dw3x3 groups=C, BN, ReLU, pw1x1, BN, ReLU) to 64, 128 s2, 128, 256 s2, 256; GAP; dense.
  cnn        green's small CNN: conv3x3 32 pad 1, ReLU, maxpool 2; conv3x3 64 pad 1, ReLU,
             maxpool 2; flatten; dense 128, ReLU; classes (the cross-check of issue 18).

Data: Fashion-MNIST from /usr/share/datasets/fashion-mnist (IDX, .gz), pixels /255, normalised
with (0.2860, 0.3530); each epoch a fresh permutation, the last partial batch dropped (as erg's
imageset.Loader); optional random crop with zero padding and horizontal flip. Adam (PyTorch
defaults: lr 1e-3, betas 0.9/0.999, eps 1e-8), batch 64, the LR schedule applied per epoch
(cosine: CosineAnnealingLR(T_max=epochs)). PyTorch's default initialisation everywhere.

Prints one line per epoch (train loss, test accuracy, seconds and training CPU seconds: on a
loaded machine the CPU time per step is the steadier figure) and a final JSON line.
Usage: /usr/bin/python3 scripts/vision/train_torch.py --model lenet5 [--epochs 15] [--threads 2]
       /usr/bin/python3 scripts/vision/train_torch.py --count-params   (parameter counts of the zoo)
"""
import argparse
import gzip
import json
import os
import struct
import sys
import time


sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench", "peers"))
import ergpeer  # noqa: E402  (bench/peers/ergpeer.py)

if __name__ == "__main__":
    ergpeer.configure_blas()

import torch  # noqa: E402  (after the BLAS set-up)
import torch.nn.functional as F  # noqa: E402

from ergpeer import blas_info  # noqa: E402
from visionzoo import build  # noqa: E402  (bench/peers/visionzoo.py: the models)

FASHION = "/usr/share/datasets/fashion-mnist"
MEAN, STD = 0.2860, 0.3530

# The published-style defaults of erg's vision.DefaultConfig (keep in step with vision/zoo.go).
DEFAULTS = {
    "mlp": dict(epochs=15, schedule="cosine"),
    "lenet5": dict(epochs=15, schedule="cosine"),
    "vgg": dict(epochs=15, schedule="cosine"),
    "resnet8": dict(epochs=15, schedule="cosine"),
    "resnet20": dict(epochs=15, schedule="cosine"),
    "mobilenet": dict(epochs=15, schedule="cosine"),
    "cnn": dict(epochs=15, schedule="cosine"),
}


def read_idx(path):
    op = gzip.open if path.endswith(".gz") else open
    with op(path, "rb") as f:
        data = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", data[:4])
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    t = torch.frombuffer(bytearray(data[4 + 4 * ndim:]), dtype=torch.uint8)
    return t.reshape(dims)


def load(split, root=FASHION):
    prefix = "train" if split == "train" else "t10k"
    def find(kind):
        for name in (f"{prefix}-{kind}-ubyte", f"{prefix}-{kind}-ubyte.gz"):
            p = os.path.join(root, name)
            if os.path.exists(p):
                return p
        raise FileNotFoundError(f"{root}: no {prefix}-{kind}-ubyte[.gz]")
    x = read_idx(find("images-idx3")).float().div_(255).unsqueeze(1)  # N,1,28,28
    y = read_idx(find("labels-idx1")).long()
    return (x - MEAN) / STD, y


def augment(x, pad, flip, g):
    """Random crop with zero padding (black = -MEAN/STD after normalisation) and flip."""
    n, c, h, w = x.shape
    if pad > 0:
        black = -MEAN / STD
        xp = F.pad(x, (pad, pad, pad, pad), value=black)
        dy = torch.randint(0, 2 * pad + 1, (n,), generator=g)
        dx = torch.randint(0, 2 * pad + 1, (n,), generator=g)
        x = torch.stack([xp[i, :, dy[i]:dy[i] + h, dx[i]:dx[i] + w] for i in range(n)])
    if flip:
        m = torch.rand(n, generator=g) < 0.5
        x = torch.where(m[:, None, None, None], x.flip(3), x)
    return x


def evaluate(model, x, y, batch=500):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            correct += (model(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum().item()
    model.train()
    return correct / len(x)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="lenet5", choices=sorted(DEFAULTS))
    ap.add_argument("--data", default=FASHION, help="folder of the Fashion-MNIST IDX files")
    ap.add_argument("--epochs", type=int, default=0, help="0: the model's default")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--schedule", default="", help="constant, cosine or step (default: the model's)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--augment-pad", type=int, default=0)
    ap.add_argument("--flip", action="store_true")
    ap.add_argument("--dropout", type=float, default=0.0)
    ap.add_argument("--subset", type=int, default=0, help="train on the first N images (0: all)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--max-steps", type=int, default=0, help="stop after this many steps (timing runs)")
    ap.add_argument("--count-params", action="store_true", help="print the parameter counts of the zoo and exit")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    if a.count_params:
        out = {}
        for name in sorted(DEFAULTS):
            out[name] = {"28x28x1": sum(p.numel() for p in build(name, 1, 28, 28).parameters()),
                         "32x32x3": sum(p.numel() for p in build(name, 3, 32, 32).parameters())}
        print(json.dumps(out))
        return
    d = DEFAULTS[a.model]
    epochs = a.epochs or d["epochs"]
    schedule = a.schedule or d["schedule"]
    torch.manual_seed(a.seed)
    xtr, ytr = load("train", a.data)
    xte, yte = load("test", a.data)
    if a.subset:
        xtr, ytr = xtr[:a.subset], ytr[:a.subset]
    model = build(a.model, dropout=a.dropout)
    nparams = sum(p.numel() for p in model.parameters())
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    sched = None
    if schedule == "cosine":
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs)
    elif schedule == "step":
        sched = torch.optim.lr_scheduler.StepLR(opt, step_size=max(1, epochs // 3), gamma=0.1)
    g = torch.Generator().manual_seed(a.seed)
    n = len(xtr)
    steps = n // a.batch
    print(f"{a.model}: {nparams} parameters, {n} train / {len(xte)} test images, {epochs} epochs of {steps} steps, "
          f"batch {a.batch}, Adam lr {a.lr}, schedule {schedule}, torch {torch.__version__}, {torch.get_num_threads()} threads",
          flush=True)
    hist = []
    total = 0.0
    step = 0
    t_start = time.perf_counter()
    for epoch in range(1, epochs + 1):
        t0, c0 = time.perf_counter(), time.process_time()
        perm = torch.randperm(n, generator=g)
        loss_sum = 0.0
        for k in range(steps):
            idx = perm[k * a.batch:(k + 1) * a.batch]
            xb = xtr[idx]
            if a.augment_pad or a.flip:
                xb = augment(xb, a.augment_pad, a.flip, g)
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(xb), ytr[idx])
            loss.backward()
            opt.step()
            loss_sum += loss.item()
            step += 1
            if a.max_steps and step >= a.max_steps:
                break
        train_sec, train_cpu = time.perf_counter() - t0, time.process_time() - c0
        if a.max_steps and step >= a.max_steps:
            ms = train_sec * 1e3 / max(1, (k + 1))
            print(json.dumps({"model": a.model, "steps": k + 1, "ms_per_step": ms,
                              "seconds_per_epoch_extrapolated": ms * steps / 1e3}))
            return
        acc = evaluate(model, xte, yte)
        sec = time.perf_counter() - t0
        total += sec
        lr = opt.param_groups[0]["lr"]
        if sched is not None:
            sched.step()
        hist.append({"epoch": epoch, "loss": loss_sum / steps, "test_accuracy": acc, "seconds": sec,
                     "train_seconds": train_sec, "train_cpu_seconds": train_cpu,
                     "cpu_ms_per_step": 1e3 * train_cpu / steps, "lr": lr})
        print(f"epoch {epoch:3d}  loss {loss_sum / steps:.4f}  test accuracy {acc:.4f}  lr {lr:.3g}  "
              f"{train_sec:.1f} s train ({1e3 * train_cpu / steps:.1f} CPU ms/step) + {sec - train_sec:.1f} s test",
              flush=True)
    print(json.dumps({"model": a.model, "params": nparams, "epochs": epochs, "batch": a.batch, "lr": a.lr,
                      "schedule": schedule, "seed": a.seed, "test_accuracy": hist[-1]["test_accuracy"],
                      "best_test_accuracy": max(h["test_accuracy"] for h in hist),
                      "minutes": (time.perf_counter() - t_start) / 60, "history": hist,
                      "torch": torch.__version__, "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
