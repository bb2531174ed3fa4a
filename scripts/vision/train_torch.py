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

Data: Fashion-MNIST from /usr/share/datasets/fashion-mnist (IDX, .gz), pixels /255, normalised
with (0.2860, 0.3530); each epoch a fresh permutation, the last partial batch dropped (as erg's
imageset.Loader); optional random crop with zero padding and horizontal flip. Adam (PyTorch
defaults: lr 1e-3, betas 0.9/0.999, eps 1e-8), batch 64, the LR schedule applied per epoch
(cosine: CosineAnnealingLR(T_max=epochs)). PyTorch's default initialisation everywhere.

Prints one line per epoch (train loss, test accuracy, seconds) and a final JSON line.
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


OPENMP_BLAS = "/usr/lib/x86_64-linux-gnu/openblas-openmp"


def configure_blas():
    """(As bench/peers/core.py.) Give PyTorch its best BLAS set-up on this machine, re-executing once if needed.

    Debian's python3-torch uses the system BLAS. OpenBLAS's OpenMP build shares
    torch's thread pool (the pthread build adds its own threads on top of torch's);
    OpenBLAS 0.3.21 does not recognise some virtual CPUs and falls back to SSE3
    kernels (5x slower), so the kernel is chosen from /proc/cpuinfo unless
    OPENBLAS_CORETYPE is set; and OpenMP threads that spin while waiting (the default)
    make torch 10-20x slower when other programs share the CPUs, so OMP_WAIT_POLICY
    is PASSIVE unless set.
    """
    if os.environ.get("ERG_BENCH_BLAS_SET"):
        return
    env = dict(os.environ, ERG_BENCH_BLAS_SET="1")
    env.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    if os.path.exists(os.path.join(OPENMP_BLAS, "libblas.so.3")):
        env["LD_LIBRARY_PATH"] = OPENMP_BLAS + (":" + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else "")
    if "OPENBLAS_CORETYPE" not in env:
        try:
            flags = set(next(l for l in open("/proc/cpuinfo") if l.startswith("flags")).split(":")[1].split())
        except (OSError, StopIteration):
            flags = set()
        if {"avx512f", "avx512bw", "avx512vl", "avx512dq"} <= flags:
            env["OPENBLAS_CORETYPE"] = "Cooperlake" if "avx512_bf16" in flags else "SkylakeX"
        elif {"avx2", "fma"} <= flags:
            env["OPENBLAS_CORETYPE"] = "Haswell"
    os.execve(sys.executable, [sys.executable] + sys.argv, env)


def blas_info():
    """The BLAS library torch loaded, and OpenBLAS's kernel, as a string."""
    libs = set()
    try:
        for line in open("/proc/self/maps"):
            path = line.split()[-1]
            if "blas" in os.path.basename(path):
                libs.add(path)
    except OSError:
        pass
    core = ""
    for path in libs:
        if "openblas" in path:
            try:
                import ctypes
                lib = ctypes.CDLL(path)
                lib.openblas_get_corename.restype = ctypes.c_char_p
                core = " " + lib.openblas_get_corename().decode()
            except (OSError, AttributeError):
                pass
    return (", ".join(sorted(libs)) or "unknown") + core


if __name__ == "__main__":
    configure_blas()

import torch  # noqa: E402  (after the BLAS set-up)
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

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


class MLP(nn.Module):
    def __init__(self, c, h, w, classes):
        super().__init__()
        self.d1, self.d2, self.d3 = nn.Linear(c * h * w, 256), nn.Linear(256, 128), nn.Linear(128, classes)

    def forward(self, x):
        x = torch.flatten(x, 1)
        return self.d3(F.relu(self.d2(F.relu(self.d1(x)))))


