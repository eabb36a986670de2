package org.mustjava.models.heads;

import java.util.HashMap;
import java.util.Map;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.models.FeaturePyramid;
import org.mustjava.models.layers.BatchNorm;
import org.mustjava.models.losses.NormalsCosineLoss;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Surface normals on fused P2 ({@link PixelHead}, three output channels). Predictions at input
 * resolution: {@code normals} [B, H, W, 3] (unit length) and {@code raw} (before normalisation).
 * Loss {@code cosine} from labels {@code normals} and {@code normals_valid} (all valid if absent).
 */
public final class NormalsHead implements TaskHead {
  private final String name;
  private final PixelHead trunk;
  private final NormalsCosineLoss loss;

  @Configurable("NormalsHead")
  public NormalsHead(@Default("'normals'") String name, @Default("3") int hiddenLayers,
      @Default("256") int hiddenFilters, @Default("True") boolean useBatchNorm,
      @Default("@NormalsCosineLoss()") NormalsCosineLoss loss, @Default("@BatchNorm()") BatchNorm batchNorm) {
    this.name = name;
    this.trunk = new PixelHead(hiddenLayers, hiddenFilters, useBatchNorm, batchNorm);
    this.loss = loss;
  }

  /** A normals head with {@link BatchNorm#defaults()}. */
  public NormalsHead(String name, int hiddenLayers, int hiddenFilters, boolean useBatchNorm, NormalsCosineLoss loss) {
    this(name, hiddenLayers, hiddenFilters, useBatchNorm, loss, BatchNorm.defaults());
  }

  public static NormalsHead of(int hiddenFilters) {
    return new NormalsHead("normals", 3, hiddenFilters, true, new NormalsCosineLoss());
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public HeadOutput build(GraphContext ctx, FeaturePyramid features, Map<String, Operand<?>> labels) {
    Ops tf = ctx.tf();
    Operand<TFloat32> raw = trunk.build(ctx, features, 3);
    Map<String, Operand<?>> predictions = new HashMap<>();
    predictions.put("raw", raw);
    predictions.put("normals", NormalsCosineLoss.normalize(tf, raw));
    Map<String, Operand<TFloat32>> losses = new HashMap<>();
    if (labels != null) {
      Operand<TFloat32> target = Labels.get(labels, LabelKeys.NORMALS, TFloat32.class, name);
      Operand<TFloat32> valid = Labels.optional(labels, LabelKeys.NORMALS_VALID, TFloat32.class, name);
      if (valid == null) {
        valid = tf.reduceMax(tf.onesLike(target), tf.constant(-1));
      }
      losses.put("cosine", loss.compute(tf, raw, target, valid));
    }
    return new HeadOutput(predictions, losses);
  }
}
