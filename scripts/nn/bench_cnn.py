#!/usr/bin/python3
"""Time one forward+backward pass (no optimiser) of the CNNs of nn's BenchmarkCNN in PyTorch.

The models are the ones nn/cnn_bench_test.go builds, on a batch of 64 images 28x28x1, float32,
with the loss mean cross-entropy over 10 classes and the gradients of every parameter:

  lenet5   conv 6@5x5 same, ReLU, maxpool 2; conv 16@5x5 valid, ReLU, maxpool 2; flatten;
           dense 120, ReLU; dense 84, ReLU; dense 10
  resnet8  conv 16@3x3, BN, ReLU; three basic blocks (two 3x3 convs with BN, ReLU) of 16, 32
           and 64 channels, the last two with stride 2 and a 1x1 conv + BN shortcut; global
           average pool; dense 10 (He et al. 2016's CIFAR ResNet with n = 1: 6n+2 = 8 layers)

Run with Debian's python3-torch (two threads, like the Go benchmark on this machine):

    /usr/bin/python3 scripts/nn/bench_cnn.py [--rounds 30] [--channels-last]

It prints the fastest round in ms per step for each model, then the same for the single
convolution of nn's BenchmarkConv2D (3x3, 16->16 channels, padding 1, no bias, on
[64, 16, 28, 28]; forward alone and forward+backward of sum(y*R) for input and weights).
"""
import argparse
import time

import torch
import torch.nn as tnn
import torch.nn.functional as F


class LeNet5(tnn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = tnn.Conv2d(1, 6, 5, padding="same")
        self.c2 = tnn.Conv2d(6, 16, 5)
        self.d1 = tnn.Linear(16 * 5 * 5, 120)
        self.d2 = tnn.Linear(120, 84)
        self.d3 = tnn.Linear(84, 10)

    def forward(self, x):
        h = F.max_pool2d(torch.relu(self.c1(x)), 2)
        h = F.max_pool2d(torch.relu(self.c2(h)), 2)
        h = torch.flatten(h, 1)
        return self.d3(torch.relu(self.d2(torch.relu(self.d1(h)))))


class Basic(tnn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1 = tnn.Conv2d(cin, cout, 3, stride=stride, padding=1)
        self.b1 = tnn.BatchNorm2d(cout)
        self.c2 = tnn.Conv2d(cout, cout, 3, padding=1)
        self.b2 = tnn.BatchNorm2d(cout)
        self.short = None
        if stride != 1 or cin != cout:
            self.short = tnn.Sequential(tnn.Conv2d(cin, cout, 1, stride=stride), tnn.BatchNorm2d(cout))

    def forward(self, x):
        h = torch.relu(self.b1(self.c1(x)))
        h = self.b2(self.c2(h))
        s = x if self.short is None else self.short(x)
        return torch.relu(h + s)


class ResNet8(tnn.Module):
    def __init__(self):
        super().__init__()
        self.stem = tnn.Conv2d(1, 16, 3, padding=1)
        self.bn = tnn.BatchNorm2d(16)
        self.blocks = tnn.Sequential(Basic(16, 16, 1), Basic(16, 32, 2), Basic(32, 64, 2))
        self.out = tnn.Linear(64, 10)

    def forward(self, x):
        h = torch.relu(self.bn(self.stem(x)))
        h = self.blocks(h)
        return self.out(h.mean(dim=(2, 3)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=30)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--channels-last", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    x = torch.randn(64, 1, 28, 28)
    labels = torch.arange(64) % 10
    fmt = torch.channels_last if args.channels_last else torch.contiguous_format
    for name, m in [("lenet5", LeNet5()), ("resnet8", ResNet8())]:
        m = m.to(memory_format=fmt).train()
        xi = x.to(memory_format=fmt)

        def step():
            m.zero_grad(set_to_none=True)
            loss = F.cross_entropy(m(xi), labels)
            loss.backward()

        for _ in range(5):
            step()
        best = float("inf")
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            step()
            best = min(best, time.perf_counter() - t0)
        print(f"{name} {best * 1e3:.2f} ms/step (torch {torch.__version__}, {args.threads} threads)")

    conv = tnn.Conv2d(16, 16, 3, padding=1, bias=False).to(memory_format=fmt)
    xc = torch.randn(64, 16, 28, 28).to(memory_format=fmt).requires_grad_(True)
    r = torch.randn(64, 16, 28, 28)

    def conv_fwd():
        with torch.no_grad():
            conv(xc)

    def conv_fwdbwd():
        xc.grad = None
        conv.zero_grad(set_to_none=True)
        (conv(xc) * r).sum().backward()

    for name, step in [("conv3x3-fwd", conv_fwd), ("conv3x3-fwdbwd", conv_fwdbwd)]:
        for _ in range(5):
            step()
        best = float("inf")
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            step()
            best = min(best, time.perf_counter() - t0)
        print(f"{name} {best * 1e3:.2f} ms")


if __name__ == "__main__":
    main()
