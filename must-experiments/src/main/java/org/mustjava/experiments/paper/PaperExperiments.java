package org.mustjava.experiments.paper;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The paper's tables and figure as named experiments (design.md section 1, "Paper experiments"):
 * each is one config per scale, {@code experiments/NAME.conf} (the paper's recipes; data-set
 * locations are required macros) and {@code experiments/mini/NAME.conf} (2 CPU cores, data the
 * project makes). {@code tools/run-experiment --list} shows them; {@code --experiment NAME [--mini]}
 * runs one (the same as {@code --config} with its file). The descriptions live here only; the
 * configs' header comments say how each maps onto the paper.
 */
public final class PaperExperiments {
  /** One paper experiment: its name (and config file name) and what it compares. */
  public record Entry(String name, String description) {
    /** {@code experiments/NAME.conf} or {@code experiments/mini/NAME.conf} below {@code experimentsDir}. */
    public Path config(Path experimentsDir, boolean mini) {
      return (mini ? experimentsDir.resolve("mini") : experimentsDir).resolve(name + ".conf");
    }
  }

  /** Every paper experiment, in the paper's order. */
  public static final List<Entry> ALL = List.of(
      new Entry("table1_imagenet", "supervised, SimCLR, single-task self-training and MuST pre-training on ImageNet images, "
          + "each fine-tuned on CIFAR-100, PASCAL detection and segmentation, ADE20k, NYU depth and DIODE normals"),
      new Entry("table2_jft", "supervised, SimCLR and MuST pre-training on a much larger image set (JFT-300M in the paper), "
          + "fine-tuned on the same six tasks"),
      new Entry("table3_teachers", "how the number of teachers matters: MuST students of classification; + detection; "
          + "+ segmentation; + depth pseudo labels"),
      new Entry("table4_cross_dataset", "MuST with the teachers' supervised labels mixed in (ImageNet, Objects365, COCO) "
          + "against MuST and supervised pre-training"),
      new Entry("table5_strong_checkpoint", "MuST continued from an existing strong checkpoint (supervised ImageNet), "
          + "compared with that checkpoint"),
      new Entry("figure1_predictions", "one MuST student's predictions on held-out images: boxes, segmentation, depth "
          + "and surface normals as PNG panels and TensorBoard images"));

  private PaperExperiments() {}

  public static Optional<Entry> byName(String name) {
    return ALL.stream().filter(e -> e.name().equals(name)).findFirst();
  }

  /**
   * The {@code experiments/} directory: below the checkout's root when the launcher runs through
   * {@code tools/} (which pass it as the {@code must.root} property, as the build does to tests),
   * else {@code ./experiments}.
   */
  public static Path experimentsDirectory() {
    String root = System.getProperty("must.root");
    return root != null ? Path.of(root, "experiments") : Path.of("experiments");
  }
}
