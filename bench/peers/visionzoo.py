"""PyTorch twins of erg's image-classifier zoo (package vision), NCHW.

Used by bench/peers/vision.py (erg bench vision) and scripts/vision/train_torch.py.
  mlp        flatten -> 256 -> 128 -> classes, ReLU
  lenet5     conv 6@5x5 pad 2, ReLU, maxpool 2; conv 16@5x5, ReLU, maxpool 2; flatten;
             dense 120, 84 (ReLU), classes
  vgg        [conv3x3 32 pad 1, BN, ReLU] x2, maxpool 2; [conv3x3 64, BN, ReLU] x2, maxpool 2;
             flatten; dense 256, ReLU, (dropout); classes
  resnet8    He et al. (2016) CIFAR ResNet, 6n+2 layers with n = 1; resnet20: n = 3, option-B
  resnet20   shortcuts (1x1 conv stride 2 + BN); convolutions followed by BN have no bias.
  mobilenet  MobileNet-v1-style depthwise-separable blocks to 64, 128 s2, 128, 256 s2, 256; GAP.
  cnn        green's small CNN (vision/cnn.go): conv3x3 32 pad 1 (bias), ReLU, maxpool 2; conv3x3 64
             pad 1 (bias), ReLU, maxpool 2; flatten; dense 128, ReLU; classes (421,642 on 28x28x1).
Import it after ergpeer.configure_blas() (it imports torch).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class MLP(nn.Module):
    def __init__(self, c, h, w, classes):
        super().__init__()
        self.d1, self.d2, self.d3 = nn.Linear(c * h * w, 256), nn.Linear(256, 128), nn.Linear(128, classes)

    def forward(self, x):
        x = torch.flatten(x, 1)
        return self.d3(F.relu(self.d2(F.relu(self.d1(x)))))


class LeNet5(nn.Module):
    def __init__(self, c, h, w, classes):
        super().__init__()
        self.c1 = nn.Conv2d(c, 6, 5, padding=2)
        self.c2 = nn.Conv2d(6, 16, 5)
        fh, fw = ((h // 2) - 4) // 2, ((w // 2) - 4) // 2
        self.d1, self.d2, self.d3 = nn.Linear(16 * fh * fw, 120), nn.Linear(120, 84), nn.Linear(84, classes)

    def forward(self, x):
        h = F.max_pool2d(F.relu(self.c1(x)), 2)
        h = F.max_pool2d(F.relu(self.c2(h)), 2)
        h = torch.flatten(h, 1)
        return self.d3(F.relu(self.d2(F.relu(self.d1(h)))))


def conv_bn(cin, cout, k=3, stride=1, groups=1):
    return [nn.Conv2d(cin, cout, k, stride=stride, padding=k // 2, groups=groups, bias=False), nn.BatchNorm2d(cout)]


class VGG(nn.Module):
    def __init__(self, c, h, w, classes, dropout=0.0):
        super().__init__()
        layers = []
        cin = c
        for cout in (32, 64):
            for _ in range(2):
                layers += conv_bn(cin, cout) + [nn.ReLU()]
                cin = cout
            layers.append(nn.MaxPool2d(2))
        self.body = nn.Sequential(*layers)
        self.d1 = nn.Linear(64 * (h // 4) * (w // 4), 256)
        self.drop = nn.Dropout(dropout)
        self.out = nn.Linear(256, classes)

    def forward(self, x):
        h = torch.flatten(self.body(x), 1)
        return self.out(self.drop(F.relu(self.d1(h))))


class Basic(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1, self.b1 = conv_bn(cin, cout, 3, stride)
        self.c2, self.b2 = conv_bn(cout, cout, 3, 1)
        self.short = None
        if stride != 1 or cin != cout:  # option B: projection
            self.short = nn.Sequential(nn.Conv2d(cin, cout, 1, stride=stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        h = F.relu(self.b1(self.c1(x)))
        h = self.b2(self.c2(h))
        return F.relu(h + (x if self.short is None else self.short(x)))


class ResNet(nn.Module):
    def __init__(self, c, h, w, classes, n=1):
        super().__init__()
        self.stem = nn.Sequential(*conv_bn(c, 16), nn.ReLU())
        blocks, cin = [], 16
        for stage, cout in enumerate((16, 32, 64)):
            for i in range(n):
                blocks.append(Basic(cin, cout, 2 if stage > 0 and i == 0 else 1))
                cin = cout
        self.blocks = nn.Sequential(*blocks)
        self.out = nn.Linear(64, classes)

    def forward(self, x):
        return self.out(self.blocks(self.stem(x)).mean(dim=(2, 3)))


class MobileNet(nn.Module):
    def __init__(self, c, h, w, classes):
        super().__init__()
        layers = conv_bn(c, 32) + [nn.ReLU()]
        cin = 32
        for cout, s in ((64, 1), (128, 2), (128, 1), (256, 2), (256, 1)):
            layers += conv_bn(cin, cin, 3, s, groups=cin) + [nn.ReLU()] + conv_bn(cin, cout, 1) + [nn.ReLU()]
            cin = cout
        self.body = nn.Sequential(*layers)
        self.out = nn.Linear(cin, classes)

    def forward(self, x):
        return self.out(self.body(x).mean(dim=(2, 3)))


class CNN(nn.Module):
    def __init__(self, c, h, w, classes):
        super().__init__()
        self.conv1 = nn.Conv2d(c, 32, 3, padding=1)
        self.conv2 = nn.Conv2d(32, 64, 3, padding=1)
        self.fc1 = nn.Linear(64 * (h // 4) * (w // 4), 128)
        self.out = nn.Linear(128, classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.out(F.relu(self.fc1(torch.flatten(x, 1))))


def build(name, c=1, h=28, w=28, classes=10, dropout=0.0):
    return {
        "mlp": lambda: MLP(c, h, w, classes),
        "lenet5": lambda: LeNet5(c, h, w, classes),
        "vgg": lambda: VGG(c, h, w, classes, dropout),
        "resnet8": lambda: ResNet(c, h, w, classes, 1),
        "resnet20": lambda: ResNet(c, h, w, classes, 3),
        "mobilenet": lambda: MobileNet(c, h, w, classes),
        "cnn": lambda: CNN(c, h, w, classes),
    }[name]()
