#!/usr/bin/env python3
"""The ResNet-18 for CIFAR of bench's onnx-resnet workload, as bench writes it (losssurface.bench.ResNetOnnx): batch norm
folded into each convolution's weight and bias, as PyTorch's exporter does in eval mode. The parameters keep the names of
the ONNX file's initializers, so torch_peer.py fills the module from bench's flat parameter vector by name.
"""


def network(torch):
    nn = torch.nn

    class Block(nn.Module):
        def __init__(self, i, o, stride):
            super().__init__()
            self.c1 = nn.Conv2d(i, o, 3, stride, 1)
            self.c2 = nn.Conv2d(o, o, 3, 1, 1)
            self.sc = nn.Conv2d(i, o, 1, stride, 0) if stride != 1 or i != o else None

        def forward(self, x):
            y = self.c2(torch.relu(self.c1(x)))
            return torch.relu(y + (x if self.sc is None else self.sc(x)))

    class ResNet18Cifar(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 64, 3, 1, 1)
            blocks, i = [], 64
            for o, stride in ((64, 1), (128, 2), (256, 2), (512, 2)):
                blocks += [Block(i, o, stride), Block(o, o, 1)]
                i = o
            self.layers = nn.Sequential(*blocks)
            self.fc = nn.Linear(512, 10)

        def forward(self, x):
            x = self.layers(torch.relu(self.conv(x)))
            return self.fc(torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1))

    return ResNet18Cifar()
