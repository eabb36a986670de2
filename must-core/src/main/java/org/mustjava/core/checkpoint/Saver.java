package org.mustjava.core.checkpoint;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.train.Restore;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * SaveV2 / RestoreV2 ops over an explicit list of variables, keyed by variable name (TF's
 * tensor-bundle format, readable by TensorFlow's own checkpoint tools).
 *
 * <p>Unlike {@code Session.save}, which saves every VariableV2 the graph holds when it is first
 * called, the list here is chosen by the caller, and restoring from a checkpoint that holds more
 * variables than the list (e.g. optimiser slots when exporting) works.
 */
public final class Saver {
  private final List<CheckpointVariable> variables;
  private final Placeholder<TString> prefix;
  private final Op saveOp;
  private final Op restoreOp;

  /** Builds the ops under {@code tf}'s current scope (e.g. {@code tf.withSubScope("saver")}). */
  public Saver(Ops tf, List<CheckpointVariable> variables) {
    if (variables.isEmpty()) throw new IllegalArgumentException("nothing to save: no variables");
    Set<String> seen = new HashSet<>();
    for (CheckpointVariable v : variables) {
      if (!seen.add(v.name())) throw new IllegalArgumentException("variable " + v.name() + " listed twice");
    }
    this.variables = List.copyOf(variables);
    this.prefix = tf.placeholder(TString.class);
    String[] names = variables.stream().map(CheckpointVariable::name).toArray(String[]::new);
    String[] slices = new String[names.length];
    java.util.Arrays.fill(slices, "");
    Operand<TString> nameTensor = Saver.strings(tf, names);
    Operand<TString> sliceTensor = Saver.strings(tf, slices);
    List<Operand<?>> values = new ArrayList<>();
    List<Class<? extends TType>> types = new ArrayList<>();
    for (CheckpointVariable v : variables) {
      values.add(v.ref());
      types.add(v.ref().type());
    }
    this.saveOp = tf.train.save(prefix, nameTensor, sliceTensor, values);
    Restore restored = tf.train.restore(prefix, nameTensor, sliceTensor, types);
    List<Op> assigns = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      assigns.add(assign(tf, variables.get(i), restored.tensors().get(i)));
    }
    this.restoreOp = tf.withControlDependencies(assigns).noOp();
  }

  static Operand<TString> strings(Ops tf, String[] values) {
    return tf.constant(org.tensorflow.ndarray.NdArrays.vectorOfObjects(values));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static Op assign(Ops tf, CheckpointVariable v, Operand<?> value) {
    return tf.assign((Operand) v.ref(), (Operand) value);
  }

  public List<CheckpointVariable> variables() {
    return variables;
  }

  /** Writes {@code prefix.index} and {@code prefix.data-*} (not atomic: see {@link CheckpointManager}). */
  public void save(Session session, String prefixPath) {
    try (TString p = TString.scalarOf(prefixPath)) {
      session.runner().feed(prefix, p).addTarget(saveOp).run();
    }
  }

  /** Assigns every listed variable from the checkpoint at {@code prefixPath}. */
  public void restore(Session session, String prefixPath) {
    try (TString p = TString.scalarOf(prefixPath)) {
      session.runner().feed(prefix, p).addTarget(restoreOp).run();
    }
  }
}
