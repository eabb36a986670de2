package org.mustjava.core.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.train.Restore;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * Initialises selected variables from another model's checkpoint, e.g. backbone and FPN of a
 * pre-trained student before fine-tuning with new heads.
 *
 * <p>Selection is by name prefix ({@code backbone/}, {@code fpn/}). Before anything is assigned, the
 * selected model variables are compared with the checkpoint's manifest: model variables the
 * checkpoint lacks (missing), checkpoint variables under the prefixes the model lacks (extra) and
 * variables whose shape or dtype differ are all reported; unless every such name starts with one of
 * the {@code expected} prefixes, nothing is restored and a {@link CheckpointMismatchException} says
 * why. Matching variables are then read with RestoreV2 by name and assigned.
 */
@Configurable
public final class PartialRestore {
  private final String checkpoint;
  private final List<String> prefixes;
  private final List<String> expected;

  /**
   * @param checkpoint a checkpoint directory ({@code .../ckpt-1000}), a bundle prefix
   *     ({@code .../ckpt-1000/ckpt}), or a {@code checkpoints} directory (its latest checkpoint)
   * @param prefixes variable name prefixes to restore ({@code ""} selects everything)
   * @param expected name prefixes of differences that are fine (e.g. {@code head/} when the heads
   *     are new)
   */
  public PartialRestore(String checkpoint, List<String> prefixes, @Default("[]") List<String> expected) {
    this.checkpoint = Objects.requireNonNull(checkpoint, "checkpoint");
    this.prefixes = List.copyOf(prefixes);
    this.expected = List.copyOf(expected);
    if (this.prefixes.isEmpty()) {
      throw new IllegalArgumentException("PartialRestore.prefixes is empty: say which variables to restore (\"\" for all)");
    }
  }

  public String checkpoint() {
    return checkpoint;
  }

  /**
   * This restore with a relative {@link #checkpoint} resolved against {@code base} (a run's model
   * directory, so that configs can name {@code 'teachers/classification/checkpoints'}); an absolute
   * one is kept.
   */
  public PartialRestore resolvedAgainst(Path base) {
    Path p = Path.of(checkpoint);
    return p.isAbsolute() ? this : new PartialRestore(base.resolve(p).toString(), prefixes, expected);
  }

  /** Resolves {@link #checkpoint} to a committed checkpoint with a manifest. */
  public CheckpointInfo resolve() {
    Path p = Path.of(checkpoint);
    if (java.nio.file.Files.isRegularFile(p.resolve(CheckpointManifest.FILE_NAME))) {
      return new CheckpointInfo(-1, p);
    }
    if (p.getFileName() != null && p.getFileName().toString().equals(CheckpointManager.BUNDLE_NAME)
        && java.nio.file.Files.isRegularFile(p.resolveSibling(CheckpointManifest.FILE_NAME))) {
      return new CheckpointInfo(-1, p.getParent());
    }
    return new CheckpointManager(p, 1).latest().orElseThrow(() -> new IllegalArgumentException(
        "PartialRestore.checkpoint = '" + checkpoint + "': no checkpoint there (expected a ckpt-N directory with "
            + CheckpointManifest.FILE_NAME + ", its ckpt prefix, or a checkpoints directory)"));
  }

  /** Compares without touching the session. */
  public RestoreReport plan(CheckpointManifest source, List<CheckpointVariable> model) {
    List<String> restored = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    List<String> extra = new ArrayList<>();
    List<String> mismatched = new ArrayList<>();
    List<String> unexpected = new ArrayList<>();
    java.util.Set<String> modelNames = new java.util.HashSet<>();
    Map<String, CheckpointManifest.Entry> entries = source.entries();
    for (CheckpointVariable v : model) {
      if (!selected(v.name())) continue;
      modelNames.add(v.name());
      CheckpointManifest.Entry e = entries.get(v.name());
      String dtype = CheckpointManifest.dtypeName(v.dtype());
      if (e == null) {
        missing.add(v.name());
      } else if (!Arrays.equals(e.shape(), v.shape().asArray()) || !e.dtype().equals(dtype)) {
        mismatched.add(v.name() + ": model " + dtype + v.shape() + ", checkpoint " + e.dtype() + e.tfShape());
      } else {
        restored.add(v.name());
      }
    }
    for (String name : entries.keySet()) {
      if (selected(name) && !modelNames.contains(name)) extra.add(name);
    }
    for (String m : missing) if (!isExpected(m)) unexpected.add("missing: " + m);
    for (String x : extra) if (!isExpected(x)) unexpected.add("extra: " + x);
    for (String s : mismatched) if (!isExpected(s.substring(0, s.indexOf(':')))) unexpected.add("mismatch: " + s);
    return new RestoreReport(restored, missing, extra, mismatched, unexpected);
  }

  /**
   * Checks and restores. The assign ops are added to the session's graph.
   *
   * @throws CheckpointMismatchException if the checkpoint does not match beyond what is expected
   */
  public RestoreReport restore(Session session, Ops tf, List<CheckpointVariable> model) throws IOException {
    CheckpointInfo info = resolve();
    CheckpointManifest manifest = CheckpointManifest.read(info.manifestFile());
    RestoreReport report = plan(manifest, model);
    if (!report.ok()) throw new CheckpointMismatchException(info.directory().toString(), report);
    if (report.restored().isEmpty()) {
      throw new IllegalStateException("PartialRestore: no model variable under " + prefixes
          + " matches checkpoint " + info.directory() + ":\n" + report);
    }
    Map<String, CheckpointVariable> byName = new java.util.HashMap<>();
    for (CheckpointVariable v : model) byName.put(v.name(), v);
    List<CheckpointVariable> chosen = report.restored().stream().map(byName::get).toList();
    Ops r = tf.withSubScope("partial_restore");
    String[] names = chosen.stream().map(CheckpointVariable::name).toArray(String[]::new);
    String[] slices = new String[names.length];
    Arrays.fill(slices, "");
    List<Class<? extends TType>> types = new ArrayList<>();
    for (CheckpointVariable v : chosen) types.add(v.ref().type());
    Operand<TString> prefix = r.constant(info.prefix());
    Restore restored = r.train.restore(prefix, Saver.strings(r, names), Saver.strings(r, slices), types);
    List<Op> assigns = new ArrayList<>();
    for (int i = 0; i < chosen.size(); i++) assigns.add(Saver.assign(r, chosen.get(i), restored.tensors().get(i)));
    session.runner().addTarget(r.withControlDependencies(assigns).noOp()).run();
    return report;
  }

  private boolean selected(String name) {
    for (String p : prefixes) if (name.startsWith(p)) return true;
    return false;
  }

  private boolean isExpected(String name) {
    for (String p : expected) if (name.startsWith(p)) return true;
    return false;
  }

  @Override
  public String toString() {
    return "PartialRestore(" + checkpoint + ", prefixes=" + prefixes + ", expected=" + expected + ")";
  }
}
