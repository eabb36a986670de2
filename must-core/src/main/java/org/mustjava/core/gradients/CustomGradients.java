package org.mustjava.core.gradients;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.tensorflow.TensorFlow;

/**
 * Registers the project's Java gradients with TensorFlow (for op types without a C++ gradient).
 *
 * <p>Call {@link #ensureRegistered()} before any {@code Graph.addGradients}; it is idempotent and
 * thread-safe. It registers the built-in definitions ({@code SparseSoftmaxCrossEntropyWithLogits},
 * {@code TopKV2}) and every {@link GradientDefinition} listed in a
 * {@code META-INF/services/org.mustjava.core.gradients.GradientDefinition} file on the class path.
 * {@link #register(GradientDefinition)} adds one explicitly.
 *
 * <p>TensorFlow refuses a registration for an op type that already has a gradient (C++ or an
 * earlier Java one); such definitions are recorded as {@link Status#ALREADY_DEFINED} and skipped,
 * so a future TF release that adds a C++ gradient keeps working.
 */
public final class CustomGradients {
  /** What happened to a definition. */
  public enum Status { REGISTERED, ALREADY_DEFINED }

  private static final List<GradientDefinition> BUILT_IN =
      List.of(new SparseSoftmaxCrossEntropyGradient(), new TopKGradient());

  private static final Map<String, Status> STATUS = new LinkedHashMap<>();
  private static boolean loaded;

  private CustomGradients() {}

  /** Registers the built-in and service-listed gradients, once per JVM. */
  public static synchronized void ensureRegistered() {
    if (loaded) return;
    List<GradientDefinition> all = new ArrayList<>(BUILT_IN);
    for (GradientDefinition d : ServiceLoader.load(GradientDefinition.class)) all.add(d);
    for (GradientDefinition d : all) register(d);
    loaded = true;
  }

  /**
   * Registers one definition unless its op type already has a gradient. Idempotent per op type.
   *
   * @return what happened
   */
  public static synchronized Status register(GradientDefinition definition) {
    Status known = STATUS.get(definition.opType());
    if (known != null) return known;
    boolean ok = TensorFlow.registerCustomGradient(
        definition.opType(), (tf, op, grads) -> definition.gradients(tf, op, grads));
    Status status = ok ? Status.REGISTERED : Status.ALREADY_DEFINED;
    STATUS.put(definition.opType(), status);
    return status;
  }

  /** Op types seen so far and what happened to them (for diagnostics and tests). */
  public static synchronized Map<String, Status> status() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(STATUS));
  }
}