class LeNet5(nn.Module):
    def __init__(self, c, h, w, classes):
        super().__init__()
        self.c1 = nn.Conv2d(c, 6, 5, padding=2)
        self.c2 = nn.Conv2d(6, 16, 5)
        fh, fw = ((h // 2) - 4) // 2, ((w // 2) - 4) // 2
        self.d1, self.d2, self.d3 = nn.Linear(16 * fh * fw, 120), nn.Linear(120, 84), nn.Linear(84, classes)

    def forward(self, x):
        h = F.max_pool2d(F.relu(self.c1(x)), 2)
        h = F.max_pool2d(F.relu(self.c2(h)), 2)
        h = torch.flatten(h, 1)
        return self.d3(F.relu(self.d2(F.relu(self.d1(h)))))


def conv_bn(cin, cout, k=3, stride=1, groups=1):
    return [nn.Conv2d(cin, cout, k, stride=stride, padding=k // 2, groups=groups, bias=False), nn.BatchNorm2d(cout)]


class VGG(nn.Module):
    def __init__(self, c, h, w, classes, dropout=0.0):
        super().__init__()
        layers = []
        cin = c
        for cout in (32, 64):
            for _ in range(2):
                layers += conv_bn(cin, cout) + [nn.ReLU()]
                cin = cout
            layers.append(nn.MaxPool2d(2))
        self.body = nn.Sequential(*layers)
        self.d1 = nn.Linear(64 * (h // 4) * (w // 4), 256)
        self.drop = nn.Dropout(dropout)
        self.out = nn.Linear(256, classes)

    def forward(self, x):
        h = torch.flatten(self.body(x), 1)
        return self.out(self.drop(F.relu(self.d1(h))))


class Basic(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1, self.b1 = conv_bn(cin, cout, 3, stride)
        self.c2, self.b2 = conv_bn(cout, cout, 3, 1)
        self.short = None
        if stride != 1 or cin != cout:  # option B: projection
            self.short = nn.Sequential(nn.Conv2d(cin, cout, 1, stride=stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        h = F.relu(self.b1(self.c1(x)))
        h = self.b2(self.c2(h))
        return F.relu(h + (x if self.short is None else self.short(x)))


class ResNet(nn.Module):
    def __init__(self, c, h, w, classes, n=1):
        super().__init__()
        self.stem = nn.Sequential(*conv_bn(c, 16), nn.ReLU())
        blocks, cin = [], 16
        for stage, cout in enumerate((16, 32, 64)):
            for i in range(n):
                blocks.append(Basic(cin, cout, 2 if stage > 0 and i == 0 else 1))
                cin = cout
        self.blocks = nn.Sequential(*blocks)
        self.out = nn.Linear(64, classes)

    def forward(self, x):
        return self.out(self.blocks(self.stem(x)).mean(dim=(2, 3)))


class MobileNet(nn.Module):
    def __init__(self, c, h, w, classes):
        super().__init__()
        layers = conv_bn(c, 32) + [nn.ReLU()]
        cin = 32
        for cout, s in ((64, 1), (128, 2), (128, 1), (256, 2), (256, 1)):
            layers += conv_bn(cin, cin, 3, s, groups=cin) + [nn.ReLU()] + conv_bn(cin, cout, 1) + [nn.ReLU()]
            cin = cout
        self.body = nn.Sequential(*layers)
        self.out = nn.Linear(cin, classes)

    def forward(self, x):
        return self.out(self.body(x).mean(dim=(2, 3)))


def build(name, c=1, h=28, w=28, classes=10, dropout=0.0):
    return {
        "mlp": lambda: MLP(c, h, w, classes),
        "lenet5": lambda: LeNet5(c, h, w, classes),
        "vgg": lambda: VGG(c, h, w, classes, dropout),
        "resnet8": lambda: ResNet(c, h, w, classes, 1),
        "resnet20": lambda: ResNet(c, h, w, classes, 3),
        "mobilenet": lambda: MobileNet(c, h, w, classes),
    }[name]()


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
        t0 = time.perf_counter()
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
        train_sec = time.perf_counter() - t0
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
                     "train_seconds": train_sec, "lr": lr})
        print(f"epoch {epoch:3d}  loss {loss_sum / steps:.4f}  test accuracy {acc:.4f}  lr {lr:.3g}  "
              f"{train_sec:.1f} s train + {sec - train_sec:.1f} s test", flush=True)
    print(json.dumps({"model": a.model, "params": nparams, "epochs": epochs, "batch": a.batch, "lr": a.lr,
                      "schedule": schedule, "seed": a.seed, "test_accuracy": hist[-1]["test_accuracy"],
                      "best_test_accuracy": max(h["test_accuracy"] for h in hist),
                      "minutes": (time.perf_counter() - t_start) / 60, "history": hist,
                      "torch": torch.__version__, "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
