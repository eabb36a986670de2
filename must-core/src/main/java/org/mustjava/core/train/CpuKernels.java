package org.mustjava.core.train;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Which CPU kernels TensorFlow runs: oneDNN's or its own Eigen ones. TensorFlow 2.18 reads {@value
 * #ENV} once, when its runtime starts, and without it turns oneDNN on only on CPUs with AVX-512
 * VNNI/BF16 or AMX. On an AVX2 CPU its Eigen convolution gradients made training 2x slower than
 * with oneDNN (BENCHMARKS.md, "oneDNN"), so the {@code tools/} launchers set it to 1 (the test
 * runner keeps TensorFlow's own choice: docs/design.md section 8). A JVM cannot set its own
 * environment, so a program that embeds must-java and starts the JVM itself is told once, here,
 * when the variable is missing.
 */
public final class CpuKernels {
  /** TensorFlow's switch: 1 oneDNN kernels, 0 Eigen kernels, unset TensorFlow's choice by CPU. */
  public static final String ENV = "TF_ENABLE_ONEDNN_OPTS";

  private static final AtomicBoolean WARNED = new AtomicBoolean();

  private CpuKernels() {}

  /** The advice for an environment without {@value #ENV}; empty when it is set (to anything). */
  static Optional<String> advice(Map<String, String> environment) {
    if (environment.containsKey(ENV)) return Optional.empty();
    return Optional.of(ENV + " is not set, so TensorFlow uses its Eigen kernels unless this CPU has AVX-512 "
        + "VNNI/BF16 or AMX; with " + ENV + "=1 (what tools/ sets) training ran 2x faster on an AVX2 CPU. "
        + "Set it before the JVM starts: TensorFlow reads it once.");
  }

  /** {@link #advice} for this process's environment, the first time it is asked for in this JVM. */
  static Optional<String> adviceOnce() {
    Optional<String> a = advice(System.getenv());
    return a.isPresent() && WARNED.compareAndSet(false, true) ? a : Optional.empty();
  }
}
