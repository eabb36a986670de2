package org.mustjava.core.graph;

import java.util.Locale;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;

/**
 * The numeric precision of training (Keras' mixed-precision policy plus its loss-scale settings).
 *
 * <p>Variables are always float32. Under a {@code bfloat16} or {@code float16} compute type the
 * convolution and dense layers cast their input and their variables (where read) to the compute type,
 * run the convolution or matrix product there, and cast the result back to float32; everything else
 * (BatchNorm and its statistics, activations between layers, logits, losses, gradients applied to the
 * variables, the optimiser) stays float32. Under {@code float32} no cast is built at all: the graph is
 * the one without this class.
 *
 * <p>Loss scaling (dynamic, as Keras' {@code LossScaleOptimizer}): the objective is multiplied by a
 * scale before the gradients are taken and the gradients are divided by it; the scale starts at
 * {@code initial_loss_scale}, halves (not below 1) and the update is skipped when a gradient is not
 * finite, and doubles after {@code loss_scale_growth_steps} finite steps in a row. float16 needs it
 * (small gradients underflow); bfloat16 has float32's exponent range and does not.
 */
@Configurable
public final class Precision {
  /** The compute types by config name. */
  public enum ComputeType {
    FLOAT32(TFloat32.class),
    BFLOAT16(TBfloat16.class),
    FLOAT16(TFloat16.class);

    private final Class<? extends TFloating> type;

    ComputeType(Class<? extends TFloating> type) {
      this.type = type;
    }

    public Class<? extends TFloating> type() {
      return type;
    }

    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final ComputeType compute;
  private final boolean lossScaling;
  private final float initialLossScale;
  private final int lossScaleGrowthSteps;

  /**
   * @param compute {@code 'float32'} (default), {@code 'bfloat16'} or {@code 'float16'}
   * @param lossScale {@code 'auto'} (dynamic for float16, none otherwise), {@code 'dynamic'} or {@code 'none'}
   * @param initialLossScale the first scale (Keras: 2^15)
   * @param lossScaleGrowthSteps finite steps in a row after which the scale doubles (Keras: 2000)
   */
  public Precision(
      @Default("'float32'") String compute,
      @Default("'auto'") String lossScale,
      @Default("32768.0") double initialLossScale,
      @Default("2000") int lossScaleGrowthSteps) {
    this.compute = parseCompute(compute);
    this.lossScaling = switch (lossScale) {
      case "auto" -> this.compute == ComputeType.FLOAT16;
      case "dynamic" -> true;
      case "none" -> false;
      default -> throw new IllegalArgumentException(
          "Precision.loss_scale must be 'auto', 'dynamic' or 'none', got '" + lossScale + "'");
    };
    if (!(initialLossScale >= 1 && initialLossScale <= Float.MAX_VALUE)) {
      throw new IllegalArgumentException(
          "Precision.initial_loss_scale must be in [1, " + Float.MAX_VALUE + "] (a finite float32), got " + initialLossScale);
    }
    if (lossScaleGrowthSteps < 1) {
      throw new IllegalArgumentException("Precision.loss_scale_growth_steps must be >= 1, got " + lossScaleGrowthSteps);
    }
    this.initialLossScale = (float) initialLossScale;
    this.lossScaleGrowthSteps = lossScaleGrowthSteps;
  }

  /** float32 compute, no loss scaling: the default. */
  public static Precision float32() {
    return new Precision("float32", "auto", 32768.0, 2000);
  }

  /** {@code compute} with its default loss scaling ({@code 'auto'}) and Keras' scale settings. */
  public static Precision of(String compute) {
    return new Precision(compute, "auto", 32768.0, 2000);
  }

  private static ComputeType parseCompute(String name) {
    for (ComputeType t : ComputeType.values()) {
      if (t.configName().equals(name)) return t;
    }
    throw new IllegalArgumentException(
        "Precision.compute must be 'float32', 'bfloat16' or 'float16', got '" + name + "'");
  }

  public ComputeType compute() {
    return compute;
  }

  /** Whether layers compute in a type other than float32 (and build casts). */
  public boolean isMixed() {
    return compute != ComputeType.FLOAT32;
  }

  public boolean lossScaling() {
    return lossScaling;
  }

  public float initialLossScale() {
    return initialLossScale;
  }

  public int lossScaleGrowthSteps() {
    return lossScaleGrowthSteps;
  }

  @Override
  public String toString() {
    return "Precision(compute=" + compute.configName() + ", loss_scaling=" + (lossScaling ? "dynamic" : "none") + ")";
  }
}
