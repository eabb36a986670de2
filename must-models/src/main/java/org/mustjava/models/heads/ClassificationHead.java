package org.mustjava.models.heads;

import java.util.HashMap;
import java.util.Map;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.graph.Initializers;
import org.mustjava.models.FeaturePyramid;
import org.mustjava.models.layers.Dense;
import org.mustjava.models.layers.Pooling;
import org.mustjava.models.losses.ClassificationLoss;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Image classification: global average pool of the backbone's coarsest level (C5) + a linear
 * layer ({@code dense/kernel}, {@code dense/bias}; kernel ~ N(0, 0.01) as in TF Model Garden).
 *
 * <p>Predictions: {@code logits} [B, C], {@code probabilities} [B, C]. Loss {@code cross_entropy}:
 * with {@code labelType = "soft"} from {@code class_probs}, {@code "hard"} from {@code class_label},
 * {@code "auto"} soft when the batch has {@code class_probs}, else hard.
 */
public final class ClassificationHead implements TaskHead {
  private final String name;
  private final int numClasses;
  private final String labelType;
  private final ClassificationLoss loss;

  /**
   * @param name task name (scope {@code heads/<name>})
   * @param numClasses output classes (1000 for ImageNet)
   * @param labelType "auto", "hard" or "soft"
   * @param loss the loss (label smoothing)
   */
  @Configurable("ClassificationHead")
  public ClassificationHead(@Default("'classification'") String name, int numClasses,
      @Default("'auto'") String labelType, @Default("@ClassificationLoss()") ClassificationLoss loss) {
    if (numClasses <= 0) throw new IllegalArgumentException("ClassificationHead.num_classes must be positive, got " + numClasses);
    if (!labelType.equals("auto") && !labelType.equals("hard") && !labelType.equals("soft")) {
      throw new IllegalArgumentException("ClassificationHead.label_type must be auto, hard or soft, got '" + labelType + "'");
    }
    this.name = name;
    this.numClasses = numClasses;
    this.labelType = labelType;
    this.loss = loss;
  }

  public static ClassificationHead of(int numClasses) {
    return new ClassificationHead("classification", numClasses, "auto", ClassificationLoss.plain());
  }

  @Override
  public String name() {
    return name;
  }

  public int numClasses() {
    return numClasses;
  }

  @Override
  public HeadOutput build(GraphContext ctx, FeaturePyramid features, Map<String, Operand<?>> labels) {
    Ops tf = ctx.tf();
    var levels = features.backboneLevels();
    Operand<TFloat32> pooled = Pooling.globalAverage(tf, levels.get(levels.lastKey()));
    Operand<TFloat32> logits = Dense.of(numClasses).withKernelInitializer(Initializers.normal(0.01f))
        .apply(ctx.scope("dense"), pooled);
    Map<String, Operand<?>> predictions = new HashMap<>();
    predictions.put("logits", logits);
    predictions.put("probabilities", tf.nn.softmax(logits));
    Map<String, Operand<TFloat32>> losses = new HashMap<>();
    if (labels != null) {
      boolean soft = labelType.equals("soft")
          || (labelType.equals("auto") && labels.containsKey(LabelKeys.CLASS_PROBS));
      if (soft) {
        losses.put("cross_entropy", loss.soft(tf, logits, Labels.get(labels, LabelKeys.CLASS_PROBS, TFloat32.class, name)));
      } else {
        losses.put("cross_entropy", loss.hard(tf, logits, Labels.get(labels, LabelKeys.CLASS_LABEL, TInt32.class, name)));
      }
    }
    return new HeadOutput(predictions, losses);
  }
}
