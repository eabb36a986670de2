package org.mustjava.models.detection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.models.FeaturePyramid;
import org.mustjava.models.heads.HeadOutput;
import org.mustjava.models.heads.LabelKeys;
import org.mustjava.models.heads.Labels;
import org.mustjava.models.heads.TaskHead;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The two-stage detection head of the paper (Mask R-CNN design without masks) on FPN levels:
 * an RPN over P2..P6 anchors, proposals, multilevel ROIAlign over P2..P5 and a Fast R-CNN box head
 * with class-specific box regression.
 *
 * <p>Training (labels {@code boxes}, {@code box_classes}, {@code num_boxes}, optionally {@code
 * detection_labelled} (images with 0 there count in no loss); see
 * {@link GroundTruth} for the class-id convention: 0 = background, objects 1..K): losses
 * {@value RpnLoss#SCORE_LOSS}, {@value RpnLoss#BOX_LOSS}, {@value FastRcnnLoss#CLASS_LOSS},
 * {@value FastRcnnLoss#BOX_LOSS}. Sampling is stateless and seeded by a per-step counter
 * ({@link SamplingSeed}).
 *
 * <p>Evaluation/inference (context not training): predictions {@link Detections#asMap()} — boxes in
 * input-image pixels and normalised (map them to the original image with {@link OriginalImageBoxes}),
 * scores, classes 1..K, counts — plus {@code proposals} and {@code proposal_scores}. With labels in
 * evaluation the losses are built too.
 *
 * <p>Padding images: with the label {@code example_valid} (float32 {@code [B]}, 0 for a row that
 * only pads an eval batch to its static size) the losses leave those images out: their anchors and
 * ROIs get weight 0 and do not count in the normalisers.
 *
 * <p>Scopes below the head: {@code rpn/}, {@code box_head/}, and the {@code sampling_step} counter.
 * The batch size must be static ({@link #needsStaticBatch()}).
 */
public final class DetectionHead implements TaskHead {
  public static final String PROPOSALS = "proposals";
  public static final String PROPOSAL_SCORES = "proposal_scores";

  private final String name;
  private final int numClasses;
  private final AnchorGenerator anchorGenerator;
  private final RpnHead rpnHead;
  private final RpnTargetAssigner rpnTargetAssigner;
  private final RpnLoss rpnLoss;
  private final ProposalGenerator proposalGenerator;
  private final RoiSampler roiSampler;
  private final MultilevelRoiAligner roiAligner;
  private final FastRcnnBoxHead boxHead;
  private final FastRcnnLoss fastRcnnLoss;
  private final DetectionGenerator detectionGenerator;
  private final BoxCoder rpnBoxCoder;
  private final BoxCoder boxCoder;

  /** The paper's head with Model Garden / Detectron defaults for {@code numClasses} object classes. */
  public static DetectionHead standard(int numClasses) {
    return ConfigDefaults.create(DetectionHead.class, Map.of("numClasses", numClasses));
  }

  /**
   * @param name task name (scope {@code heads/<name>})
   * @param numClasses K object classes (background excluded), required
   * @param anchorGenerator anchors per level
   * @param rpnHead RPN convs
   * @param rpnTargetAssigner RPN anchor labelling and sampling
   * @param rpnLoss RPN losses
   * @param proposalGenerator RPN outputs to proposals
   * @param roiSampler second-stage training ROIs
   * @param roiAligner multilevel ROIAlign
   * @param boxHead second-stage convs and fcs
   * @param fastRcnnLoss second-stage losses
   * @param detectionGenerator inference post-processing
   * @param rpnBoxWeights RPN box-coder weights (Detectron: 1, 1, 1, 1)
   * @param boxWeights second-stage box-coder weights (10, 10, 5, 5)
   */
  @Configurable("DetectionHead")
  public DetectionHead(
      @Default("'detection'") String name, int numClasses,
      @Default("@AnchorGenerator()") AnchorGenerator anchorGenerator, @Default("@RpnHead()") RpnHead rpnHead,
      @Default("@RpnTargetAssigner()") RpnTargetAssigner rpnTargetAssigner, @Default("@RpnLoss()") RpnLoss rpnLoss,
      @Default("@ProposalGenerator()") ProposalGenerator proposalGenerator,
      @Default("@RoiSampler()") RoiSampler roiSampler,
      @Default("@MultilevelRoiAligner()") MultilevelRoiAligner roiAligner,
      @Default("@FastRcnnBoxHead()") FastRcnnBoxHead boxHead, @Default("@FastRcnnLoss()") FastRcnnLoss fastRcnnLoss,
      @Default("@DetectionGenerator()") DetectionGenerator detectionGenerator,
      @Default("[1.0, 1.0, 1.0, 1.0]") List<? extends Number> rpnBoxWeights,
      @Default("[10.0, 10.0, 5.0, 5.0]") List<? extends Number> boxWeights) {
    if (numClasses < 1) throw new IllegalArgumentException("DetectionHead.num_classes must be >= 1, got " + numClasses);
    this.name = name;
    this.numClasses = numClasses;
    this.anchorGenerator = anchorGenerator;
    this.rpnHead = rpnHead;
    this.rpnTargetAssigner = rpnTargetAssigner;
    this.rpnLoss = rpnLoss;
    this.proposalGenerator = proposalGenerator;
    this.roiSampler = roiSampler;
    this.roiAligner = roiAligner;
    this.boxHead = boxHead;
    this.fastRcnnLoss = fastRcnnLoss;
    this.detectionGenerator = detectionGenerator;
    this.rpnBoxCoder = new BoxCoder(rpnBoxWeights);
    this.boxCoder = new BoxCoder(boxWeights);
  }

  @Override
  public String name() {
    return name;
  }

  public int numClasses() {
    return numClasses;
  }

  /** NMS and sampling run per image, unrolled over a static batch. */
  @Override
  public boolean needsStaticBatch() {
    return true;
  }

  @Override
  public HeadOutput build(GraphContext ctx, FeaturePyramid features, Map<String, Operand<?>> labels) {
    if (!features.hasDecoder()) {
      throw new IllegalArgumentException("DetectionHead '" + name + "' needs FPN levels (the model has no decoder)");
    }
    Ops tf = ctx.tf();
    SortedMap<Integer, Operand<TFloat32>> levels = features.decoderLevels();
    Operand<TFloat32> imageSize = tf.dtypes.cast(features.imageSize(), TFloat32.class);
    Operand<TFloat32> height = tf.gather(imageSize, tf.constant(0), tf.constant(0));
    Operand<TFloat32> width = tf.gather(imageSize, tf.constant(1), tf.constant(0));
    boolean training = ctx.isTraining();

    Map<Integer, Operand<TFloat32>> anchors = anchorGenerator.generate(tf, levels);
    RpnHead.Output rpn = rpnHead.build(ctx.scope("rpn"), levels, anchorGenerator.minLevel(),
        anchorGenerator.maxLevel(), anchorGenerator.anchorsPerLocation());
    Proposals proposals = proposalGenerator.generate(
        tf, rpn.scoreLogits(), rpn.boxDeltas(), anchors, rpnBoxCoder, height, width, training);

    Map<String, Operand<?>> predictions = new LinkedHashMap<>();
    Map<String, Operand<TFloat32>> losses = new LinkedHashMap<>();
    predictions.put(PROPOSALS, proposals.boxes());
    predictions.put(PROPOSAL_SCORES, proposals.scores());
    if (labels != null) {
      SamplingSeed seeds = SamplingSeed.create(ctx);
      GroundTruth gt = GroundTruth.fromLabels(tf, labels, height, width, numClasses);
      RpnTargets rpnTargets = rpnTargetAssigner.assign(
          tf, concat(tf, new ArrayList<>(anchors.values()), 0), gt, rpnBoxCoder, seeds.seed("rpn"));
      // Images that count in no loss: eval padding rows (example_valid 0) and images of a mixed-in
      // data set without detection labels (detection_labelled 0).
      Operand<TFloat32> counted = countedImages(tf, labels); // [B] or null
      if (counted != null) {
        rpnTargets = rpnTargets.onlyLabelledImages(tf, counted);
      }
      losses.putAll(rpnLoss.compute(
          tf, concat(tf, new ArrayList<>(rpn.scoreLogits().values()), 1),
          concat(tf, new ArrayList<>(rpn.boxDeltas().values()), 1), rpnTargets));
      SampledRois rois = roiSampler.sample(tf, proposals, gt, boxCoder, seeds.seed("roi"));
      if (counted != null) {
        rois = rois.onlyLabelledImages(tf, counted);
      }
      FastRcnnBoxHead.Output out = boxHead.build(
          ctx.scope("box_head"), roiAligner.align(tf, levels, rois.boxes()), numClasses);
      losses.putAll(fastRcnnLoss.compute(tf, out.classLogits(), out.boxDeltas(), rois));
    }
    if (!training) {
      FastRcnnBoxHead.Output out = boxHead.build(
          ctx.scope("box_head"), roiAligner.align(tf, levels, proposals.boxes()), numClasses);
      Detections detections = detectionGenerator.generate(
          tf, out.classLogits(), out.boxDeltas(), proposals.boxes(), proposals.valid(), boxCoder, height, width);
      predictions.putAll(detections.asMap());
    }
    return new HeadOutput(predictions, losses);
  }

  /**
   * {@code [B]}: 1 for images whose detection labels count, the product of {@code example_valid}
   * and {@code detection_labelled} where the labels have them; null when they have neither.
   */
  private Operand<TFloat32> countedImages(Ops tf, Map<String, Operand<?>> labels) {
    Operand<TFloat32> valid = Labels.optional(labels, LabelKeys.EXAMPLE_VALID, TFloat32.class, name);
    Operand<TFloat32> labelled = Labels.optional(labels, LabelKeys.DETECTION_LABELLED, TFloat32.class, name);
    Operand<TFloat32> counted = valid == null ? labelled : labelled == null ? valid : tf.math.mul(valid, labelled);
    return counted == null ? null : tf.stopGradient(counted);
  }

  private static Operand<TFloat32> concat(Ops tf, List<Operand<TFloat32>> parts, int axis) {
    return parts.size() == 1 ? parts.get(0) : tf.concat(parts, tf.constant(axis));
  }
}
