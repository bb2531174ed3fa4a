#!/usr/bin/python3
"""Make nn/testdata/golden.json: PyTorch reference outputs and gradients for package nn.

Every case fixes small random inputs and weights (float64), runs the PyTorch layer,
takes L = sum(y * R) for a fixed random R, and stores inputs, weights (in erg's
layouts), R, the output and the gradients of L. nn's tests set the same weights and
compare. Regenerate (needs Debian's python3-torch) with:

    /usr/bin/python3 scripts/nn/make_golden.py > nn/testdata/golden.json
"""
import json
import math
import sys

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
gen = torch.Generator().manual_seed(20240501)


def rnd(*shape, scale=1.0):
    return (torch.rand(*shape, generator=gen) * 2 - 1) * scale


def arr(t):
    t = t.detach().contiguous()
    return {"shape": list(t.shape), "data": [float(v) for v in t.flatten().tolist()]}


def leaf(t):
    return t.clone().requires_grad_(True)


def backward(y):
    r = rnd(*y.shape)
    (y * r).sum().backward()
    return r


cases = {}

# Dense: y = x W + b, W stored [in, out].
x, w, b = leaf(rnd(4, 3)), leaf(rnd(3, 5)), leaf(rnd(5))
y = x @ w + b
r = backward(y)
cases["dense"] = {"config": {"out": 5},
                  "inputs": {"x": arr(x), "weights": arr(w), "biases": arr(b), "R": arr(r)},
                  "outputs": {"y": arr(y), "dx": arr(x.grad), "dweights": arr(w.grad), "dbiases": arr(b.grad)}}


def same_pad(length, kernel, stride, dilation):
    """erg's Same padding (TensorFlow's rule; PyTorch's padding='same' for stride 1)."""
    out = (length + stride - 1) // stride
    total = max((out - 1) * stride + dilation * (kernel - 1) + 1 - length, 0)
    return total // 2, total - total // 2


def conv_case(name, batch, length, cin, filters, kernel, stride, dilation, padding, bias=True):
    x = leaf(rnd(batch, length, cin))               # erg layout [B, L, C]
    w = leaf(rnd(filters, cin, kernel, scale=0.5))  # PyTorch layout [out, in, k]
    b = leaf(rnd(filters)) if bias else None
    xc = x.permute(0, 2, 1)
    if padding == "same" and stride == 1:
        y = F.conv1d(xc, w, b, stride=stride, padding="same", dilation=dilation)
    else:
        if padding == "same":
            left, right = same_pad(length, kernel, stride, dilation)
        elif padding == "causal":
            left, right = dilation * (kernel - 1), 0
        else:
            left, right = 0, 0
        y = F.conv1d(F.pad(xc, (left, right)), w, b, stride=stride, dilation=dilation)
    y = y.permute(0, 2, 1)                          # back to [B, L', filters]
    r = backward(y)
    inputs = {"x": arr(x), "weights": arr(w.permute(0, 2, 1)), "R": arr(r)}  # erg: [out, k, in]
    outputs = {"y": arr(y), "dx": arr(x.grad), "dweights": arr(w.grad.permute(0, 2, 1))}
    if bias:
        inputs["biases"] = arr(b)
        outputs["dbiases"] = arr(b.grad)
    cases[name] = {"config": {"filters": filters, "kernel": kernel, "stride": stride, "dilation": dilation,
                              "padding": padding, "bias": bias}, "inputs": inputs, "outputs": outputs}


conv_case("conv_same_k3", 2, 7, 2, 3, 3, 1, 1, "same")
conv_case("conv_same_k4_dil2", 2, 9, 3, 2, 4, 1, 2, "same")
conv_case("conv_valid_k3_stride2", 2, 10, 2, 4, 3, 2, 1, "valid")
conv_case("conv_causal_k3_dil2", 1, 8, 2, 3, 3, 1, 2, "causal", bias=False)
conv_case("conv_same_k5_stride2", 2, 11, 3, 2, 5, 2, 1, "same")
conv_case("conv_same_k8_cin1", 2, 12, 1, 4, 8, 1, 1, "same")


def bn_case(name, training):
    bn = torch.nn.BatchNorm1d(3, momentum=0.1, eps=1e-5)
    with torch.no_grad():
        bn.weight.copy_(rnd(3) + 1.5)
        bn.bias.copy_(rnd(3))
        bn.running_mean.copy_(rnd(3))
        bn.running_var.copy_(rnd(3) + 1.5)
    bn.train(training)
    inputs = {"gamma": arr(bn.weight), "beta": arr(bn.bias),
              "running_mean": arr(bn.running_mean), "running_var": arr(bn.running_var)}
    x = leaf(rnd(4, 5, 3) * 2 + 0.5)                # [B, L, C]
    y = bn(x.permute(0, 2, 1)).permute(0, 2, 1)
    r = backward(y)
    inputs.update({"x": arr(x), "R": arr(r)})
    cases[name] = {"config": {"training": training}, "inputs": inputs,
                   "outputs": {"y": arr(y), "dx": arr(x.grad), "dgamma": arr(bn.weight.grad),
                               "dbeta": arr(bn.bias.grad), "running_mean": arr(bn.running_mean),
                               "running_var": arr(bn.running_var)}}


