#!/usr/bin/python3
"""LeNet-5 on Fashion-MNIST in PyTorch on the CPU: the speed PyTorch users get, for scripts/bench-peers.sh.

The network, data and optimizer mirror sparktrain's `model.type = lenet` (ModelFactory) with Adam:
  conv 6@5x5 -> ReLU -> maxpool 2 -> conv 16@5x5 -> ReLU -> maxpool 2 -> 120 -> ReLU -> 84 -> ReLU -> 10,
  softmax cross-entropy (mean over the minibatch), no padding, stride 1;
  weights uniform in +-1/sqrt(fan_in) (DL4J's UNIFORM; also PyTorch's default bound), biases zero (DL4J's
  default; PyTorch would draw them from the same uniform);
  pixels as unsigned bytes / 255 (sparktrain's IDX reader), labels as class indices;
  Adam(lr, betas 0.9/0.999, eps 1e-8), the defaults of both.
What differs: DL4J's Adam folds the bias corrections into the step size and adds eps to sqrt(v) unscaled,
PyTorch adds eps to the bias-corrected sqrt(v) (a difference only while v is tiny); the random numbers
(initial weights, data order) are PyTorch's own, so the accuracy agrees in distribution, not digit for digit.
Data order: a fresh permutation every epoch from one generator seeded once (DataLoader(shuffle=True)'s order),
minibatches sliced from the in-memory tensors (no per-example collate).

Prints per epoch: RESULT peer=pytorch batch=B epoch=E samples_per_s=... train_s=... loss=...
with test_acc=... after the last epoch; samples/s = the epoch's training examples / the wall time of its
training loop (evaluation excluded).
"""
import argparse
import gzip
import math
import os
import time

import numpy as np
import torch
from torch import nn


def read_idx(path, magic, dims):
    with gzip.open(path, "rb") as f:
        data = f.read()
    found = int.from_bytes(data[0:4], "big")
    if found != magic:
        raise SystemExit(f"{path}: wrong IDX magic number 0x{found:08X}, expected 0x{magic:08X}")
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(data_dir, prefix, limit=0):
    images = read_idx(os.path.join(data_dir, f"{prefix}-images-idx3-ubyte.gz"), 0x803, 3)
    labels = read_idx(os.path.join(data_dir, f"{prefix}-labels-idx1-ubyte.gz"), 0x801, 1)
    if limit > 0:
        images, labels = images[:limit], labels[:limit]
    x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)  # [n, 1, 28, 28]
    y = torch.from_numpy(labels.astype(np.int64))
    return x, y


class LeNet(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 4 * 4, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, classes)
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                fan_in = m.weight[0].numel()
                nn.init.uniform_(m.weight, -1.0 / math.sqrt(fan_in), 1.0 / math.sqrt(fan_in))
                nn.init.zeros_(m.bias)

    def forward(self, x):
        x = torch.max_pool2d(torch.relu(self.conv1(x)), 2)
        x = torch.max_pool2d(torch.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)  # [c, h, w] order, as DL4J's CNN-to-dense preprocessor
        x = torch.relu(self.fc1(x))
        x = torch.relu(self.fc2(x))
        return self.fc3(x)


def accuracy(model, x, y, batch=1000):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(y), batch):
            correct += (model(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum().item()
    model.train()
    return correct / len(y)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--batch", type=int, default=64, help="minibatch size (default 64)")
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (default 2)")
    p.add_argument("--train-limit", type=int, default=0, help="use the first N training examples (0 = all)")
    p.add_argument("--data-dir", default="/usr/share/datasets/fashion-mnist")
    a = p.parse_args()
    if a.batch <= 0 or a.epochs <= 0 or a.threads <= 0 or a.train_limit < 0:
        raise SystemExit(f"--batch, --epochs, --threads must be positive and --train-limit >= 0, found "
                         f"{a.batch}, {a.epochs}, {a.threads}, {a.train_limit}")

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    x, y = load(a.data_dir, "train", a.train_limit)
    tx, ty = load(a.data_dir, "t10k")
    model = LeNet()
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    loss_fn = nn.CrossEntropyLoss()
    order = torch.Generator().manual_seed(a.seed)
    n = len(y)
    print(f"pytorch {torch.__version__}: {n} training examples, batch {a.batch}, {a.threads} threads", flush=True)
    for epoch in range(1, a.epochs + 1):
        start = time.perf_counter()
        perm = torch.randperm(n, generator=order)
        total, batches = 0.0, 0
        for i in range(0, n, a.batch):
            idx = perm[i:i + a.batch]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
            total += loss.item()
            batches += 1
        seconds = time.perf_counter() - start
        line = (f"RESULT peer=pytorch batch={a.batch} epoch={epoch} samples_per_s={n / seconds:.1f} "
                f"train_s={seconds:.2f} loss={total / batches:.4f}")
        if epoch == a.epochs:
            line += f" test_acc={accuracy(model, tx, ty):.4f}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
