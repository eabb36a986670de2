#!/usr/bin/env python3
"""Keras reference for `tools/benchmark pseudolabel` (BENCHMARKS.md, "Pseudo-labelling").

Runs the same network as the Java benchmark's teacher (a ResNet v1 classifier of the same depth,
classes and input size: tf.keras.applications, weights=None) in Keras inference over the same
TFRecords of JPEGs, two ways, and prints one line per way for the Java side to tabulate:
  KERAS <what>\t<images>\t<seconds>
(a) "tf.data decode+resize + model": a tf.data pipeline that parses the records, decodes the JPEGs,
    resizes them to the input size, normalises with the ImageNet statistics and batches them, then
    model(x, training=False) and a softmax in a tf.function, per batch (what pseudo-labelling does);
(b) "model only, constant input": the tf.function on one constant batch, as many images.
Each is timed after one untimed pass. The Java benchmark starts this script itself, right after
its own measurements:

    tools/benchmark pseudolabel

Needs Python TensorFlow (pip install tensorflow-cpu). Never run by the project's tests.
"""
import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "1")

import numpy as np
import tensorflow as tf

MEAN = np.array([0.485, 0.456, 0.406], np.float32) * 255.0
STD = np.array([0.229, 0.224, 0.225], np.float32) * 255.0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--depth", type=int, default=50, choices=[50, 101, 152])
    p.add_argument("--image_size", type=int, default=224)
    p.add_argument("--classes", type=int, default=1000)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--records", required=True)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    tf.keras.utils.set_random_seed(a.seed)
    resnet = {50: tf.keras.applications.ResNet50, 101: tf.keras.applications.ResNet101,
              152: tf.keras.applications.ResNet152}[a.depth]
    model = resnet(weights=None, input_shape=(a.image_size, a.image_size, 3), classes=a.classes,
                   classifier_activation=None)

    @tf.function
    def predict(x):
        return tf.nn.softmax(model(x, training=False))

    def parse(record):
        f = tf.io.parse_single_example(record, {"image/encoded": tf.io.FixedLenFeature([], tf.string)})
        image = tf.cast(tf.io.decode_jpeg(f["image/encoded"], channels=3), tf.float32)
        image = tf.image.resize(image, [a.image_size, a.image_size])
        return (image - MEAN) / STD

    dataset = tf.data.TFRecordDataset(a.records).map(parse).batch(a.batch)

    def run_pipeline():
        n = 0
        for x in dataset:
            predict(x).numpy()
            n += int(x.shape[0])
        return n

    run_pipeline()
    start = time.perf_counter()
    n = run_pipeline()
    print(f"KERAS tf.data decode+resize + model\t{n}\t{time.perf_counter() - start:.4f}", flush=True)

    x = tf.constant(np.random.default_rng(a.seed).uniform(-1, 1, (a.batch, a.image_size, a.image_size, 3))
                    .astype(np.float32))
    steps = max(1, n // a.batch)
    predict(x).numpy()
    start = time.perf_counter()
    for _ in range(steps):
        predict(x).numpy()
    print(f"KERAS model only, constant input\t{steps * a.batch}\t{time.perf_counter() - start:.4f}", flush=True)


if __name__ == "__main__":
    main()
