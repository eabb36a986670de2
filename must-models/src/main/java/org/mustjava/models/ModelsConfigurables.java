package org.mustjava.models;

import java.util.List;
import org.mustjava.core.config.ConfigurableModule;
import org.mustjava.models.backbones.ResNet;
import org.mustjava.models.decoders.FPN;
import org.mustjava.models.heads.ClassificationHead;
import org.mustjava.models.heads.DepthHead;
import org.mustjava.models.heads.NormalsHead;
import org.mustjava.models.heads.SegmentationHead;
import org.mustjava.models.losses.ClassificationLoss;
import org.mustjava.models.losses.MetricDepthLoss;
import org.mustjava.models.losses.NormalsCosineLoss;
import org.mustjava.models.losses.PixelCrossEntropyLoss;
import org.mustjava.models.losses.ScaleShiftInvariantDepthLoss;
import org.mustjava.models.tools.ModelSummary;

/** Registers the backbones, decoders, heads, losses and the multi-task model with the config system. */
public final class ModelsConfigurables implements ConfigurableModule {
  @Override
  public List<Class<?>> configurables() {
    return List.of(
        org.mustjava.models.layers.BatchNorm.class,
        ResNet.class,
        FPN.class,
        ClassificationHead.class,
        SegmentationHead.class,
        DepthHead.class,
        NormalsHead.class,
        ClassificationLoss.class,
        PixelCrossEntropyLoss.class,
        ScaleShiftInvariantDepthLoss.class,
        MetricDepthLoss.class,
        NormalsCosineLoss.class,
        org.mustjava.models.losses.NtXentLoss.class,
        org.mustjava.models.heads.ProjectionHead.class,
        MultiTaskModel.class,
        LossWeights.class,
        ModelSummary.class);
  }
}
