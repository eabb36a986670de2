package org.mustjava.models.detection;

import java.util.List;
import org.mustjava.core.config.ConfigurableModule;

/** Registers the detection configurables with the config system. */
public final class DetectionConfigurables implements ConfigurableModule {
  @Override
  public List<Class<?>> configurables() {
    return List.of(
        AnchorGenerator.class,
        RpnHead.class,
        RpnTargetAssigner.class,
        RpnLoss.class,
        ProposalGenerator.class,
        RoiSampler.class,
        MultilevelRoiAligner.class,
        FastRcnnBoxHead.class,
        FastRcnnLoss.class,
        DetectionGenerator.class,
        DetectionPseudoLabeler.class,
        DetectionHead.class);
  }
}
