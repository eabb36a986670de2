package org.mustjava.data.tfdata;

import org.tensorflow.op.Ops;
import org.tensorflow.proto.data.DatasetOptions.Options;
import org.tensorflow.proto.data.DatasetOptions.OptimizationOptions;
import org.tensorflow.proto.data.DatasetOptions.ThreadingOptions;

/**
 * The {@code tensorflow.data.Options} proto (TF 2.18 field names) that the raw {@code OptionsDataset}
 * op takes serialized, and the wrapping of a dataset in it.
 *
 * <p>Why: iterating a graph-built dataset from TF Java needs {@code apply_default_optimizations =
 * false}. With the defaults TensorFlow rewrites the dataset graph before iterating, which requires
 * serializing every dataset op; {@code TFRecordDatasetV2} cannot be serialized in that context and
 * making the iterator fails ("AddDataset: Failed to build TFRecordDatasetV2 op with error 3 inputs
 * specified of 4 inputs"), with no options and with default options alike.
 */
public final class DatasetOptions {
  private DatasetOptions() {}

  /** Default graph optimisations off, everything else at TensorFlow's defaults. */
  public static Options defaults() {
    return Options.newBuilder()
        .setOptimizationOptions(OptimizationOptions.newBuilder().setApplyDefaultOptimizations(false))
        .build();
  }

  /**
   * {@link #defaults()} plus element-order determinism and a private thread pool ({@code 0} = use
   * the session's inter-op pool).
   */
  public static Options with(boolean deterministic, int privateThreadpoolSize) {
    Options.Builder b = defaults().toBuilder().setDeterministic(deterministic);
    if (privateThreadpoolSize > 0) {
      b.setThreadingOptions(ThreadingOptions.newBuilder().setPrivateThreadpoolSize(privateThreadpoolSize));
    }
    return b.build();
  }

  /**
   * The proto as the {@code serialized_options} string attribute. TF Java passes string attributes
   * as UTF-8, so only protos whose encoding is plain ASCII survive unchanged; the options used here
   * (booleans, small integers) always are, and anything else is refused rather than silently mangled.
   */
  public static String serialize(Options options) {
    byte[] bytes = options.toByteArray();
    char[] chars = new char[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] < 0) {
        throw new IllegalArgumentException("tf.data options serialize to non-ASCII bytes, which TF Java "
            + "cannot pass as a string attribute: " + options);
      }
      chars[i] = (char) bytes[i];
    }
    return new String(chars);
  }

  /** Wraps {@code dataset} in an {@code OptionsDataset} with {@code options}. */
  public static RawDataset apply(Ops tf, RawDataset dataset, Options options) {
    return new RawDataset(
        tf.data.optionsDataset(dataset.handle(), serialize(options), dataset.types(), dataset.shapes()),
        dataset.types(), dataset.shapes());
  }

  /** Wraps {@code dataset} with {@link #defaults()}. */
  public static RawDataset apply(Ops tf, RawDataset dataset) {
    return apply(tf, dataset, defaults());
  }
}
