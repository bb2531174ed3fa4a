#!/usr/bin/python3
"""Golden values of the energy-discrepancy loss from the paper's own PyTorch code.

energy_discrepancy() below is the function of J-zin/energy-discrepancy
(notebooks/density_estimation.ipynb), with its random draws passed in so that erg can
use the same ones; t_noise there is the standard deviation √t. The energy is a
2-8-8-1 softplus MLP in float64 with weights drawn from a fixed seed. The script writes
the weights, data, noise, loss values and the loss gradients (torch.autograd) for
several (t, M, w) to ebm/testdata/ed_golden.json.

    /usr/bin/python3 scripts/ebm/loss_golden.py ebm/testdata/ed_golden.json
"""
import json
import math
import sys

import numpy as np
import torch
from torch import nn


def energy_discrepancy(energy_net, samples, browniani, brownianij, m_particles=4, t_noise=1.0, w_stable=1.0):
    # As in the paper's notebook, with browniani/brownianij given (already times t_noise).
    pert_data = samples.unsqueeze(1) + browniani.unsqueeze(1) + brownianij
    pos_energy = energy_net(samples)
    neg_energy = energy_net(pert_data.view(-1, *samples.shape[1:])).view(samples.size(0), -1)
    val = pos_energy - neg_energy
    if w_stable != 0:
        val = torch.cat([val, np.log(w_stable) * torch.ones_like(val[:, :1])], dim=-1)
    return val.logsumexp(dim=-1).mean()


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "ebm/testdata/ed_golden.json"
    torch.manual_seed(7)
    net = nn.Sequential(nn.Linear(2, 8), nn.Softplus(), nn.Linear(8, 8), nn.Softplus(), nn.Linear(8, 1)).double()
    n = 6
    x = torch.randn(n, 2, dtype=torch.float64) * 1.5
    res = {"source": "J-zin/energy-discrepancy energy_discrepancy(), PyTorch %s" % torch.__version__,
           "x": x.tolist(), "weights": [], "cases": []}
    for layer in [net[0], net[2], net[4]]:
        res["weights"].append({"w": layer.weight.detach().t().tolist(), "b": layer.bias.detach().tolist()})
    for t, m, w in [(1.0, 4, 1.0), (0.05, 3, 0.05), (2.0, 2, 0.0)]:
        xi = torch.randn(n, 2, dtype=torch.float64)
        xij = torch.randn(n, m, 2, dtype=torch.float64)
        net.zero_grad()
        s = math.sqrt(t)
        loss = energy_discrepancy(net, x, xi * s, xij * s, m, s, w)
        loss.backward()
        grads = [{"w": l.weight.grad.t().tolist(), "b": l.bias.grad.tolist()} for l in [net[0], net[2], net[4]]]
        res["cases"].append({"t": t, "m": m, "w": w, "xi": xi.tolist(), "xij": xij.tolist(),
                             "code_loss": loss.item(), "grads": grads})
    with open(out, "w") as f:
        json.dump(res, f)
        f.write("\n")


if __name__ == "__main__":
    main()
