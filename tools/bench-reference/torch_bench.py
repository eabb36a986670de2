#!/usr/bin/env python3
"""PyTorch side of issue 14's three-way comparison (must-java vs Keras vs PyTorch); run by tools/bench-reference/run.

Same workloads, flags and defaults as keras_bench.py (see its docstring): `resnet50` (forward and
training images/s on a constant random batch) and `fmnist` (ResNet-18 x0.25 on Fashion-MNIST at
64 px: training images/s and test top-1). The network mirrors must-models' ResNet (v1.5, no conv
biases, BatchNorm epsilon 1e-3 and moving-average factor 0.01 = Keras momentum 0.99, max-pool
3x3/2 with padding 1, global average pool + linear head with N(0, 0.01) weights), so the trainable
parameter count equals must-java's. Eager mode, default NCHW layout (no torch.compile, no
channels_last), as a PyTorch user would first write it. Fashion-MNIST is kept in memory as uint8
tensors (upscaled once, bilinear, by bench_common); each batch is gathered, replicated to RGB and
normalised on the training thread (no DataLoader workers). Weight decay is SGD's own
(weight_decay x w added to the gradient) on conv and linear weights only, as must-java applies it.

Threads: torch.set_num_threads(--intra_op_threads), torch.set_num_interop_threads(--inter_op_threads).
Prints progress on stderr and one JSON line per measurement on stdout. Needs PyTorch
(pip install torch). Python is for these benchmarks only; never run by the project's tests.
"""
import math
import os
import sys
import time

import torch
from torch import nn
import torch.nn.functional as F

import bench_common as common

# PyTorch's BatchNorm momentum is the weight of the new batch statistic.
TORCH_BN_MOMENTUM = 1 - common.BN_MOMENTUM


def conv(in_ch, out_ch, kernel, stride):
    # padding k // 2 on both sides = must-models' FIXED padding for odd kernels (and SAME at stride 1).
    c = nn.Conv2d(in_ch, out_ch, kernel, stride=stride, padding=kernel // 2, bias=False)
    nn.init.kaiming_normal_(c.weight, mode="fan_in", nonlinearity="relu")
    return c


def bn(ch):
    return nn.BatchNorm2d(ch, eps=common.BN_EPSILON, momentum=TORCH_BN_MOMENTUM)


class BasicBlock(nn.Module):
    def __init__(self, in_ch, filters, stride):
        super().__init__()
        self.conv1, self.bn1 = conv(in_ch, filters, 3, stride), bn(filters)
        self.conv2, self.bn2 = conv(filters, filters, 3, 1), bn(filters)
        self.shortcut = None
        if stride != 1 or in_ch != filters:
            self.shortcut = nn.Sequential(conv(in_ch, filters, 1, stride), bn(filters))
        self.out_channels = filters

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + (x if self.shortcut is None else self.shortcut(x)))


class Bottleneck(nn.Module):
    def __init__(self, in_ch, filters, stride):
        super().__init__()
        out = filters * 4
        self.conv1, self.bn1 = conv(in_ch, filters, 1, 1), bn(filters)
        self.conv2, self.bn2 = conv(filters, filters, 3, stride), bn(filters)  # v1.5: stride on the 3x3
        self.conv3, self.bn3 = conv(filters, out, 1, 1), bn(out)
        self.shortcut = None
        if stride != 1 or in_ch != out:
            self.shortcut = nn.Sequential(conv(in_ch, out, 1, stride), bn(out))
        self.out_channels = out

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = F.relu(self.bn2(self.conv2(y)))
        y = self.bn3(self.conv3(y))
        return F.relu(y + (x if self.shortcut is None else self.shortcut(x)))


