#!/usr/bin/python3
"""Golden trajectories of torch.optim optimizers on a fixed quadratic, for train's tests.

Run: /usr/bin/python3 scripts/train/optim_golden.py > train/testdata/optim_golden.json
(Debian python3-torch 1.13.1). Loss L(p) = sum(w * (p - c)^2) in float64, 6 steps.
"""
import json
import torch

torch.set_default_dtype(torch.float64)
p0 = [0.5, -1.0, 2.0, 0.0]
c = torch.tensor([1.0, 2.0, -3.0, 0.25])
w = torch.tensor([1.0, 0.5, 2.0, 3.0])
cases = {
    "adam": lambda p: torch.optim.Adam([p], lr=0.1),
    "adam_l2": lambda p: torch.optim.Adam([p], lr=0.1, weight_decay=0.1),
    "adamw": lambda p: torch.optim.AdamW([p], lr=0.1, weight_decay=0.01),
    "sgd": lambda p: torch.optim.SGD([p], lr=0.05),
    "sgd_momentum": lambda p: torch.optim.SGD([p], lr=0.05, momentum=0.9),
    "adadelta": lambda p: torch.optim.Adadelta([p], lr=1.0),
}
out = {"p0": p0, "c": c.tolist(), "w": w.tolist(), "steps": 6, "cases": {}}
for name, mk in cases.items():
    p = torch.tensor(p0, requires_grad=True)
    opt = mk(p)
    traj = []
    for _ in range(6):
        opt.zero_grad()
        loss = (w * (p - c) ** 2).sum()
        loss.backward()
        opt.step()
        traj.append(p.detach().tolist())
    out["cases"][name] = traj
print(json.dumps(out, indent=1))
