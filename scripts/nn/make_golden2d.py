#!/usr/bin/python3
"""Make nn/testdata/golden2d.json: PyTorch references for nn's image layers.

Like make_golden.py: every case fixes small random inputs and weights (float64), runs the
PyTorch layer, takes L = sum(y * R) for a fixed random R, and stores inputs, weights (in
erg's layouts), R, the output and the gradients of L. Images are channels-last in erg
([N, H, W, C]; 3-D: [N, H, W, B, C]) and channels-first in PyTorch; erg's convolution
weights are [out, kh, kw, in/groups] (PyTorch: [out, in/groups, kh, kw]). erg's "same"
padding (TensorFlow's split, the extra zero after) is applied with F.pad, so strides above
1 are covered too. Regenerate (needs Debian's python3-torch) with:

    /usr/bin/python3 scripts/nn/make_golden2d.py > nn/testdata/golden2d.json
"""
import json
import sys

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
gen = torch.Generator().manual_seed(20241213)


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


def to_first(x):  # channels-last -> channels-first
    return x.permute(0, x.dim() - 1, *range(1, x.dim() - 1))


def to_last(x):  # channels-first -> channels-last
    return x.permute(0, *range(2, x.dim()), 1)


def pads_for(size, kernel, stride, dilation, padding):
    """Zeros (before, after) on each spatial axis, as nn's geometry computes them."""
    out = []
    for n, k, s, d, p in zip(size, kernel, stride, dilation, padding):
        if p == "same":
            o = (n + s - 1) // s
            total = max((o - 1) * s + d * (k - 1) + 1 - n, 0)
            out.append((total // 2, total - total // 2))
        elif p == "valid":
            out.append((0, 0))
        else:  # explicit (before, after)
            out.append(tuple(p))
    return out


def torch_pad(pads):
    """F.pad's argument (last axis first) from per-axis (before, after)."""
    flat = []
    for lo, hi in reversed(pads):
        flat += [lo, hi]
    return flat


cases = {}


def conv_case(name, xshape, filters, kernel, stride=None, dilation=None, padding=None, groups=1, bias=True):
    d = len(kernel)
    stride = stride or [1] * d
    dilation = dilation or [1] * d
    padding = padding or ["same"] * d
    cin = xshape[-1]
    x = leaf(rnd(*xshape))
    w = leaf(rnd(filters, cin // groups, *kernel, scale=0.5))  # PyTorch layout
    b = leaf(rnd(filters)) if bias else None
    pads = pads_for(xshape[1:-1], kernel, stride, dilation, padding)
    conv = F.conv2d if d == 2 else F.conv3d
    y = conv(F.pad(to_first(x), torch_pad(pads)), w, b, stride=stride, dilation=dilation, groups=groups)
    y = to_last(y)
    r = backward(y)
    werg = w.permute(0, *range(2, d + 2), 1)
    inputs = {"x": arr(x), "weights": arr(werg), "R": arr(r)}
    outputs = {"y": arr(y), "dx": arr(x.grad), "dweights": arr(w.grad.permute(0, *range(2, d + 2), 1))}
    if bias:
        inputs["biases"] = arr(b)
        outputs["dbiases"] = arr(b.grad)
    explicit = [p for p in padding if not isinstance(p, str)]
    cfg = {"filters": filters, "kernel": kernel, "stride": stride, "dilation": dilation, "groups": groups,
           "bias": bias, "padding": "explicit" if explicit else padding[0]}
    if explicit:
        cfg["pad"] = [list(p) for p in pads]
    cases[name] = {"config": cfg, "inputs": inputs, "outputs": outputs}


conv_case("conv2d_same_3x3", [2, 6, 5, 3], 4, [3, 3])
conv_case("conv2d_valid_3x2_stride2", [2, 7, 8, 2], 3, [3, 2], stride=[2, 2], padding=["valid", "valid"])
conv_case("conv2d_same_3x3_stride2", [1, 7, 6, 2], 2, [3, 3], stride=[2, 2])
conv_case("conv2d_same_3x3_dil2", [1, 8, 7, 2], 3, [3, 3], dilation=[2, 2])
conv_case("conv2d_valid_dil2_stride2x1", [1, 9, 8, 2], 2, [2, 3], stride=[2, 1], dilation=[2, 2], padding=["valid"] * 2)
conv_case("conv2d_groups2", [1, 5, 6, 4], 6, [3, 3], groups=2)
conv_case("conv2d_depthwise", [2, 5, 5, 3], 3, [3, 3], groups=3)
conv_case("conv2d_depthwise_mult2_stride2", [1, 7, 6, 2], 4, [3, 3], stride=[2, 2], groups=2, padding=["valid"] * 2)
conv_case("conv2d_torch_pad1_stride2", [1, 8, 7, 2], 3, [3, 3], stride=[2, 2], padding=[(1, 1), (1, 1)])
conv_case("conv2d_valid_5x5_nobias", [2, 9, 9, 1], 2, [5, 5], padding=["valid"] * 2, bias=False)
conv_case("conv2d_pointwise_stride2", [2, 5, 6, 3], 4, [1, 1], stride=[2, 2], padding=["valid"] * 2)
conv_case("conv3d_same_3x3x3", [2, 3, 4, 5, 1], 2, [3, 3, 3])
conv_case("conv3d_valid_3x3x5_band_stride2", [1, 4, 5, 9, 1], 2, [3, 3, 5], stride=[1, 1, 2], padding=["valid"] * 3)
conv_case("conv3d_same_dil2_groups2", [1, 4, 5, 6, 2], 2, [3, 2, 3], dilation=[1, 1, 2], groups=2)


def pool_case(name, kind, xshape, kernel, stride, padding, ties=False):
    x = rnd(*xshape)
    if ties:
        x = torch.round(x * 2) / 2  # many equal values: the gradient goes to the first maximum
    x = leaf(x)
    pads = pads_for(xshape[1:3], kernel, stride, [1, 1], [padding] * 2)
    xc = to_first(x)
    if kind == "max":
        y = F.max_pool2d(F.pad(xc, torch_pad(pads), value=float("-inf")), kernel, stride)
    else:  # mean over the input positions of each window (padding not counted)
        s = F.avg_pool2d(F.pad(xc, torch_pad(pads)), kernel, stride, divisor_override=1)
        ones = F.pad(torch.ones(1, 1, *xshape[1:3]), torch_pad(pads))
        y = s / F.avg_pool2d(ones, kernel, stride, divisor_override=1)
    y = to_last(y)
    r = backward(y)
    cases[name] = {"config": {"kernel": kernel, "stride": stride, "padding": padding},
                   "inputs": {"x": arr(x), "R": arr(r)}, "outputs": {"y": arr(y), "dx": arr(x.grad)}}


pool_case("maxpool2d_2x2", "max", [2, 6, 6, 3], [2, 2], [2, 2], "valid")
pool_case("maxpool2d_2x2_ties", "max", [2, 6, 4, 2], [2, 2], [2, 2], "valid", ties=True)
pool_case("maxpool2d_3x3_stride1_ties", "max", [1, 5, 6, 2], [3, 3], [1, 1], "valid", ties=True)
pool_case("maxpool2d_3x3_stride2_same", "max", [1, 7, 6, 2], [3, 3], [2, 2], "same")
pool_case("maxpool2d_2x2_valid_odd", "max", [1, 7, 5, 2], [2, 2], [2, 2], "valid")
pool_case("avgpool2d_2x2", "avg", [2, 6, 6, 3], [2, 2], [2, 2], "valid")
pool_case("avgpool2d_3x3_stride2_same", "avg", [1, 7, 6, 2], [3, 3], [2, 2], "same")
pool_case("avgpool2d_3x2_stride1_valid", "avg", [2, 5, 4, 1], [3, 2], [1, 1], "valid")


def bn2d_case(name, training):
    bn = torch.nn.BatchNorm2d(3, momentum=0.1, eps=1e-5)
    with torch.no_grad():
        bn.weight.copy_(rnd(3) + 1.5)
        bn.bias.copy_(rnd(3))
        bn.running_mean.copy_(rnd(3))
        bn.running_var.copy_(rnd(3) + 1.5)
    bn.train(training)
    inputs = {"gamma": arr(bn.weight), "beta": arr(bn.bias),
              "running_mean": arr(bn.running_mean), "running_var": arr(bn.running_var)}
    x = leaf(rnd(3, 3, 4, 3) * 2 + 0.5)  # [N, H, W, C]
    y = to_last(bn(to_first(x)))
    r = backward(y)
    inputs.update({"x": arr(x), "R": arr(r)})
    cases[name] = {"config": {"training": training}, "inputs": inputs,
                   "outputs": {"y": arr(y), "dx": arr(x.grad), "dgamma": arr(bn.weight.grad),
                               "dbeta": arr(bn.bias.grad), "running_mean": arr(bn.running_mean),
                               "running_var": arr(bn.running_var)}}


bn2d_case("batchnorm2d_train", True)
bn2d_case("batchnorm2d_eval", False)

json.dump({"generator": "scripts/nn/make_golden2d.py", "torch": torch.__version__, "cases": cases},
          sys.stdout, indent=None, separators=(",", ":"))
sys.stdout.write("\n")
