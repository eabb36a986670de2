package org.mustjava.experiments.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mustjava.models.MultiTaskModel;
import org.mustjava.models.backbones.ResNet;
import org.mustjava.models.decoders.FPN;
import org.mustjava.models.heads.ClassificationHead;
import org.mustjava.models.heads.DepthHead;
import org.mustjava.models.heads.NormalsHead;
import org.mustjava.models.heads.SegmentationHead;
import org.mustjava.models.losses.MetricDepthLoss;

/**
 * A multi-task student network the input benchmark trains: a ResNet + FPN with classification on
 * C5 and segmentation, depth and surface-normal heads on fused P2 (paper Fig. 3, without the
 * detection head). Class counts are those of the synthetic scenes the benchmark reads.
 *
 * @param description what the model is, for the printed tables
 * @param model the network
 */
public record StudentModel(String description, MultiTaskModel model) {
  /**
   * ResNet-{@code depth} (width x{@code width}) + FPN P2..P7 with {@code filters} channels, and
   * heads whose hidden convs have {@code filters} channels.
   */
  public static StudentModel resNetFpn(int depth, double width, int filters, int numClasses) {
    MultiTaskModel m = new MultiTaskModel(
        ResNet.of(depth, width),
        FPN.of(2, 7, filters),
        List.of(
            ClassificationHead.of(numClasses),
            SegmentationHead.of(numClasses, filters),
            // Synthetic depth is metric: positive output, L1 loss (as the mini experiments train it).
            new DepthHead("depth", 3, filters, true, "softplus", "depth", MetricDepthLoss.l1()),
            NormalsHead.of(filters)),
        Map.of());
    String w = width == 1.0 ? "" : String.format(Locale.ROOT, " x%s", trim(width));
    return new StudentModel(String.format(Locale.ROOT,
        "ResNet-%d%s + FPN (P2-P7, %d ch) + cls/seg/depth/normals heads", depth, w, filters), m);
  }

  /** The mini experiments' student: ResNet-18 x0.25 + FPN (32 channels) + the four heads. */
  public static StudentModel mini(int numClasses) {
    return resNetFpn(18, 0.25, 32, numClasses);
  }

  /** The paper student's family at a size a 2-core CPU can step: ResNet-50 + FPN (256 channels). */
  public static StudentModel paperFamily(int depth, int numClasses) {
    return resNetFpn(depth, 1.0, 256, numClasses);
  }

  private static String trim(double v) {
    String s = Double.toString(v);
    return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
  }
}
