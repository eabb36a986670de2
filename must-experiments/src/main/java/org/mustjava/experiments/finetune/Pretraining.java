package org.mustjava.experiments.finetune;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.mustjava.core.checkpoint.PartialRestore;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;

/**
 * One row of a results table: a pre-trained checkpoint whose backbone + FPN every fine-tuning cell
 * starts from, or random initialisation ({@code checkpoint = None}).
 *
 * <pre>
 * must/Pretraining.name = 'must'
 * must/Pretraining.checkpoint = 'student/checkpoints'   # relative to MODEL_DIR; its latest checkpoint
 * random/Pretraining.name = 'random'                    # checkpoint unset: random initialisation
 * </pre>
 */
public final class Pretraining {
  private final String name;
  private final Optional<String> checkpoint;
  private final List<String> prefixes;
  private final List<String> expected;

  /**
   * @param name the row's name and its directory {@code finetune/<name>/}
   * @param checkpoint what {@link PartialRestore#checkpoint()} accepts (a {@code checkpoints}
   *     directory, a {@code ckpt-N} directory or its bundle prefix), relative to the model directory
   *     unless absolute; None: random initialisation
   * @param prefixes the variables restored (backbone and FPN; heads start fresh)
   * @param expected prefixes of differences that are fine, e.g. {@code ['fpn/']} for a
   *     backbone-only checkpoint (otherwise a missing or extra variable stops the cell)
   */
  @Configurable("Pretraining")
  public Pretraining(
      String name,
      Optional<String> checkpoint,
      @Default("['backbone/', 'fpn/']") List<String> prefixes,
      @Default("[]") List<String> expected) {
    GridCell.requireDirectoryName("Pretraining.name", name);
    this.name = name;
    this.checkpoint = checkpoint == null ? Optional.empty() : checkpoint;
    this.prefixes = List.copyOf(prefixes);
    this.expected = List.copyOf(expected);
    if (this.checkpoint.isPresent() && this.prefixes.isEmpty()) {
      throw new IllegalArgumentException("Pretraining '" + name + "': prefixes is empty (nothing would be restored)");
    }
  }

  public String name() {
    return name;
  }

  /** Random initialisation: nothing is restored. */
  public boolean isRandom() {
    return checkpoint.isEmpty();
  }

  public Optional<String> checkpoint() {
    return checkpoint;
  }

  public List<String> prefixes() {
    return prefixes;
  }

  public List<String> expected() {
    return expected;
  }

  /** The restore of this pre-training with its checkpoint resolved against {@code modelDir}. */
  public Optional<PartialRestore> restore(Path modelDir) {
    return checkpoint.map(c -> new PartialRestore(modelDir.resolve(c).toString(), prefixes, expected));
  }

  @Override
  public String toString() {
    return "Pretraining(" + name + ", " + checkpoint.orElse("random initialisation") + ")";
  }
}
