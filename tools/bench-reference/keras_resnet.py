#!/usr/bin/env python3
"""Keras reference for `tools/benchmark models` (BENCHMARKS.md, "Models").

Times a Keras ResNet classifier (tf.keras.applications, weights=None, NHWC) on constant random
input exactly as org.mustjava.experiments.bench.ModelsBenchmark times the must-models one:
inference (forward, BatchNorm with moving statistics) and training (forward, backward, SGD with
momentum 0.9, BatchNorm updates), each step a graph (tf.function, no XLA) whose result is fetched,
after warm-up steps, until both --min_steps and --seconds are reached. Same flags and defaults as
the Java benchmark. Run it by hand right after the Java one, in the same shell:

    tools/benchmark models && python3 tools/bench-reference/keras_resnet.py

Needs Python TensorFlow (pip install tensorflow-cpu). Never run by the project's tests.
"""
import argparse
import os
import time

# Same log level as tools/lib/java-main.sh sets for the Java side; set before TensorFlow loads.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "1")

import numpy as np
import tensorflow as tf


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--depth", type=int, default=50, choices=[50, 101, 152])
    p.add_argument("--image_size", type=int, default=224)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--classes", type=int, default=1000)
    p.add_argument("--modes", default="forward,train")
    p.add_argument("--seconds", type=float, default=20)
    p.add_argument("--min_steps", type=int, default=3)
    p.add_argument("--warmup_steps", type=int, default=2)
    p.add_argument("--intra_op_threads", type=int, default=0)
    p.add_argument("--inter_op_threads", type=int, default=0)
    p.add_argument("--seed", type=int, default=1)
    return p.parse_args()


def load_average():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "unknown"


def time_steps(step, warmup, min_steps, seconds):
    """Returns (timed steps, wall seconds, process CPU seconds) after `warmup` untimed calls."""
    for _ in range(warmup):
        step()
    cpu_start = time.process_time()  # every thread of the process, TensorFlow's included
    start = time.perf_counter()
    n = 0
    while n < min_steps or time.perf_counter() - start < seconds:
        step()
        n += 1
    wall = time.perf_counter() - start
    return n, wall, time.process_time() - cpu_start


def main():
    a = parse_args()
    tf.config.threading.set_intra_op_parallelism_threads(a.intra_op_threads)
    tf.config.threading.set_inter_op_parallelism_threads(a.inter_op_threads)
    tf.keras.utils.set_random_seed(a.seed)
    load_before = load_average()
    resnet = {50: tf.keras.applications.ResNet50, 101: tf.keras.applications.ResNet101,
              152: tf.keras.applications.ResNet152}[a.depth]
    # Logits out, like the Java classification head; the loss applies the softmax.
    model = resnet(weights=None, input_shape=(a.image_size, a.image_size, 3), classes=a.classes,
                   classifier_activation=None)
    x = tf.constant(np.random.default_rng(a.seed)
                    .uniform(-1, 1, (a.batch, a.image_size, a.image_size, 3)).astype(np.float32))
    y = tf.constant([(i * 7919 + a.seed) % a.classes for i in range(a.batch)], dtype=tf.int32)
    optimizer = tf.keras.optimizers.SGD(learning_rate=0.01, momentum=0.9)
    loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)

    @tf.function(jit_compile=False)
    def forward():
        return model(x, training=False)

    @tf.function(jit_compile=False)
    def train():
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    def run_forward():
        forward().numpy()

    def run_train():
        loss = float(train().numpy())
        if not np.isfinite(loss):
            raise RuntimeError(f"training diverged: loss {loss}")

    rows = []
    for mode in a.modes.split(","):
        step = {"forward": run_forward, "train": run_train}[mode]
        n, s, cpu = time_steps(step, a.warmup_steps, a.min_steps, a.seconds)
        rows.append((mode, n, s / n, n * a.batch / s, cpu / (n * a.batch)))

    params = sum(int(np.prod(v.shape)) for v in model.trainable_variables)
    print(f"TensorFlow {tf.__version__}, Keras {tf.keras.__version__ if hasattr(tf.keras, '__version__') else '?'}; "
          f"{os.cpu_count()} cores; {params:,} trainable parameters")
    print(f"load average (1/5/15 min): {load_before} at the start, {load_average()} at the end")
    print(f"session threads: intra_op {a.intra_op_threads}, inter_op {a.inter_op_threads} "
          "(0 = TensorFlow's default)")
    print()
    print("| model | image px | batch | mode | steps timed | s/step | images/s | CPU s/image |")
    print("|---|---|---|---|---|---|---|---|")
    for mode, n, sps, ips, cpu in rows:
        print(f"| Keras ResNet-{a.depth}, {a.classes} classes | {a.image_size} | {a.batch} | {mode} | {n} "
              f"| {sps:.3g} | {ips:.3g} | {cpu:.3g} |")


if __name__ == "__main__":
    main()
