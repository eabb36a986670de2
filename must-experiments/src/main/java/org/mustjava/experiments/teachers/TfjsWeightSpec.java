package org.mustjava.experiments.teachers;

import java.util.Arrays;

/**
 * One entry of a TF.js {@code weightsManifest[].weights[]}: a constant of the graph stored in the
 * weight shards. Weights follow each other without padding in the concatenation of their group's
 * shard files, each taking {@code numElements * storedBytesPerElement} bytes (little-endian).
 *
 * @param name the Const node the values belong to
 * @param shape the tensor shape ({@code []} for a scalar)
 * @param dtype the dtype of the tensor in the graph: {@code float32}, {@code int32} or {@code bool}
 * @param quantization how the values are stored when not as {@code dtype}, or null
 */
public record TfjsWeightSpec(String name, long[] shape, String dtype, Quantization quantization) {

  /**
   * TF.js weight quantisation. {@code uint8}/{@code uint16}: {@code value = q * scale + min}
   * (rounded when the original dtype is {@code int32}); {@code float16}: IEEE half floats, no
   * scale.
   */
  public record Quantization(String dtype, double scale, double min) {
    int bytesPerElement() {
      return switch (dtype) {
        case "uint8" -> 1;
        case "uint16", "float16" -> 2;
        default -> throw new IllegalArgumentException("unknown quantization dtype '" + dtype + "'");
      };
    }
  }

  public long numElements() {
    long n = 1;
    for (long d : shape) n = Math.multiplyExact(n, d);
    return n;
  }

  /** Bytes the weight takes in the shards. */
  public long storedBytes() {
    return Math.multiplyExact(numElements(), quantization != null ? quantization.bytesPerElement() : bytesPerElement(dtype));
  }

  static int bytesPerElement(String dtype) {
    return switch (dtype) {
      case "float32", "int32" -> 4;
      case "bool" -> 1;
      default -> throw new IllegalArgumentException("unsupported weight dtype '" + dtype + "' (supported: float32, int32, bool)");
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TfjsWeightSpec w && name.equals(w.name) && Arrays.equals(shape, w.shape) && dtype.equals(w.dtype)
        && java.util.Objects.equals(quantization, w.quantization);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + " " + dtype + Arrays.toString(shape) + (quantization != null ? " stored as " + quantization.dtype() : "");
  }
}
