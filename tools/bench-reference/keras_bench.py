#!/usr/bin/env python3
"""Keras side of issue 14's three-way comparison (must-java vs Keras vs PyTorch); run by tools/bench-reference/run.

Two workloads, each the same model, data and recipe as the must-java benchmark it mirrors:

  resnet50  ResNet-50, 224 px, batch 8, 1000 classes, constant random input (uniform [-1, 1]):
            forward images/s (BatchNorm with moving statistics) and training images/s (SGD
            momentum 0.9, learning rate 0.01, no weight decay). Mirrors `tools/benchmark models`.
  fmnist    ResNet-18 width x0.25 (ImageNet stem), Fashion-MNIST upscaled to 64 px (bilinear, once,
            kept in memory as uint8; gray replicated to RGB and normalised per batch in tf.data),
            batch 128, 2 epochs of floor(60000 / 128) steps, SGD momentum 0.9, cosine decay from 0.1
            to 0 over the run, weight decay 5e-4 on conv and dense kernels, no augmentation:
            training images/s and test top-1. Mirrors `tools/benchmark fmnist`.

The network is built here layer by layer as must-models builds it (ResNet v1.5: stride on the
3x3 conv of bottlenecks; no conv biases; BatchNorm momentum 0.99, epsilon 1e-3; symmetric explicit
padding before strided convs; 3x3/2 SAME max-pool; global average pool + dense head), not
tf.keras.applications (v1, with conv biases), so the trainable parameter counts are equal.
Each step is a tf.function graph (no XLA) whose loss is fetched, as must-java fetches it.
Warm-up steps are not timed. Threads are set explicitly (--intra_op_threads, --inter_op_threads).

Prints progress on stderr and one JSON line per measurement on stdout:
  {"framework": "keras", "workload": ..., "mode": ..., "images_per_s": ..., "accuracy": ..., "params": ..., ...}

Needs Python TensorFlow (pip install tensorflow-cpu). Python is for these benchmarks only; never
run by the project's tests.
"""
import argparse
import os
import sys
import time

# Same log level as tools/lib/java-main.sh sets for the Java side; set before TensorFlow loads.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "1")

import numpy as np
import tensorflow as tf

import bench_common as common


