#!/usr/bin/python3
"""PyTorch side of `npm run bench:train -- --variant ...`: the reference CNN and its template variants (batch norm,
same padding, conv / dense dropout, pooling, head, strides, kernel size, activation), the architectures of ../shared/bench/bench_torch_bn_variants.py, built the
way our template builds them (conv without bias before batch norm, Glorot-uniform weights, zero biases, Adam 1e-3
eps 1e-7, batch 64), on random 28x28 inputs (speed only). One warm-up epoch, then N timed ones. Prints one JSON line.

--dense conv1x1 runs the dense layers as 1x1 convolutions (oneDNN): this Debian torch links the reference netlib
BLAS, so nn.Linear (--dense linear) is ~40% of its step; conv1x1 is the fair figure (../shared/bench/README.md).

Usage: /usr/bin/python3 bench/train/variants_torch.py [--bn] [--pad 1] [--cdrop 0.2] [--ddrop 0.3]
       [--pool max|avg|none] [--head flatten|gap] [--stride 1] [--kernel 3] [--act relu|elu|leaky_relu|tanh|sigmoid]
       [--dense conv1x1|linear] [--threads 1] [--images 3000] [--epochs 3]
"""
import argparse
import json
import time

import torch
import torch.nn as nn

ap = argparse.ArgumentParser()
ap.add_argument("--bn", action="store_true")
ap.add_argument("--pad", type=int, default=0)
ap.add_argument("--cdrop", type=float, default=0.0)
ap.add_argument("--ddrop", type=float, default=0.0)
ap.add_argument("--pool", default="max", choices=["max", "avg", "none"])
ap.add_argument("--head", default="flatten", choices=["flatten", "gap"])
ap.add_argument("--stride", type=int, default=1)
ap.add_argument("--kernel", type=int, default=3)
ap.add_argument("--act", default="relu", choices=["relu", "elu", "leaky_relu", "tanh", "sigmoid"])
ap.add_argument("--dense", default="conv1x1", choices=["conv1x1", "linear"])
ap.add_argument("--threads", type=int, default=1)
ap.add_argument("--images", type=int, default=3000)
ap.add_argument("--epochs", type=int, default=3)
args = ap.parse_args()


class Dense1x1(nn.Module):
    """A dense layer as a 1x1 convolution on a 1x1 map (mathematically nn.Linear)."""

    def __init__(self, units_in, units_out):
        super().__init__()
        self.conv = nn.Conv2d(units_in, units_out, 1)
        self.weight, self.bias = self.conv.weight, self.conv.bias

    def forward(self, x):
        return torch.flatten(self.conv(x.reshape(x.shape[0], -1, 1, 1)), 1)


def dense(units_in, units_out):
    return nn.Linear(units_in, units_out) if args.dense == "linear" else Dense1x1(units_in, units_out)


# tfjs-layers' defaults: LeakyReLU alpha 0.3, ELU alpha 1.
ACTIVATIONS = {"relu": nn.ReLU, "elu": nn.ELU, "leaky_relu": lambda: nn.LeakyReLU(0.3), "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}


def cnn():
    layers, channels = [], 1
    for filters in (32, 64):
        layers.append(nn.Conv2d(channels, filters, args.kernel, stride=args.stride, padding=args.pad, bias=not args.bn))
        if args.bn:
            layers.append(nn.BatchNorm2d(filters, eps=1e-3, momentum=0.01))  # Keras' epsilon and momentum 0.99
        layers.append(ACTIVATIONS[args.act]())
        if args.pool != "none":
            layers.append(nn.MaxPool2d(2) if args.pool == "max" else nn.AvgPool2d(2))
        if args.cdrop:
            layers.append(nn.Dropout(args.cdrop))
        channels = filters
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten()] if args.head == "gap" else [nn.Flatten()]
    with torch.no_grad():
        features = nn.Sequential(*layers).eval()(torch.zeros(1, 1, 28, 28)).shape[1]
    layers += [dense(features, 128), ACTIVATIONS[args.act]()]
    if args.ddrop:
        layers.append(nn.Dropout(args.ddrop))
    layers.append(dense(128, 10))
    model = nn.Sequential(*layers)
    for module in model.modules():
        if isinstance(module, (nn.Conv2d, nn.Linear)):
            nn.init.xavier_uniform_(module.weight)
            if module.bias is not None:
                nn.init.zeros_(module.bias)
    return model


torch.set_num_threads(args.threads)
torch.manual_seed(0)
count = args.images // 64 * 64
x = torch.rand(count, 1, 28, 28)
y = torch.randint(0, 10, (count,))
model = cnn()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)
loss_fn = nn.CrossEntropyLoss()
model.train()


def epoch():
    order = torch.randperm(count)
    began = time.perf_counter()
    for i in range(0, count, 64):
        j = order[i:i + 64]
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x[j]), y[j])
        loss.backward()
        optimizer.step()
        loss.item()  # our trainer reads every batch's loss too
    return count / (time.perf_counter() - began)


epoch()  # warm-up
rates = [epoch() for _ in range(args.epochs)]
print(json.dumps({"engine": f"pytorch {torch.__version__} ({args.dense} dense)", "threads": args.threads,
                  "images_per_epoch": count, "images_per_s": rates}))