bn_case("batchnorm_train", True)
bn_case("batchnorm_eval", False)


def gru_weights(cell):
    # PyTorch: weight_ih [3H, in] (rows r, z, n), weight_hh [3H, H]; erg: [in, 3H], [H, 3H].
    return {"w_ih": arr(cell.weight_ih.t()), "w_hh": arr(cell.weight_hh.t()),
            "b_ih": arr(cell.bias_ih), "b_hh": arr(cell.bias_hh)}


def gru_grads(cell):
    return {"dw_ih": arr(cell.weight_ih.grad.t()), "dw_hh": arr(cell.weight_hh.grad.t()),
            "db_ih": arr(cell.bias_ih.grad), "db_hh": arr(cell.bias_hh.grad)}


torch.manual_seed(7)
cell = torch.nn.GRUCell(4, 5)
x, h = leaf(rnd(3, 4)), leaf(rnd(3, 5))
y = cell(x, h)
r = backward(y)
cases["gru_cell"] = {"config": {"hidden": 5},
                     "inputs": dict(gru_weights(cell), x=arr(x), h=arr(h), R=arr(r)),
                     "outputs": dict(gru_grads(cell), y=arr(y), dx=arr(x.grad), dh=arr(h.grad))}

torch.manual_seed(8)
gru = torch.nn.GRU(3, 4, batch_first=True)
x = leaf(rnd(2, 5, 3))
out, hn = gru(x)
r = backward(out)
weights = {"w_ih": arr(gru.weight_ih_l0.t()), "w_hh": arr(gru.weight_hh_l0.t()),
           "b_ih": arr(gru.bias_ih_l0), "b_hh": arr(gru.bias_hh_l0)}
grads = {"dw_ih": arr(gru.weight_ih_l0.grad.t()), "dw_hh": arr(gru.weight_hh_l0.grad.t()),
         "db_ih": arr(gru.bias_ih_l0.grad), "db_hh": arr(gru.bias_hh_l0.grad)}
cases["gru_seq"] = {"config": {"hidden": 4},
                    "inputs": dict(weights, x=arr(x), R=arr(r)),
                    "outputs": dict(grads, y=arr(out), h_last=arr(hn[0]), dx=arr(x.grad))}


# dl-4-tsc ResNet block (Wang et al. 2017, Ismail Fawaz et al. 2019) in training mode.
class Block(torch.nn.Module):
    def __init__(self, cin, filters):
        super().__init__()
        self.convs = torch.nn.ModuleList([torch.nn.Conv1d(c, filters, k, padding="same")
                                          for c, k in [(cin, 8), (filters, 5), (filters, 3)]])
        self.bns = torch.nn.ModuleList([torch.nn.BatchNorm1d(filters) for _ in range(3)])
        self.short_conv = torch.nn.Conv1d(cin, filters, 1) if cin != filters else None
        self.short_bn = torch.nn.BatchNorm1d(filters)

    def forward(self, x):
        h = x
        for i in range(3):
            h = self.bns[i](self.convs[i](h))
            if i < 2:
                h = torch.relu(h)
        s = x if self.short_conv is None else self.short_conv(x)
        return torch.relu(h + self.short_bn(s))


def block_case(name, cin, filters):
    torch.manual_seed(9)
    blk = Block(cin, filters)
    blk.train()
    x = leaf(rnd(2, 10, cin))
    y = blk(x.permute(0, 2, 1)).permute(0, 2, 1)
    r = backward(y)
    inputs, outputs = {"x": arr(x), "R": arr(r)}, {"y": arr(y), "dx": arr(x.grad)}
    for i in range(3):
        inputs[f"conv_{i}/weights"] = arr(blk.convs[i].weight.permute(0, 2, 1))
        inputs[f"conv_{i}/biases"] = arr(blk.convs[i].bias)
        outputs[f"conv_{i}/dweights"] = arr(blk.convs[i].weight.grad.permute(0, 2, 1))
    if blk.short_conv is not None:
        inputs["shortcut_conv/weights"] = arr(blk.short_conv.weight.permute(0, 2, 1))
        inputs["shortcut_conv/biases"] = arr(blk.short_conv.bias)
        outputs["shortcut_conv/dweights"] = arr(blk.short_conv.weight.grad.permute(0, 2, 1))
    cases[name] = {"config": {"filters": filters}, "inputs": inputs, "outputs": outputs}


block_case("resblock_expand", 2, 4)
block_case("resblock_same", 4, 4)

json.dump({"generator": "scripts/nn/make_golden.py", "torch": torch.__version__, "cases": cases},
          sys.stdout, indent=None, separators=(",", ":"))
sys.stdout.write("\n")