class ResNet(nn.Module):
    """ResNet-depth x width, ImageNet stem, linear classification head (logits)."""

    def __init__(self, depth, width, classes):
        super().__init__()
        blocks, bottleneck = common.RESNET_BLOCKS[depth]
        stem = common.scaled(64, width)
        self.stem = nn.Sequential(conv(3, stem, 7, 2), bn(stem), nn.ReLU(inplace=True),
                                  nn.MaxPool2d(3, 2, padding=1))
        layers, ch = [], stem
        for s, n in enumerate(blocks):
            filters = common.scaled(common.BASE_FILTERS[s], width)
            for b in range(n):
                block = (Bottleneck if bottleneck else BasicBlock)(ch, filters, 2 if b == 0 and s > 0 else 1)
                layers.append(block)
                ch = block.out_channels
        self.stages = nn.Sequential(*layers)
        self.head = nn.Linear(ch, classes)
        nn.init.normal_(self.head.weight, std=0.01)
        nn.init.zeros_(self.head.bias)

    def forward(self, x):
        x = self.stages(self.stem(x))
        return self.head(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def trainable_params(model):
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def sgd(model, a):
    """SGD with momentum; weight decay on conv and linear weights (4-d and 2-d tensors), none on BN and biases."""
    decay = [p for p in model.parameters() if p.dim() > 1]
    other = [p for p in model.parameters() if p.dim() <= 1]
    return torch.optim.SGD([{"params": decay, "weight_decay": a.weight_decay},
                            {"params": other, "weight_decay": 0.0}], lr=a.learning_rate, momentum=a.momentum)


def train_step(model, optimizer, x, y):
    optimizer.zero_grad(set_to_none=True)
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()


def run_resnet(a):
    model = ResNet(a.depth, a.width, a.classes)
    params = trainable_params(model)
    common.log(f"PyTorch ResNet-{a.depth} x{a.width}: {params:,} trainable parameters")
    x_np, y_np = common.synthetic_batch(a.batch, a.image_size, a.classes, a.seed)
    x = torch.from_numpy(x_np).permute(0, 3, 1, 2).contiguous()  # NCHW
    y = torch.from_numpy(y_np)
    optimizer = sgd(model, a)

    def forward():
        model.eval()
        with torch.no_grad():
            model(x)

    def train():
        model.train()
        common.check_loss(train_step(model, optimizer, x, y))

    steps = {"forward": forward, "train": train}
    for mode in a.modes.split(","):
        n, wall = common.time_steps(steps[mode], a.warmup_steps, a.min_steps, a.seconds)
        common.emit("pytorch", a, mode, n * a.batch / wall, None, params, n)


def run_fmnist(a):
    (train_x, train_y), (test_x, test_y) = common.load_fashion_mnist(a.input, a.image_size)
    train_x, train_y = torch.from_numpy(train_x), torch.from_numpy(train_y)
    test_x, test_y = torch.from_numpy(test_x), torch.from_numpy(test_y)
    model = ResNet(a.depth, a.width, 10)
    params = trainable_params(model)
    steps = common.fmnist_steps(a)
    common.log(f"PyTorch ResNet-{a.depth} x{a.width}: {params:,} trainable parameters; {steps} steps of batch {a.batch}")
    mean = torch.tensor(common.MEAN_RGB).view(1, 3, 1, 1)
    std = torch.tensor(common.STDDEV_RGB).view(1, 3, 1, 1)

    def normalise(images):
        return (images[:, None].float().expand(-1, 3, -1, -1) - mean) / std

    optimizer = sgd(model, a)
    # Cosine decay from the learning rate to 0 over the run, the rate of step s (0-based) used by step s.
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: 0.5 * (1 + math.cos(math.pi * min(s, steps) / steps)))
    per_epoch = len(train_x) // a.batch
    generator = torch.Generator().manual_seed(a.seed)
    model.train()
    start = None
    order = None
    for step in range(1, steps + 1):
        i = (step - 1) % per_epoch
        if i == 0:
            order = torch.randperm(len(train_x), generator=generator)
        idx = order[i * a.batch:(i + 1) * a.batch]
        common.check_loss(train_step(model, optimizer, normalise(train_x[idx]), train_y[idx]))
        schedule.step()
        if step == a.warmup_steps:
            start = time.perf_counter()
        if step % 100 == 0:
            common.log(f"step {step}/{steps}")
    wall = time.perf_counter() - start
    timed = steps - a.warmup_steps

    model.eval()
    correct = total = 0
    with torch.no_grad():
        for b, i in enumerate(range(0, len(test_x), a.batch)):
            if a.eval_batches and b >= a.eval_batches:
                break
            y = test_y[i:i + a.batch]
            correct += int((model(normalise(test_x[i:i + a.batch])).argmax(1) == y).sum())
            total += len(y)
    common.emit("pytorch", a, "train", timed * a.batch / wall, correct / total, params, timed, steps=steps)


def main():
    a = common.parse_args("PyTorch", sys.argv[1:])
    torch.set_num_threads(a.intra_op_threads)
    torch.set_num_interop_threads(a.inter_op_threads)
    torch.manual_seed(a.seed)
    common.log(f"PyTorch {torch.__version__}; {os.cpu_count()} cores; threads intra_op {torch.get_num_threads()}, "
               f"inter_op {torch.get_num_interop_threads()}; load average {common.load_average()}")
    (run_resnet if a.workload == "resnet50" else run_fmnist)(a)


if __name__ == "__main__":
    main()