def conv(x, filters, kernel, stride, name):
    """Conv without bias; strided convs pad symmetrically first (must-models' Padding.FIXED)."""
    if stride > 1 and kernel > 1:
        total = kernel - 1
        x = tf.keras.layers.ZeroPadding2D(((total // 2, total - total // 2),) * 2, name=name + "_pad")(x)
        padding = "valid"
    else:
        padding = "same" if kernel > 1 else "valid"
    return tf.keras.layers.Conv2D(filters, kernel, strides=stride, padding=padding, use_bias=False,
                                  kernel_initializer="he_normal", name=name)(x)


def bn(x, name):
    return tf.keras.layers.BatchNormalization(momentum=common.BN_MOMENTUM, epsilon=common.BN_EPSILON, name=name)(x)


def relu(x):
    return tf.keras.layers.ReLU()(x)


def basic_block(x, filters, stride, name):
    shortcut = x
    if stride != 1 or x.shape[-1] != filters:
        shortcut = bn(conv(x, filters, 1, stride, name + "_sc_conv"), name + "_sc_bn")
    y = relu(bn(conv(x, filters, 3, stride, name + "_conv1"), name + "_bn1"))
    y = bn(conv(y, filters, 3, 1, name + "_conv2"), name + "_bn2")
    return relu(tf.keras.layers.Add()([y, shortcut]))


def bottleneck_block(x, filters, stride, name):
    out = filters * 4
    shortcut = x
    if stride != 1 or x.shape[-1] != out:
        shortcut = bn(conv(x, out, 1, stride, name + "_sc_conv"), name + "_sc_bn")
    y = relu(bn(conv(x, filters, 1, 1, name + "_conv1"), name + "_bn1"))
    y = relu(bn(conv(y, filters, 3, stride, name + "_conv2"), name + "_bn2"))
    y = bn(conv(y, out, 1, 1, name + "_conv3"), name + "_bn3")
    return relu(tf.keras.layers.Add()([y, shortcut]))


def resnet(depth, width, image_size, classes):
    """ResNet-depth x width with the ImageNet stem and a linear classification head (logits)."""
    blocks, bottleneck = common.RESNET_BLOCKS[depth]
    inputs = tf.keras.Input((image_size, image_size, 3))
    x = relu(bn(conv(inputs, common.scaled(64, width), 7, 2, "stem_conv"), "stem_bn"))
    x = tf.keras.layers.MaxPool2D(3, 2, padding="same")(x)
    for s, n in enumerate(blocks):
        filters = common.scaled(common.BASE_FILTERS[s], width)
        for b in range(n):
            stride = 2 if b == 0 and s > 0 else 1
            block = bottleneck_block if bottleneck else basic_block
            x = block(x, filters, stride, f"stage{s + 1}_block{b + 1}")
    x = tf.keras.layers.GlobalAveragePooling2D()(x)
    logits = tf.keras.layers.Dense(classes, kernel_initializer=tf.keras.initializers.RandomNormal(stddev=0.01),
                                   name="head")(x)
    return tf.keras.Model(inputs, logits)


def trainable_params(model):
    return sum(int(np.prod(v.shape)) for v in model.trainable_variables)


def is_kernel(v):
    # Keras 3 names a variable by its role ("kernel", "bias", "gamma", "beta").
    return v.name.split("/")[-1].split(":")[0] == "kernel"


def make_train_step(model, optimizer, weight_decay):
    loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    variables = model.trainable_variables
    decayed = [is_kernel(v) for v in variables]

    @tf.function(jit_compile=False)
    def train(x, y):
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
        grads = tape.gradient(loss, variables)
        if weight_decay:
            # L2 as a gradient term on kernels only, as must-java's trainer applies it.
            grads = [g + weight_decay * v if d else g for g, v, d in zip(grads, variables, decayed)]
        optimizer.apply_gradients(zip(grads, variables))
        return loss

    return train


def run_resnet(a):
    model = resnet(a.depth, a.width, a.image_size, a.classes)
    params = trainable_params(model)
    common.log(f"Keras ResNet-{a.depth} x{a.width}: {params:,} trainable parameters")
    x_np, y_np = common.synthetic_batch(a.batch, a.image_size, a.classes, a.seed)
    x = tf.constant(x_np)  # NHWC
    y = tf.constant(y_np)
    train = make_train_step(model, tf.keras.optimizers.SGD(learning_rate=a.learning_rate, momentum=a.momentum),
                            a.weight_decay)

    @tf.function(jit_compile=False)
    def forward():
        return model(x, training=False)

    def run_train():
        common.check_loss(float(train(x, y).numpy()))

    steps = {"forward": lambda: forward().numpy(), "train": run_train}
    for mode in a.modes.split(","):
        n, wall = common.time_steps(steps[mode], a.warmup_steps, a.min_steps, a.seconds)
        common.emit("keras", a, mode, n * a.batch / wall, None, params, n)


def run_fmnist(a):
    (train_x, train_y), (test_x, test_y) = common.load_fashion_mnist(a.input, a.image_size)
    model = resnet(a.depth, a.width, a.image_size, 10)
    params = trainable_params(model)
    steps = common.fmnist_steps(a)
    common.log(f"Keras ResNet-{a.depth} x{a.width}: {params:,} trainable parameters; {steps} steps of batch {a.batch}")
    mean = tf.constant(common.MEAN_RGB, tf.float32)
    std = tf.constant(common.STDDEV_RGB, tf.float32)

    def normalise(images, labels):
        rgb = tf.repeat(tf.cast(images[..., None], tf.float32), 3, axis=-1)
        return (rgb - mean) / std, labels

    ds = (tf.data.Dataset.from_tensor_slices((train_x, train_y.astype(np.int32)))
          .shuffle(len(train_x), seed=a.seed, reshuffle_each_iteration=True)
          .repeat()
          .batch(a.batch, drop_remainder=True)
          .map(normalise, num_parallel_calls=a.parallelism)
          .prefetch(2))
    schedule = tf.keras.optimizers.schedules.CosineDecay(a.learning_rate, decay_steps=steps, alpha=0.0)
    train = make_train_step(model, tf.keras.optimizers.SGD(learning_rate=schedule, momentum=a.momentum),
                            a.weight_decay)
    it = iter(ds)
    start = None
    for step in range(1, steps + 1):
        x, y = next(it)
        common.check_loss(float(train(x, y).numpy()))
        if step == a.warmup_steps:
            start = time.perf_counter()
        if step % 100 == 0:
            common.log(f"step {step}/{steps}")
    wall = time.perf_counter() - start
    timed = steps - a.warmup_steps

    @tf.function(jit_compile=False)
    def predict(x):
        return tf.argmax(model(x, training=False), axis=-1, output_type=tf.int32)

    test = (tf.data.Dataset.from_tensor_slices((test_x, test_y.astype(np.int32)))
            .batch(a.batch).map(normalise, num_parallel_calls=a.parallelism).prefetch(2))
    if a.eval_batches:
        test = test.take(a.eval_batches)
    correct = total = 0
    for x, y in test:
        correct += int(tf.reduce_sum(tf.cast(predict(x) == y, tf.int32)).numpy())
        total += int(y.shape[0])
    common.emit("keras", a, "train", timed * a.batch / wall, correct / total, params, timed, steps=steps)


def main():
    a = common.parse_args("Keras", sys.argv[1:])
    tf.config.threading.set_intra_op_parallelism_threads(a.intra_op_threads)
    tf.config.threading.set_inter_op_parallelism_threads(a.inter_op_threads)
    tf.keras.utils.set_random_seed(a.seed)
    common.log(f"TensorFlow {tf.__version__}; {os.cpu_count()} cores; threads intra_op {a.intra_op_threads}, "
               f"inter_op {a.inter_op_threads}; load average {common.load_average()}")
    (run_resnet if a.workload == "resnet50" else run_fmnist)(a)


if __name__ == "__main__":
    main()
