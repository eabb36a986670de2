package org.mustjava.experiments.teachers;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Reads the weight shards of a TF.js graph model into TensorProtos, dequantising on the way:
 * uint8/uint16 weights become {@code q * scale + min} (rounded for int32 weights), float16
 * weights become float32. Every size is checked, and errors name the shard file and the weight.
 */
public final class TfjsWeightReader {
  private TfjsWeightReader() {}

  /** Weight name -> tensor, in manifest order. */
  public static Map<String, TensorProto> read(TfjsModelJson model) throws IOException {
    Map<String, TensorProto> out = new LinkedHashMap<>();
    for (TfjsModelJson.WeightGroup group : model.weightGroups()) {
      ByteBuffer data = concatenate(group.paths(), model.file());
      for (TfjsWeightSpec w : group.weights()) {
        long bytes = w.storedBytes();
        if (bytes > data.remaining()) {
          throw new IOException(shardNames(group.paths()) + ": weight '" + w.name() + "' (" + w + ") needs " + bytes
              + " bytes at offset " + data.position() + " but the shards hold only " + data.limit()
              + " bytes; the shards do not match " + model.file());
        }
        ByteBuffer slice = data.slice(data.position(), (int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        data.position(data.position() + (int) bytes);
        if (out.put(w.name(), tensor(w, slice)) != null) {
          throw new IOException(model.file() + ": weight '" + w.name() + "' is listed twice in the weightsManifest");
        }
      }
      if (data.hasRemaining()) {
        throw new IOException(shardNames(group.paths()) + ": " + data.remaining() + " bytes left over after the last weight '"
            + group.weights().get(group.weights().size() - 1).name() + "'; the shards do not match " + model.file());
      }
    }
    return out;
  }

  private static ByteBuffer concatenate(List<Path> paths, Path modelFile) throws IOException {
    long total = 0;
    for (Path p : paths) {
      if (!Files.isRegularFile(p)) throw new IOException(p + ": weight shard listed in " + modelFile + " does not exist");
      total += Files.size(p);
    }
    if (total > Integer.MAX_VALUE) throw new IOException(shardNames(paths) + ": weight groups over 2 GiB are not supported");
    ByteBuffer all = ByteBuffer.allocate((int) total);
    for (Path p : paths) all.put(Files.readAllBytes(p));
    return all.flip();
  }

  private static String shardNames(List<Path> paths) {
    return paths.size() == 1 ? paths.get(0).toString() : paths.toString();
  }

  /** The weight as a TensorProto with {@code tensor_content} in the graph dtype. */
  static TensorProto tensor(TfjsWeightSpec w, ByteBuffer stored) {
    int n = Math.toIntExact(w.numElements());
    DataType dtype = switch (w.dtype()) {
      case "float32" -> DataType.DT_FLOAT;
      case "int32" -> DataType.DT_INT32;
      case "bool" -> DataType.DT_BOOL;
      default -> throw new IllegalArgumentException("weight '" + w.name() + "': unsupported dtype '" + w.dtype() + "'");
    };
    ByteBuffer content = ByteBuffer.allocate(n * TfjsWeightSpec.bytesPerElement(w.dtype())).order(ByteOrder.LITTLE_ENDIAN);
    TfjsWeightSpec.Quantization q = w.quantization();
    if (q == null) {
      content.put(stored);
    } else {
      for (int i = 0; i < n; i++) {
        double v = switch (q.dtype()) {
          case "uint8" -> Byte.toUnsignedInt(stored.get(i)) * q.scale() + q.min();
          case "uint16" -> Short.toUnsignedInt(stored.getShort(2 * i)) * q.scale() + q.min();
          case "float16" -> halfToFloat(stored.getShort(2 * i));
          default -> throw new IllegalArgumentException("weight '" + w.name() + "': unknown quantization '" + q.dtype() + "'");
        };
        switch (dtype) {
          case DT_FLOAT -> content.putFloat((float) v);
          case DT_INT32 -> content.putInt((int) Math.round(v));
          default -> throw new IllegalArgumentException("weight '" + w.name() + "': a " + w.dtype() + " weight cannot be quantized");
        }
      }
    }
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long d : w.shape()) shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
    return TensorProto.newBuilder().setDtype(dtype).setTensorShape(shape)
        .setTensorContent(ByteString.copyFrom(content.flip())).build();
  }

  /** IEEE 754 binary16 to float (Java 17 has no Float.float16ToFloat). */
  static float halfToFloat(short half) {
    int h = half & 0xffff;
    int sign = (h >>> 15) << 31;
    int exponent = (h >>> 10) & 0x1f;
    int mantissa = h & 0x3ff;
    if (exponent == 0x1f) return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13)); // inf, NaN
    if (exponent == 0) {
      float magnitude = mantissa * 0x1p-24f; // subnormal (or zero)
      return sign != 0 ? -magnitude : magnitude;
    }
    return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
  }
}
