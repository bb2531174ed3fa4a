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
import os

import ergpeer  # noqa: E402  (bench/peers/ergpeer.py)

if __name__ == "__main__":
    ergpeer.configure_blas()

import torch  # noqa: E402  (after the BLAS set-up)
import torch.nn.functional as F  # noqa: E402

from visionzoo import build  # noqa: E402  (bench/peers/visionzoo.py)
from ergpeer import blas_info, fastest  # noqa: E402


MODELS = {"lenet5": lambda: build("lenet5"), "resnet8": lambda: build("resnet8")}
WORKLOADS = ["lenet5_step", "resnet8_step", "lenet5_infer", "resnet8_infer"]


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
