#!/usr/bin/python3
"""PyTorch peer of `erg bench vision`: LeNet-5 and ResNet-8 training steps and inference passes.

The same networks as erg's package vision (NCHW here, PyTorch's default initialisation):
  LeNet-5   conv 6@5x5 pad 2, ReLU, maxpool 2; conv 16@5x5, ReLU, maxpool 2; dense 120, 84, 10
  ResNet-8  conv 3x3 16 + BN + ReLU; basic blocks of 16, 32 (stride 2), 64 (stride 2) channels with
            option-B 1x1 projection shortcuts; global average pooling; dense 10 (no conv bias)
Workloads (float32, 28x28x1, 10 classes): <model>_step, one Adam step (lr 1e-3) on a fixed batch of
64 with cross-entropy; <model>_infer, one pass in eval mode under torch.no_grad() over 10000 images
in batches of --infer-batch (several sizes: the fastest is reported, and "infer_batch" says which).
Each runs --<workload>-warmup untimed iterations, then --rounds rounds of --<workload>-iters timed
ones; the fastest round's mean is reported. Prints one JSON line:
{"peer": ..., "threads": 2, "ms": {"lenet5_step": ..., ...}, "infer_batch": {...}, ...}.
Run with Debian's interpreter: /usr/bin/python3 bench/peers/vision.py [--only lenet5_step]
"""
import argparse
import json
import math
import os
import sys
import time

OPENMP_BLAS = "/usr/lib/x86_64-linux-gnu/openblas-openmp"


def configure_blas():
    """Give PyTorch its best BLAS set-up on this machine, re-executing once if needed.

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
from torch import nn  # noqa: E402



if __name__ == "__main__":
    configure_blas()

import torch  # noqa: E402  (after the BLAS set-up)
from torch import nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402


class LeNet5(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.c1 = nn.Conv2d(1, 6, 5, padding=2)
        self.c2 = nn.Conv2d(6, 16, 5)
        self.d1, self.d2, self.d3 = nn.Linear(400, 120), nn.Linear(120, 84), nn.Linear(84, classes)

    def forward(self, x):
        h = F.max_pool2d(F.relu(self.c1(x)), 2)
        h = F.max_pool2d(F.relu(self.c2(h)), 2)
        h = torch.flatten(h, 1)
        return self.d3(F.relu(self.d2(F.relu(self.d1(h)))))


class Basic(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.b1 = nn.BatchNorm2d(cout)
        self.c2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
        self.b2 = nn.BatchNorm2d(cout)
        self.short = None
        if stride != 1 or cin != cout:
            self.short = nn.Sequential(nn.Conv2d(cin, cout, 1, stride=stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        h = F.relu(self.b1(self.c1(x)))
        h = self.b2(self.c2(h))
        return F.relu(h + (x if self.short is None else self.short(x)))


class ResNet8(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU())
        self.blocks = nn.Sequential(Basic(16, 16, 1), Basic(16, 32, 2), Basic(32, 64, 2))
        self.out = nn.Linear(64, classes)

    def forward(self, x):
        return self.out(self.blocks(self.stem(x)).mean(dim=(2, 3)))


MODELS = {"lenet5": LeNet5, "resnet8": ResNet8}
WORKLOADS = ["lenet5_step", "resnet8_step", "lenet5_infer", "resnet8_infer"]


def fastest(f, warmup, iters, rounds):
    for _ in range(warmup):
        f()
    best = math.inf
    for _ in range(max(rounds, 1)):
        start = time.perf_counter()
        for _ in range(iters):
            f()
        best = min(best, (time.perf_counter() - start) * 1e3 / iters)
    return best


def time_step(name, warmup, iters, rounds):
    torch.manual_seed(1)
    model = MODELS[name]().train()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(7)
    x = torch.randn(64, 1, 28, 28, generator=g)
    y = torch.arange(64) % 10
    last = [0.0]

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        last[0] = loss.item()

    return fastest(step, warmup, iters, rounds), last[0]


def time_infer(name, batch, warmup, iters, rounds):
    torch.manual_seed(1)
    model = MODELS[name]().eval()
    g = torch.Generator().manual_seed(8)
    x = torch.randn(10000, 1, 28, 28, generator=g)

    def run():
        with torch.no_grad():
            for i in range(0, len(x), batch):
                model(x[i:i + batch]).argmax(1)

    return fastest(run, warmup, iters, rounds)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--only", default=",".join(WORKLOADS), help="comma-separated workloads")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--infer-batch", default="500", help="comma-separated inference batch sizes; the fastest counts")
    for w in WORKLOADS:
        p.add_argument(f"--{w.replace('_', '-')}-warmup", type=int, default=3)
        p.add_argument(f"--{w.replace('_', '-')}-iters", type=int, default=10)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    args = vars(a)
    ms, losses, used = {}, {}, {}
    batches = [int(b) for b in a.infer_batch.split(",") if b.strip()]
    for w in a.only.split(","):
        w = w.strip()
        if w not in WORKLOADS:
            p.error(f"unknown workload {w!r}")
        model, kind = w.split("_")
        warmup, iters = args[f"{w}_warmup"], args[f"{w}_iters"]
        if kind == "step":
            ms[w], losses[w] = time_step(model, warmup, iters, a.rounds)
        else:
            for b in batches:
                t = time_infer(model, b, warmup, iters, a.rounds)
                if w not in ms or t < ms[w]:
                    ms[w], used[w] = t, b
    print(json.dumps({"peer": f"PyTorch {torch.__version__}", "threads": torch.get_num_threads(),
                      "blas": blas_info(), "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", ""),
                      "ms": ms, "loss": losses, "infer_batch": used}))


if __name__ == "__main__":
    main()
