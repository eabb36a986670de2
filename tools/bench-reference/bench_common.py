"""What keras_bench.py and torch_bench.py share: flags and their per-workload defaults (those of the
must-java benchmarks they mirror), the ResNet shape, the Fashion-MNIST data as both feed it, timing
and the JSON line. No framework imports here, so both scripts see identical data and settings."""
import argparse
import gzip
import json
import math
import os
import sys
import time

import numpy as np

# must-models' ResNet: blocks per stage and whether they are bottlenecks, base filters of stages 1..4.
RESNET_BLOCKS = {18: ([2, 2, 2, 2], False), 34: ([3, 4, 6, 3], False), 50: ([3, 4, 6, 3], True),
                 101: ([3, 4, 23, 3], True), 152: ([3, 8, 36, 3], True)}
BASE_FILTERS = [64, 128, 256, 512]
# must-models' BatchNorm defaults (Keras convention: moving = momentum * moving + (1 - momentum) * batch).
BN_MOMENTUM = 0.99
BN_EPSILON = 1e-3
# must-data's ImageNormalization (ImageNet mean and standard deviation of 0..255 pixels).
MEAN_RGB = [0.485 * 255, 0.456 * 255, 0.406 * 255]
STDDEV_RGB = [0.229 * 255, 0.224 * 255, 0.225 * 255]
FASHION_MNIST_TRAIN = 60000

# Defaults of `tools/benchmark models` and `tools/benchmark fmnist` (threads: the run script's 2/2).
WORKLOAD_DEFAULTS = {
    "resnet50": dict(depth=50, width=1.0, image_size=224, batch=8, classes=1000, modes="forward,train",
                     learning_rate=0.01, weight_decay=0.0, warmup_steps=2),
    "fmnist": dict(depth=18, width=0.25, image_size=64, batch=128, classes=10, modes="train",
                   learning_rate=0.1, weight_decay=5e-4, warmup_steps=20),
}


