package org.mustjava.models.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.mustjava.core.config.ConfigLoader;
import org.mustjava.core.config.ConfigRegistry;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Injector;
import org.mustjava.core.config.ConfigurableModule;

class DetectionConfigurablesTest {

  @Test
  void everyListedClassHasAConfigurableConstructorAndTheModuleIsAService() {
    for (Class<?> c : new DetectionConfigurables().configurables()) {
      boolean annotated = c.isAnnotationPresent(Configurable.class)
          || Arrays.stream(c.getConstructors()).anyMatch(k -> k.isAnnotationPresent(Configurable.class));
      assertTrue(annotated, c + " has no @Configurable");
    }
    boolean found = false;
    for (ConfigurableModule m : ServiceLoader.load(ConfigurableModule.class)) found |= m instanceof DetectionConfigurables;
    assertTrue(found, "DetectionConfigurables is listed in META-INF/services");
    ConfigRegistry registry = ConfigRegistry.fromServices();
    for (Class<?> c : new DetectionConfigurables().configurables()) assertTrue(registry.isRegistered(c), c.getName());
  }

  /** A config builds the head; the operative config lists every default (the paper's values). */
  @Test
  void configBuildsTheHeadAndTheOperativeConfigListsTheDefaults() {
    String text = """
        DetectionHead.num_classes = 365
        RpnHead.num_convs = 1
        ProposalGenerator.train_post_nms_top_k = 2000
        """;
    var config = new ConfigLoader(ConfigRegistry.fromServices()).parseString("det.conf", text).build();
    Injector injector = new Injector(config);
    DetectionHead head = injector.create(DetectionHead.class);
    assertEquals(365, head.numClasses());
    String operative = injector.operativeConfig();
    for (String line : List.of(
        "AnchorGenerator.aspect_ratios = [0.5, 1.0, 2.0]",
        "AnchorGenerator.anchor_size = 8.0",
        "RpnTargetAssigner.positive_iou_threshold = 0.7",
        "RpnTargetAssigner.negative_iou_threshold = 0.3",
        "RpnTargetAssigner.samples_per_image = 256",
        "RpnHead.num_convs = 1",
        "ProposalGenerator.train_post_nms_top_k = 2000",
        "ProposalGenerator.nms_iou_threshold = 0.7",
        "RoiSampler.samples_per_image = 512",
        "RoiSampler.foreground_fraction = 0.25",
        "MultilevelRoiAligner.canonical_size = 224.0",
        "MultilevelRoiAligner.canonical_level = 4",
        "FastRcnnBoxHead.num_convs = 4",
        "DetectionGenerator.max_detections_per_image = 100",
        "DetectionHead.box_weights = [10.0, 10.0, 5.0, 5.0]")) {
      assertTrue(operative.contains(line), "operative config lacks '" + line + "':\n" + operative);
    }
    assertEquals(0.5f, DetectionPseudoLabeler.defaults().scoreThreshold());
    assertEquals(512, RoiSampler.defaults().samplesPerImage());
  }
}
