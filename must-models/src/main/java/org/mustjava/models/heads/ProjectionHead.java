package org.mustjava.models.heads;

import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.models.layers.Activations;
import org.mustjava.models.layers.BatchNorm;
import org.mustjava.models.layers.Dense;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * SimCLR's projection MLP g(h): {@code numLayers - 1} hidden layers (dense without bias, BatchNorm,
 * ReLU) and a linear output layer, on the pooled backbone feature h. The contrastive loss is taken
 * on g(h); fine-tuning keeps h's network and drops g (its variables live under {@code projection/},
 * outside the {@code backbone/} and {@code fpn/} prefixes a fine-tuning restore reads).
 *
 * <p>Variables below the caller's scope: {@code hidden<i>/kernel}, {@code hidden<i>/bn/...},
 * {@code output/kernel}, {@code output/bias}.
 */
public final class ProjectionHead {
  private final int hiddenUnits;
  private final int outputUnits;
  private final int numLayers;
  private final BatchNorm batchNorm;

  /**
   * @param hiddenUnits width of the hidden layers (SimCLR: the backbone's feature width, 2048)
   * @param outputUnits dimension of the projection the loss compares (128)
   * @param numLayers dense layers in all (SimCLR v1: 2; v2: 3); 1 is a linear projection
   */
  @Configurable("ProjectionHead")
  public ProjectionHead(@Default("2048") int hiddenUnits, @Default("128") int outputUnits,
      @Default("2") int numLayers, @Default("0.9") double bnMomentum, @Default("" + BatchNorm.DEFAULT_EPSILON) double bnEpsilon) {
    if (hiddenUnits < 1 || outputUnits < 1) {
      throw new IllegalArgumentException("ProjectionHead: hidden_units and output_units must be positive, got "
          + hiddenUnits + " and " + outputUnits);
    }
    if (numLayers < 1) throw new IllegalArgumentException("ProjectionHead.num_layers must be >= 1, got " + numLayers);
    this.hiddenUnits = hiddenUnits;
    this.outputUnits = outputUnits;
    this.numLayers = numLayers;
    this.batchNorm = BatchNorm.of((float) bnMomentum, (float) bnEpsilon, false);
  }

  public int outputUnits() {
    return outputUnits;
  }

  /** Projects {@code features [B, C]} to {@code [B, outputUnits]}; {@code ctx} is the head's scope. */
  public Operand<TFloat32> apply(GraphContext ctx, Operand<TFloat32> features) {
    Operand<TFloat32> x = features;
    for (int i = 1; i < numLayers; i++) {
      GraphContext layer = ctx.scope("hidden" + i);
      x = Dense.of(hiddenUnits).withBias(false).apply(layer, x);
      x = Activations.relu(layer.tf(), batchNorm.apply(layer.scope("bn"), x));
    }
    return Dense.of(outputUnits).apply(ctx.scope("output"), x);
  }

  @Override
  public String toString() {
    return "ProjectionHead(" + numLayers + " layers, " + hiddenUnits + " -> " + outputUnits + ")";
  }
}
