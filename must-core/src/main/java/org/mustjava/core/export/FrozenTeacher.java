package org.mustjava.core.export;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;

/**
 * A loaded SavedModel used as a fixed function (a teacher for pseudo-labels, an external depth
 * model such as MiDaS exported as a SavedModel): one signature, called on Java tensors. Nothing of
 * it is trained or checkpointed with the student.
 */
public final class FrozenTeacher implements AutoCloseable {
  private final Path directory;
  private final SavedModelBundle bundle;
  private final SessionFunction function;

  private FrozenTeacher(Path directory, SavedModelBundle bundle, SessionFunction function) {
    this.directory = directory;
    this.bundle = bundle;
    this.function = function;
  }

  /**
   * Loads {@code directory} (tag {@code serve}) and selects {@code signatureKey}; the error lists
   * the signatures there are. An empty key selects {@code serving_default} if the model has it,
   * else its only signature (the project's one-head exports name theirs by the head).
   */
  public static FrozenTeacher load(Path directory, String signatureKey) {
    if (!Files.isRegularFile(directory.resolve("saved_model.pb"))) {
      throw new IllegalArgumentException(directory + " is not a SavedModel directory (no saved_model.pb)");
    }
    SavedModelBundle bundle = SavedModelBundle.load(directory.toString(), SavedModelBundle.DEFAULT_TAG);
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
    return new FrozenTeacher(directory, bundle, bundle.function(key));
  }

  public Path directory() {
    return directory;
  }

  public Signature signature() {
    return function.signature();
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
    bundle.close();
  }
}
