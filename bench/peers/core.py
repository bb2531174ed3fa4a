#!/usr/bin/python3
"""PyTorch peer of `erg bench core`: the same training steps as erg's bench/core.

Prints one JSON line: {"peer": ..., "threads": 2, "ms": {"mlp": ms/step, "fcn": ms/step},
"loss": {...}}. Each workload runs --warmup untimed steps, then --rounds rounds of
--steps timed steps; the fastest round's mean is reported (erg does the same).
Run with Debian's interpreter: /usr/bin/python3 bench/peers/core.py [--only mlp,fcn].
"""
import argparse
import json
import math
import os
import sys
import time

import ergpeer  # noqa: E402  (bench/peers/ergpeer.py)
from ergpeer import blas_info  # noqa: E402

if __name__ == "__main__":
    ergpeer.configure_blas()

import torch  # noqa: E402  (after the BLAS set-up)
from torch import nn  # noqa: E402


def mlp_workload():
    g = torch.Generator().manual_seed(1)
    n = 256
    x = torch.rand(n, 2, generator=g) * 2 - 1
    y = (torch.sin(math.pi * x[:, :1]) * torch.cos(math.pi * x[:, 1:]))
    model = nn.Sequential(nn.Linear(2, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 1))
    return model, x, y, nn.MSELoss()


class FCN(nn.Module):
    """Wang et al. (2017) FCN as in dl-4-tsc: conv 128k8/256k5/128k3 + BN + ReLU, GAP, dense."""

    def __init__(self, channels=1, classes=2):
        super().__init__()
        layers = []
        for cin, cout, k in [(channels, 128, 8), (128, 256, 5), (256, 128, 3)]:
            layers += [nn.Conv1d(cin, cout, k, padding="same"), nn.BatchNorm1d(cout), nn.ReLU()]
        self.body = nn.Sequential(*layers)
        self.out = nn.Linear(128, classes)

    def forward(self, x):  # x: [batch, channels, length]
        return self.out(self.body(x).mean(dim=2))


def fcn_workload():
    g = torch.Generator().manual_seed(3)
    batch, length, classes = 16, 150, 2
    x = torch.randn(batch, 1, length, generator=g)
    y = torch.arange(batch) % classes
    return FCN(1, classes), x, y, nn.CrossEntropyLoss()


WORKLOADS = {"mlp": mlp_workload, "fcn": fcn_workload}


def time_workload(make, warmup, steps, rounds):
    torch.manual_seed(0)
    model, x, y, loss_fn = make()
    model.train()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    loss = float("nan")
    for _ in range(warmup):
        loss = step()
    best = math.inf
    for _ in range(max(rounds, 1)):
        start = time.perf_counter()
        for _ in range(steps):
            loss = step()
        best = min(best, (time.perf_counter() - start) * 1e3 / steps)
    return best, loss


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--only", default="mlp,fcn", help="comma-separated workloads")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--rounds", type=int, default=3)
    for name in WORKLOADS:
        p.add_argument(f"--{name}-warmup", type=int, default=5)
        p.add_argument(f"--{name}-steps", type=int, default=20)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    ms, losses = {}, {}
    for name in a.only.split(","):
        name = name.strip()
        if name not in WORKLOADS:
            p.error(f"unknown workload {name!r}")
        args = vars(a)
        ms[name], losses[name] = time_workload(WORKLOADS[name], args[f"{name}_warmup"], args[f"{name}_steps"], a.rounds)
    print(json.dumps({"peer": f"PyTorch {torch.__version__}", "threads": torch.get_num_threads(),
                      "blas": blas_info(), "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", ""),
                      "ms": ms, "loss": losses}))


if __name__ == "__main__":
    main()
