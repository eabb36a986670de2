package org.mustjava.core.checkpoint;

import java.nio.file.Files;
import java.nio.file.Path;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TString;

/**
 * Saves and restores the position of a tf.data iterator (with its shuffle buffers, random states
 * and files in progress) as a tensor bundle, so that a resumed run continues the input stream where
 * the checkpoint left it instead of replaying {@code step x batch} examples: resume time does not
 * grow with the step (TF's {@code SerializeIterator} / {@code DeserializeIterator}, saved through
 * {@code SaveV2} / {@code RestoreV2} as TF's own iterator checkpoints are).
 *
 * <p>The serialized state is a {@code DT_VARIANT} tensor, for which TF Java 1.1.0 has no Java type;
 * it never leaves the graph, and the ops that carry it are built with raw op builders.
 */
public final class IteratorState {
  /** The bundle prefix inside a checkpoint directory. */
  public static final String BUNDLE_NAME = "input_iterator";
  private static final String KEY = "input_iterator_state";

  private final Placeholder<TString> prefix;
  private final GraphOperation save;
  private final GraphOperation restore;

  /**
   * @param tf where to build the ops (e.g. a {@code saver} scope)
   * @param iterator the iterator resource (e.g. a pipeline's named {@code Iterator})
   */
  public IteratorState(Ops tf, Operand<?> iterator) {
    this.prefix = tf.withName("iterator_prefix").placeholder(TString.class);
    Operand<TString> names = tf.constant(NdArrays.vectorOfObjects(KEY));
    Operand<TString> slices = tf.constant(NdArrays.vectorOfObjects(""));
    GraphOperation serialized = (GraphOperation) tf.scope().opBuilder("SerializeIterator", "serialize_iterator")
        .addInput(iterator.asOutput())
        .build();
    this.save = (GraphOperation) tf.scope().opBuilder("SaveV2", "save_iterator")
        .addInput(prefix.asOutput())
        .addInput(names.asOutput())
        .addInput(slices.asOutput())
        .addInputList(new org.tensorflow.Output<?>[] {serialized.output(0)})
        .build();
    GraphOperation restored = (GraphOperation) tf.scope().opBuilder("RestoreV2", "restore_iterator_state")
        .addInput(prefix.asOutput())
        .addInput(names.asOutput())
        .addInput(slices.asOutput())
        .setAttr("dtypes", new DataType[] {DataType.DT_VARIANT})
        .build();
    this.restore = (GraphOperation) tf.scope().opBuilder("DeserializeIterator", "restore_iterator")
        .addInput(iterator.asOutput())
        .addInput(restored.output(0))
        .build();
  }

  /** Writes the iterator's state to the bundle {@code checkpointDir/input_iterator}. */
  public void save(Session session, Path checkpointDir) {
    try (TString p = TString.scalarOf(checkpointDir.resolve(BUNDLE_NAME).toString())) {
      session.runner().feed(prefix, p).addTarget(save).run().close();
    }
  }

  /** Whether {@code checkpointDir} holds an iterator state. */
  public static boolean exists(Path checkpointDir) {
    return Files.isRegularFile(checkpointDir.resolve(BUNDLE_NAME + ".index"));
  }

  /** Sets the iterator (already initialised) to the state saved in {@code checkpointDir}. */
  public void restore(Session session, Path checkpointDir) {
    if (!exists(checkpointDir)) {
      throw new IllegalStateException(checkpointDir + " has no input iterator state (" + BUNDLE_NAME + ".index)");
    }
    try (TString p = TString.scalarOf(checkpointDir.resolve(BUNDLE_NAME).toString())) {
      session.runner().feed(prefix, p).addTarget(restore).run().close();
    }
  }
}
