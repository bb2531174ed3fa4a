"""Peer of `erg bench hep`: FastJet C++ anti-kT clustering and a PyTorch CD step.

FastJet: compiles the C++ program given by --fastjet-src (bench/hepbench/cxx/fastjet_peer.cc,
passed by erg) with g++ against Debian's libfastjet-dev (fastjet-config), caches the binary
by source hash, and runs it on --events (particles "px py pz E", events separated by #END).

PyTorch (--cd): one contrastive-divergence step of the paper's MLPJet energy
(120-512-512-128-64-1, ReLU; no spectral norm) as erg's hep CD step: K Langevin steps
x <- x + N(0, noise^2) - step * grad E(x) on a batch of negatives, then the loss
mean E(x+) - mean E(x-) + alpha (E(x+)^2 + E(x-)^2) and one Adam step (lr 1e-4, beta1 0).
torch.set_num_threads(2).

Prints one JSON line {"peer": ..., "ms": {"antikt": ms/event, "cd_step": ms/step}, ...}.
"""
import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def fastjet(args, out):
    if shutil.which("fastjet-config") is None or shutil.which("g++") is None:
        raise SystemExit("ModuleNotFoundError: No module named fastjet (install Debian packages libfastjet-dev and g++)")
    src = open(args.fastjet_src, "rb").read()
    h = hashlib.sha256(src).hexdigest()[:12]
    cache = args.cache or os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "erg", "fastjet-peer")
    os.makedirs(cache, exist_ok=True)
    exe = os.path.join(cache, "fastjet_peer-" + h)
    if not os.path.exists(exe):
        flags = subprocess.run(["fastjet-config", "--cxxflags", "--libs"], check=True, capture_output=True, text=True).stdout.split()
        tmp = exe + ".tmp%d" % os.getpid()
        subprocess.run(["g++", "-O2", args.fastjet_src, "-o", tmp] + flags, check=True)
        os.replace(tmp, exe)
    res = subprocess.run([exe, args.events, str(args.R), str(args.ptmin), str(args.reps), args.jets_out],
                         check=True, capture_output=True, text=True)
    line = [l for l in res.stdout.splitlines() if l.startswith("{")][-1]
    r = json.loads(line)
    out["peer"].append(r["peer"].replace("FastJet version ", ""))
    out["ms"]["antikt"] = r["ms"]["antikt"]
    out["fastjet_events"] = r["events"]
    out["fastjet_particles"] = r["particles"]


def cd_step(args, out):
    import ergpeer
    ergpeer.configure_blas()
    import torch
    torch.set_num_threads(2)
    torch.manual_seed(1)
    d = 120
    net = torch.nn.Sequential(torch.nn.Linear(d, 512), torch.nn.ReLU(), torch.nn.Linear(512, 512), torch.nn.ReLU(),
                              torch.nn.Linear(512, 128), torch.nn.ReLU(), torch.nn.Linear(128, 64), torch.nn.ReLU(),
                              torch.nn.Linear(64, 1))
    opt = torch.optim.Adam(net.parameters(), lr=1e-4, betas=(0.0, 0.999))
    B = args.cd_batch
    xpos = torch.randn(B, d)
    xneg0 = torch.randn(B, d)

    def step():
        x = xneg0.clone()
        for p in net.parameters():
            p.requires_grad_(False)
        for _ in range(args.cd_steps):
            x = x + args.cd_noise * torch.randn_like(x)
            x.requires_grad_(True)
            g = torch.autograd.grad(net(x).sum(), x)[0]
            x = (x - args.cd_step * g).detach()
        for p in net.parameters():
            p.requires_grad_(True)
        ep, en = net(xpos), net(x)
        loss = ep.mean() - en.mean() + args.alpha * (ep ** 2 + en ** 2).mean()
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 0.1)
        opt.step()

    for _ in range(3):
        step()
    best = float("inf")
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        for _ in range(args.cd_iters):
            step()
        best = min(best, (time.perf_counter() - t0) / args.cd_iters * 1000)
    out["peer"].append("PyTorch " + torch.__version__)
    out["ms"]["cd_step"] = best
    out["blas"] = ergpeer.blas_info()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fastjet-src")
    ap.add_argument("--events")
    ap.add_argument("--jets-out", default=os.devnull)
    ap.add_argument("--R", type=float, default=0.8)
    ap.add_argument("--ptmin", type=float, default=5.0)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--cache", default="")
    ap.add_argument("--cd", action="store_true")
    ap.add_argument("--cd-batch", type=int, default=128)
    ap.add_argument("--cd-steps", type=int, default=24)
    ap.add_argument("--cd-step", type=float, default=0.1)
    ap.add_argument("--cd-noise", type=float, default=0.005)
    ap.add_argument("--alpha", type=float, default=0.1)
    ap.add_argument("--cd-iters", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    out = {"peer": [], "ms": {}}
    if args.cd:
        try:
            cd_step(args, out)
        except ImportError as e:
            out["torch_error"] = str(e)
    if args.fastjet_src:
        fastjet(args, out)
    out["peer"] = " + ".join(out["peer"])
    print(json.dumps(out))


if __name__ == "__main__":
    main()
