package org.mustjava.core.export;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
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
  private final Resources resources;
  private final SessionFunction function;
  private final String optimization;

  private FrozenTeacher(Path directory, SavedModelBundle bundle, Graph graph, Session session, SessionFunction function,
      String optimization) {
    this(directory, new Resources(bundle, graph, session, 1), function, optimization);
  }

  private FrozenTeacher(Path directory, Resources resources, SessionFunction function, String optimization) {
    this.directory = directory;
    this.resources = resources;
    this.function = function;
    this.optimization = optimization;
  }

  /**
   * The loaded model, graph and session, shared by the teachers {@link #loadAll} made from one
   * directory and closed with the last of them.
   */
  private static final class Resources {
    private final SavedModelBundle bundle; // null once an optimised graph replaced it
    private final Graph graph;
    private final Session session;
    private int users;

    Resources(SavedModelBundle bundle, Graph graph, Session session, int users) {
      this.bundle = bundle;
      this.graph = graph;
      this.session = session;
      this.users = users;
    }

    synchronized void release() {
      if (--users != 0) return;
      if (bundle != null) bundle.close();
      if (session != null) session.close();
      if (graph != null) graph.close();
    }
  }

  /**
   * One signature to select in {@link #loadAll}.
   *
   * @param key as in {@link #load}; empty: {@code serving_default} if the model has it, else its
   *     only signature, else {@code ifSeveral}
   * @param ifSeveral the key an empty {@code key} selects in a model with several signatures and no
   *     {@code serving_default} (e.g. the head name in the project's multi-head exports); may be empty
   */
  public record SignatureChoice(String key, String ifSeveral) {}

  /**
   * Loads {@code directory} once for several of its signatures (e.g. every head of a multi-task
   * export): one teacher per choice, in order, sharing the model's session; the model is closed
   * with the last of them. With {@code optimize}, one {@linkplain InferenceGraphOptimizer optimised}
   * graph serves all the signatures (pruned to the union of their outputs).
   *
   * @param check called with the selected signatures, in order, before the (slow) optimisation: a
   *     caller's check of inputs and outputs fails fast
   */
  public static List<FrozenTeacher> loadAll(Path directory, List<SignatureChoice> choices,
      boolean optimize, java.util.function.Consumer<List<Signature>> check) {
    if (choices.isEmpty()) throw new IllegalArgumentException("no signature to load from " + directory);
    SavedModelBundle bundle = loadBundle(directory);
    List<SessionFunction> originals = new ArrayList<>();
    try {
      TreeSet<String> keys = new TreeSet<>();
      for (Signature s : bundle.signatures()) keys.add(s.key());
      for (SignatureChoice c : choices) {
        String key = c.key();
        if (key.isEmpty() && !keys.contains(Signature.DEFAULT_KEY) && keys.size() != 1 && !c.ifSeveral().isEmpty()) {
          key = c.ifSeveral();
        }
        originals.add(bundle.function(selectSignature(bundle, directory, key, false)));
      }
      check.accept(originals.stream().map(SessionFunction::signature).toList());
    } catch (RuntimeException e) {
      bundle.close();
      throw e;
    }
    int n = originals.size();
    if (optimize) {
      Set<String> nodes = new LinkedHashSet<>();
      for (SessionFunction f : originals) {
        for (Signature.TensorDescription d : f.signature().getOutputs().values()) nodes.add(InferenceGraphOptimizer.nodeName(d.name));
        for (Signature.TensorDescription d : f.signature().getInputs().values()) nodes.add(InferenceGraphOptimizer.nodeName(d.name));
      }
      InferenceGraphOptimizer.Optimized opt = null;
      String why = null;
      try {
        opt = InferenceGraphOptimizer.optimize(bundle.graph().toGraphDef(), bundle.session(), nodes);
      } catch (InferenceGraphOptimizer.UnsupportedGraphException e) {
        why = "not optimised: " + e.getMessage();
      }
      if (opt != null) {
        Graph g = new Graph();
        try {
          g.importGraphDef(opt.graphDef());
          Session s = new Session(g);
          bundle.close();
          Resources shared = new Resources(null, g, s, n);
          String what = "optimised: " + opt.foldedBatchNorms() + " BatchNorms folded, " + opt.frozenVariables()
              + " variables frozen, " + opt.nodesBefore() + " -> " + opt.nodesAfter() + " nodes"
              + (n > 1 ? " (one graph for " + n + " signatures)" : "");
          List<FrozenTeacher> out = new ArrayList<>();
          for (SessionFunction f : originals) out.add(new FrozenTeacher(directory, shared, SessionFunction.create(f.signature(), s), what));
          return out;
        } catch (RuntimeException e) {
          g.close();
          bundle.close();
          throw e;
        }
      }
      return shareBundle(directory, bundle, originals, why);
    }
    return shareBundle(directory, bundle, originals, "not optimised");
  }

  private static List<FrozenTeacher> shareBundle(Path directory, SavedModelBundle bundle,
      List<SessionFunction> functions, String optimization) {
    Resources shared = new Resources(bundle, null, null, functions.size());
    List<FrozenTeacher> out = new ArrayList<>();
    for (SessionFunction f : functions) out.add(new FrozenTeacher(directory, shared, f, optimization));
    return out;
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
    return selectSignature(bundle, directory, signatureKey, true);
  }

  /** The key {@code signatureKey} selects; the error lists the keys (and closes the bundle if {@code closeOnError}). */
  private static String selectSignature(SavedModelBundle bundle, Path directory, String signatureKey, boolean closeOnError) {
    TreeSet<String> keys = new TreeSet<>();
    for (Signature s : bundle.signatures()) keys.add(s.key());
    String key = signatureKey;
    if (key.isEmpty()) {
      key = keys.contains(Signature.DEFAULT_KEY) || keys.size() != 1 ? Signature.DEFAULT_KEY : keys.first();
    }
    if (!keys.contains(key)) {
      if (closeOnError) bundle.close();
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
    resources.release();
  }
}
