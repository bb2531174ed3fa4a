#!/usr/bin/python3
"""PyTorch peer of `erg bench ebm`: one energy-discrepancy step and one contrastive-divergence
step (K Langevin steps) of an MLP energy, timed as erg times them.

The losses are the paper's code (J-zin/energy-discrepancy, notebooks/density_estimation.ipynb):
energy_discrepancy() with M = 4, √t = 1, w = 1 and contrastive_divergence() with K Langevin steps
of size 0.01 started at the data and the 0.3·(energy²) regulariser; Adam (lr 1e-3). The batch is
fixed (256 points of N(0, I), seed 1). Each workload runs --warmup untimed steps, then --rounds
rounds of --steps timed steps; the fastest round's mean is reported.

Prints one JSON line: {"peer": ..., "threads": T, "ms": {"ed": ms/step, "cd": ms/step}, "loss": {...}}.
Run with Debian's interpreter: /usr/bin/python3 bench/peers/ebm.py [--activation softplus]
"""
import argparse
import json
import math
import time

import numpy as np
import torch
from torch import nn


def mlp(hidden, activation):
    act = {"softplus": nn.Softplus, "relu": nn.ReLU, "tanh": nn.Tanh}[activation]
    layers, d = [], 2
    for h in hidden:
        layers += [nn.Linear(d, h), act()]
        d = h
    layers.append(nn.Linear(d, 1))
    return nn.Sequential(*layers)


def energy_discrepancy(energy_net, samples, m_particles=4, t_noise=1.0, w_stable=1.0):
    browniani = torch.randn_like(samples) * t_noise
    brownianij = torch.randn(samples.size(0), m_particles, *samples.shape[1:]) * t_noise
    pert_data = samples.unsqueeze(1) + browniani.unsqueeze(1) + brownianij
    pos_energy = energy_net(samples)
    neg_energy = energy_net(pert_data.view(-1, *samples.shape[1:])).view(samples.size(0), -1)
    val = pos_energy - neg_energy
    if w_stable != 0:
        val = torch.cat([val, np.log(w_stable) * torch.ones_like(val[:, :1])], dim=-1)
    return val.logsumexp(dim=-1).mean()


def contrastive_divergence(energy_net, samples, num_steps=10, step_size=0.01):
    noise = samples.clone().requires_grad_(True)
    for _ in range(num_steps):
        log_prob = -energy_net(noise)
        grad_y = torch.autograd.grad(log_prob.sum(), [noise], retain_graph=False)[0]
        noise.data += 0.5 * step_size * grad_y + np.sqrt(step_size) * torch.randn_like(noise)
    samples_neg = noise.detach()
    log_p_x_pos = -energy_net(samples)
    log_p_x_neg = -energy_net(samples_neg)
    loss_cd = torch.mean(log_p_x_neg - log_p_x_pos)
    loss_reg = torch.mean(log_p_x_pos ** 2 + log_p_x_neg ** 2)
    return loss_cd + .3 * loss_reg


def time_workload(name, args):
    torch.manual_seed(0)
    net = mlp([int(h) for h in args.hidden.split(",")], args.activation)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(1)
    x = torch.randn(args.batch, 2, generator=g)

    def step():
        if name == "ed":
            loss = energy_discrepancy(net, x)
        else:
            loss = contrastive_divergence(net, x, num_steps=args.k)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return loss.item()

    loss = float("nan")
    for _ in range(args.warmup):
        loss = step()
    best = math.inf
    steps = args.steps if name == "ed" else max(args.steps // 4, 5)
    for _ in range(max(args.rounds, 1)):
        start = time.perf_counter()
        for _ in range(steps):
            loss = step()
        best = min(best, (time.perf_counter() - start) * 1e3 / steps)
    return best, loss


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--only", default="ed,cd")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--hidden", default="128,128")
    p.add_argument("--activation", default="softplus")
    p.add_argument("--k", type=int, default=20)
    p.add_argument("--warmup", type=int, default=20)
    p.add_argument("--steps", type=int, default=200)
    p.add_argument("--rounds", type=int, default=3)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    out = {"peer": "PyTorch %s" % torch.__version__, "threads": torch.get_num_threads(), "ms": {}, "loss": {}}
    for name in args.only.split(","):
        ms, loss = time_workload(name, args)
        out["ms"][name] = ms
        out["loss"][name] = loss
    print(json.dumps(out))


if __name__ == "__main__":
    main()
