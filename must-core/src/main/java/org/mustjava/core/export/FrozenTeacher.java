package org.mustjava.core.export;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;

/**
 * A loaded SavedModel used as a fixed function (a teacher for pseudo-labels, an external depth
 * model such as MiDaS exported as a SavedModel): one signature, called on Java tensors. Nothing of
 * it is trained or checkpointed with the student.
 *
 * <p>{@link #loadOptimized} runs the signature on a rewritten graph instead ({@link
 * InferenceGraphOptimizer}: pruned to the signature, variables frozen, BatchNorm folded into the
 * convolutions), when the graph allows it.
 */
public final class FrozenTeacher implements AutoCloseable {
  private final Path directory;
  private final SavedModelBundle bundle; // null once an optimised graph replaced it
  private final Graph graph;
  private final Session session;
  private final SessionFunction function;
  private final String optimization;

  private FrozenTeacher(Path directory, SavedModelBundle bundle, Graph graph, Session session, SessionFunction function,
      String optimization) {
    this.directory = directory;
    this.bundle = bundle;
    this.graph = graph;
    this.session = session;
    this.function = function;
    this.optimization = optimization;
  }

  /**
   * Loads {@code directory} (tag {@code serve}) and selects {@code signatureKey}; the error lists
   * the signatures there are. An empty key selects {@code serving_default} if the model has it,
   * else its only signature (the project's one-head exports name theirs by the head).
   */
  public static FrozenTeacher load(Path directory, String signatureKey) {
    SavedModelBundle bundle = loadBundle(directory);
    String key = selectSignature(bundle, directory, signatureKey);
    return new FrozenTeacher(directory, bundle, null, null, bundle.function(key), "not optimised");
  }

  /**
   * As {@link #load}, then replaces the model's graph by its {@linkplain InferenceGraphOptimizer
   * optimised} form; if the graph cannot be optimised, keeps it and says why in {@link
   * #optimization()}.
   */
  public static FrozenTeacher loadOptimized(Path directory, String signatureKey) {
    SavedModelBundle bundle = loadBundle(directory);
    String key = selectSignature(bundle, directory, signatureKey);
    SessionFunction original = bundle.function(key);
    Signature sig = original.signature();
    Set<String> outputs = new LinkedHashSet<>();
    for (Signature.TensorDescription d : sig.getOutputs().values()) outputs.add(InferenceGraphOptimizer.nodeName(d.name));
    for (Signature.TensorDescription d : sig.getInputs().values()) outputs.add(InferenceGraphOptimizer.nodeName(d.name));
    InferenceGraphOptimizer.Optimized opt;
    try {
      opt = InferenceGraphOptimizer.optimize(bundle.graph().toGraphDef(), bundle.session(), outputs);
    } catch (InferenceGraphOptimizer.UnsupportedGraphException e) {
      return new FrozenTeacher(directory, bundle, null, null, original, "not optimised: " + e.getMessage());
    }
    Graph g = new Graph();
    try {
      g.importGraphDef(opt.graphDef());
      Session s = new Session(g);
      bundle.close();
      String what = "optimised: " + opt.foldedBatchNorms() + " BatchNorms folded, " + opt.frozenVariables()
          + " variables frozen, " + opt.nodesBefore() + " -> " + opt.nodesAfter() + " nodes";
      return new FrozenTeacher(directory, null, g, s, SessionFunction.create(sig, s), what);
    } catch (RuntimeException e) {
      g.close();
      bundle.close();
      throw e;
    }
  }

  private static SavedModelBundle loadBundle(Path directory) {
    if (!Files.isRegularFile(directory.resolve("saved_model.pb"))) {
      throw new IllegalArgumentException(directory + " is not a SavedModel directory (no saved_model.pb)");
    }
    return SavedModelBundle.load(directory.toString(), SavedModelBundle.DEFAULT_TAG);
  }

  private static String selectSignature(SavedModelBundle bundle, Path directory, String signatureKey) {
    TreeSet<String> keys = new TreeSet<>();
    for (Signature s : bundle.signatures()) keys.add(s.key());
    String key = signatureKey;
    if (key.isEmpty()) {
      key = keys.contains(Signature.DEFAULT_KEY) || keys.size() != 1 ? Signature.DEFAULT_KEY : keys.first();
    }
    if (!keys.contains(key)) {
      bundle.close();
      throw new IllegalArgumentException(directory + " has no signature '" + key + "'"
          + (signatureKey.isEmpty() ? " (none was named, and it has not exactly one)" : "") + "; it has " + keys);
    }
    return key;
  }

  public Path directory() {
    return directory;
  }

  public Signature signature() {
    return function.signature();
  }

  /** What {@link #loadOptimized} did (or why it did not), for logs. */
  public String optimization() {
    return optimization;
  }

  /**
   * Runs the signature. Input names are the signature's; the result holds every output by name
   * and must be closed by the caller.
   */
  public Result run(Map<String, Tensor> inputs) {
    java.util.Set<String> expected = function.signature().inputNames();
    if (!expected.equals(inputs.keySet())) {
      throw new IllegalArgumentException("signature '" + function.signature().key() + "' of " + directory
          + " takes inputs " + new TreeSet<>(expected) + ", got " + new TreeSet<>(inputs.keySet()));
    }
    return function.call(inputs);
  }

  @Override
  public void close() {
    if (bundle != null) bundle.close();
    if (session != null) session.close();
    if (graph != null) graph.close();
  }
}
