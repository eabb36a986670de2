package org.mustjava.models;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.gradients.CustomGradients;
import org.mustjava.models.backbones.Backbone;
import org.mustjava.models.decoders.FPN;
import org.mustjava.models.heads.HeadOutput;
import org.mustjava.models.heads.TaskHead;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The paper's network (Fig. 3): one backbone, an optional FPN decoder and any number of task heads,
 * trained with the weighted sum of the heads' losses.
 *
 * <p>Variable scopes: {@code backbone/}, {@code fpn/}, {@code heads/<name>/}, so a checkpoint's
 * backbone + FPN can be restored by prefix into a model with new heads.
 *
 * <p>Weight decay is not part of the model: the layers mark which variables decay (kernels, not
 * biases or BatchNorm parameters) and the trainer ({@code Trainer.weight_decay}) owns the
 * coefficient, like the learning rate, since the paper's recipes set it per training stage.
 */
public final class MultiTaskModel {
  public static final String BACKBONE_SCOPE = "backbone";
  public static final String DECODER_SCOPE = "fpn";
  public static final String HEADS_SCOPE = "heads";

  private final Backbone backbone;
  private final FPN decoder;
  private final List<TaskHead> heads;
  private final Map<String, Double> lossWeights;

  /**
   * @param backbone e.g. {@code @ResNet()}
   * @param decoder e.g. {@code @FPN()}, or {@code None} (then only heads on backbone levels work,
   *     e.g. classification)
   * @param heads the task heads; names must be distinct
   * @param lossWeights weight per head name (see {@link LossWeights}); heads not listed get 1.0
   */
  @Configurable("MultiTaskModel")
  public MultiTaskModel(Backbone backbone, @Default("None") FPN decoder, List<TaskHead> heads,
      @Default("{}") Map<String, Double> lossWeights) {
    if (backbone == null) throw new IllegalArgumentException("MultiTaskModel.backbone is required");
    if (heads == null || heads.isEmpty()) throw new IllegalArgumentException("MultiTaskModel.heads must list at least one head");
    Set<String> names = new HashSet<>();
    for (TaskHead h : heads) {
      if (!names.add(h.name())) throw new IllegalArgumentException("MultiTaskModel.heads: duplicate head name '" + h.name() + "'");
    }
    Map<String, Double> weights = lossWeights == null ? Map.of() : lossWeights;
    for (String k : weights.keySet()) {
      if (!names.contains(k)) {
        throw new IllegalArgumentException("MultiTaskModel.loss_weights names unknown head '" + k + "'; heads are " + names);
      }
    }
    if (!backbone.hasStandardStrides()) {
      for (TaskHead h : heads) {
        if (h instanceof org.mustjava.models.detection.DetectionHead) {
          throw new IllegalArgumentException("MultiTaskModel: head '" + h.name() + "' (detection) needs backbone level l at"
              + " stride 2^l (anchors, ROIAlign level assignment), but " + backbone + " has C2 at stride "
              + backbone.levelStride(2) + "; use ResNet.stem = 'imagenet' for detection");
        }
      }
    }
    this.backbone = backbone;
    this.decoder = decoder;
    this.heads = List.copyOf(heads);
    this.lossWeights = Map.copyOf(weights);
  }

  public Backbone backbone() {
    return backbone;
  }

  /** The decoder, or {@code null}. */
  public FPN decoder() {
    return decoder;
  }

  public List<TaskHead> heads() {
    return heads;
  }

  public double lossWeight(String head) {
    return lossWeights.getOrDefault(head, 1.0);
  }

  /**
   * Builds the model on {@code images}.
   *
   * @param ctx the model's root context (scopes {@code backbone}, {@code fpn}, {@code heads} are
   *     created below it); its training flag selects train or eval behaviour
   * @param images float32 [B, H, W, 3]
   * @param labels label tensors by key ({@link org.mustjava.models.heads.LabelKeys}), or
   *     {@code null} for inference
   */
  public ModelOutput build(GraphContext ctx, Operand<TFloat32> images, Map<String, Operand<?>> labels) {
    // The losses use ops whose gradients are Java ones; register them before anyone differentiates.
    CustomGradients.ensureRegistered();
    SortedMap<Integer, Operand<TFloat32>> c = backbone.build(ctx.scope(BACKBONE_SCOPE), images);
    GraphContext decoderCtx = ctx.scope(DECODER_SCOPE);
    SortedMap<Integer, Operand<TFloat32>> p = decoder == null ? new TreeMap<>() : decoder.build(decoderCtx, c);
    FeaturePyramid features = new FeaturePyramid(images, c, p, decoderCtx.tf());

    GraphContext headsCtx = ctx.scope(HEADS_SCOPE);
    Map<String, HeadOutput> outputs = new LinkedHashMap<>();
    Map<String, Operand<TFloat32>> weighted = new LinkedHashMap<>();
    for (TaskHead head : heads) {
      GraphContext hctx = headsCtx.scope(head.name());
      HeadOutput out = head.build(hctx, features, labels);
      outputs.put(head.name(), out);
      if (labels != null) {
        if (out.losses().isEmpty()) {
          throw new IllegalStateException("head '" + head.name() + "' returned no loss although labels were given");
        }
        Ops tf = hctx.tf();
        Operand<TFloat32> sum = out.losses().size() == 1
            ? out.losses().values().iterator().next()
            : tf.math.addN(List.copyOf(new TreeMap<>(out.losses()).values()));
        weighted.put(head.name(), tf.withName("weighted_loss").math.mul(sum, tf.constant((float) lossWeight(head.name()))));
      }
    }
    Operand<TFloat32> total = null;
    if (labels != null) {
      total = ctx.tf().withName("total_loss").math.addN(List.copyOf(weighted.values()));
    }
    return new ModelOutput(features, outputs, weighted, total);
  }

  /** Variable-name prefixes of each component: backbone, fpn and one per head (for summaries, restores). */
  public Map<String, String> componentPrefixes() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("backbone", BACKBONE_SCOPE + "/");
    if (decoder != null) m.put("fpn", DECODER_SCOPE + "/");
    for (TaskHead h : heads) m.put("heads/" + h.name(), HEADS_SCOPE + "/" + h.name() + "/");
    return m;
  }

}
