package org.mustjava.models.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mustjava.models.MultiTaskModel;
import org.mustjava.models.backbones.ResNet;
import org.mustjava.models.decoders.FPN;
import org.mustjava.models.heads.ClassificationHead;
import org.mustjava.models.heads.DepthHead;
import org.mustjava.models.heads.NormalsHead;
import org.mustjava.models.heads.SegmentationHead;
import org.mustjava.models.heads.TaskHead;
import org.mustjava.models.losses.ScaleShiftInvariantDepthLoss;

/** Small models for CPU tests. */
public final class TinyModels {
  private TinyModels() {}

  public static final int NUM_CLASSES = 4;
  public static final int SEG_CLASSES = 3;

  /** ResNet-18 x0.25 + FPN (P2..P7, {@code filters} channels) + classification + all pixel heads. */
  public static MultiTaskModel allHeads(int filters) {
    return new MultiTaskModel(ResNet.of(18, 0.25), FPN.of(2, 7, filters), allHeadList(filters), Map.of());
  }

  public static List<TaskHead> allHeadList(int filters) {
    List<TaskHead> heads = new ArrayList<>();
    heads.add(ClassificationHead.of(NUM_CLASSES));
    heads.add(SegmentationHead.of(SEG_CLASSES, filters));
    heads.add(DepthHead.of(filters, new ScaleShiftInvariantDepthLoss()));
    heads.add(NormalsHead.of(filters));
    return heads;
  }
}