def parse_args(framework, argv):
    p = argparse.ArgumentParser(description=f"{framework} reference benchmark (tools/bench-reference/README.md)")
    p.add_argument("--workload", required=True, choices=sorted(WORKLOAD_DEFAULTS))
    p.add_argument("--depth", type=int, choices=sorted(RESNET_BLOCKS))
    p.add_argument("--width", type=float)
    p.add_argument("--image_size", type=int)
    p.add_argument("--batch", type=int)
    p.add_argument("--classes", type=int, help="resnet50 only (fmnist has 10)")
    p.add_argument("--modes", help="resnet50: forward,train")
    p.add_argument("--learning_rate", type=float, help="resnet50: constant; fmnist: cosine decay from it to 0")
    p.add_argument("--weight_decay", type=float, help="L2 gradient term on conv and dense kernels")
    p.add_argument("--momentum", type=float, default=0.9)
    p.add_argument("--warmup_steps", type=int, help="untimed steps first")
    p.add_argument("--seconds", type=float, default=20, help="resnet50: minimum timed seconds per mode")
    p.add_argument("--min_steps", type=int, default=3, help="resnet50: minimum timed steps per mode")
    p.add_argument("--epochs", type=int, default=2, help="fmnist: steps = epochs x floor(60000 / batch)")
    p.add_argument("--max_steps", type=int, default=0, help="fmnist: stop after this many steps (0: the epochs')")
    p.add_argument("--eval_batches", type=int, default=0, help="fmnist: test batches evaluated (0: all)")
    p.add_argument("--parallelism", type=int, default=2, help="fmnist: tf.data map parallelism (Keras)")
    p.add_argument("--input", default="/usr/share/datasets/fashion-mnist", help="fmnist: the four idx .gz files")
    p.add_argument("--intra_op_threads", type=int, default=2)
    p.add_argument("--inter_op_threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args(argv)
    for k, v in WORKLOAD_DEFAULTS[a.workload].items():
        if getattr(a, k) is None:
            setattr(a, k, v)
    if a.warmup_steps < 1:
        p.error("--warmup_steps must be >= 1")
    if a.workload == "fmnist" and fmnist_steps(a) <= a.warmup_steps:
        p.error(f"the run has {fmnist_steps(a)} steps, not more than --warmup_steps {a.warmup_steps}")
    return a


def scaled(filters, width):
    """must-models' width multiplier: rounded, at least 1 (Java's Math.round: half up)."""
    return max(1, int(math.floor(filters * width + 0.5)))


def fmnist_steps(a):
    steps = a.epochs * (FASHION_MNIST_TRAIN // a.batch)
    return min(steps, a.max_steps) if a.max_steps > 0 else steps


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def load_average():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "unknown"


def check_loss(loss):
    if not math.isfinite(loss):
        raise RuntimeError(f"training diverged: loss {loss}")


def time_steps(step, warmup, min_steps, seconds):
    """(timed steps, wall seconds) after `warmup` untimed calls, until both min_steps and seconds are reached."""
    for _ in range(warmup):
        step()
    start = time.perf_counter()
    n = 0
    while n < min_steps or time.perf_counter() - start < seconds:
        step()
        n += 1
    return n, time.perf_counter() - start


def synthetic_batch(batch, size, classes, seed):
    """NHWC uniform [-1, 1) images and the labels ModelsBenchmark uses ((i * 7919 + seed) % classes)."""
    x = np.random.default_rng(seed).uniform(-1, 1, (batch, size, size, 3)).astype(np.float32)
    y = np.array([(i * 7919 + seed) % classes for i in range(batch)], dtype=np.int64)
    return x, y


def _read_idx(path, header):
    with gzip.open(path, "rb") as f:
        data = f.read()
    return np.frombuffer(data, dtype=np.uint8, offset=header)


def _bilinear_matrix(out_size, in_size):
    """Rows: output pixels; half-pixel centres, edges clamped (tf.image.resize / torch align_corners=False)."""
    m = np.zeros((out_size, in_size), np.float32)
    for o in range(out_size):
        src = max((o + 0.5) * in_size / out_size - 0.5, 0.0)
        i0 = min(int(math.floor(src)), in_size - 1)
        i1 = min(i0 + 1, in_size - 1)
        frac = src - i0
        m[o, i0] += 1 - frac
        m[o, i1] += frac
    return m


def upscale(images, size):
    """[n, 28, 28] uint8 -> [n, size, size] uint8, bilinear, in chunks (memory)."""
    r = _bilinear_matrix(size, images.shape[1])
    out = np.empty((images.shape[0], size, size), np.uint8)
    for i in range(0, images.shape[0], 5000):
        chunk = images[i:i + 5000].astype(np.float32)
        out[i:i + 5000] = np.clip(np.rint(r @ chunk @ r.T), 0, 255).astype(np.uint8)
    return out


def load_fashion_mnist(directory, size):
    """((train images, labels), (test images, labels)): images [n, size, size] uint8 (gray), labels int64."""
    splits = []
    for prefix in ("train", "t10k"):
        images_path = os.path.join(directory, f"{prefix}-images-idx3-ubyte.gz")
        labels_path = os.path.join(directory, f"{prefix}-labels-idx1-ubyte.gz")
        for p in (images_path, labels_path):
            if not os.path.exists(p):
                raise FileNotFoundError(f"{p} does not exist (Debian package dataset-fashion-mnist)")
        images = _read_idx(images_path, 16).reshape(-1, 28, 28)
        labels = _read_idx(labels_path, 8).astype(np.int64)
        splits.append((upscale(images, size), labels))
    return splits[0], splits[1]


def emit(framework, a, mode, images_per_s, accuracy, params, timed_steps, steps=None):
    """The one machine-readable line per measurement (tools/bench-reference/run reads it)."""
    print(json.dumps({
        "framework": framework, "workload": a.workload, "mode": mode, "images_per_s": round(images_per_s, 3),
        "accuracy": None if accuracy is None else round(accuracy, 4), "params": params, "steps": steps,
        "timed_steps": timed_steps, "batch": a.batch, "image_size": a.image_size,
        "intra_op_threads": a.intra_op_threads, "inter_op_threads": a.inter_op_threads}), flush=True)
    log(f"{framework} {a.workload} {mode}: {images_per_s:.2f} images/s"
        + ("" if accuracy is None else f", test top-1 {accuracy:.4f}") + f", {params:,} parameters")
