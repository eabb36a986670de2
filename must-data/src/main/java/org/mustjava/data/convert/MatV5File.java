package org.mustjava.data.convert;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The numeric arrays of a MATLAB level-5 {@code .mat} file (the format before v7.3, as NYU's
 * {@code splits.mat} is): a 128-byte header, then data elements, each variable an {@code miMATRIX}
 * optionally wrapped in a zlib-compressed {@code miCOMPRESSED} element. Only real numeric arrays are
 * read (values as doubles, column-major as stored); cells, structs, strings and sparse or complex
 * arrays are skipped.
 */
public final class MatV5File {
  private static final int MI_INT8 = 1;
  private static final int MI_UINT8 = 2;
  private static final int MI_INT16 = 3;
  private static final int MI_UINT16 = 4;
  private static final int MI_INT32 = 5;
  private static final int MI_UINT32 = 6;
  private static final int MI_SINGLE = 7;
  private static final int MI_DOUBLE = 9;
  private static final int MI_INT64 = 12;
  private static final int MI_UINT64 = 13;
  private static final int MI_MATRIX = 14;
  private static final int MI_COMPRESSED = 15;
  private static final int MX_DOUBLE = 6;
  private static final int MX_UINT64 = 15;

  /** A numeric variable: its dimensions and values in MATLAB's column-major order. */
  public record NumericArray(int[] dims, double[] values) {}

  private MatV5File() {}

  /** Reads every real numeric variable of {@code file}, by name. */
  public static Map<String, NumericArray> read(Path file) throws IOException {
    DatasetFormatException.requireFile(file, "MATLAB .mat file");
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length < 128) {
      throw new DatasetFormatException(file, "too short for a MATLAB level-5 header");
    }
    String text = new String(bytes, 0, 116, StandardCharsets.US_ASCII);
    if (!text.startsWith("MATLAB 5.0 MAT-file")) {
      throw new DatasetFormatException(file, "not a MATLAB level-5 .mat file (header '"
          + text.substring(0, Math.min(30, text.length())).trim() + "...'; v7.3 files are HDF5)");
    }
    ByteOrder order = bytes[126] == 'I' && bytes[127] == 'M' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    ByteBuffer buf = ByteBuffer.wrap(bytes, 128, bytes.length - 128).slice().order(order);
    Map<String, NumericArray> out = new LinkedHashMap<>();
    try {
      while (buf.remaining() >= 8) {
        int type = buf.getInt();
        int size = buf.getInt();
        ByteBuffer body = slice(buf, size);
        if (type == MI_COMPRESSED) {
          ByteBuffer inflated = ByteBuffer.wrap(inflate(file, body)).order(order);
          int innerType = inflated.getInt();
          int innerSize = inflated.getInt();
          if (innerType == MI_MATRIX) {
            matrix(slice(inflated, innerSize), out);
          }
        } else {
          if (type == MI_MATRIX) {
            matrix(body, out);
          }
          skipPadding(buf, size);
        }
      }
    } catch (BufferUnderflowException | IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new DatasetFormatException(file, "truncated or malformed data element", e);
    }
    return out;
  }

  private static void matrix(ByteBuffer m, Map<String, NumericArray> out) {
    Element flags = element(m);
    int mxClass = flags.data.getInt() & 0xff;
    boolean complex = (flags.data.getInt(0) & 0x800) != 0;
    Element dimsElement = element(m);
    int[] dims = new int[dimsElement.size / 4];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = dimsElement.data.getInt();
    }
    Element nameElement = element(m);
    byte[] nameBytes = new byte[nameElement.size];
    nameElement.data.get(nameBytes);
    String name = new String(nameBytes, StandardCharsets.US_ASCII);
    if (mxClass < MX_DOUBLE || mxClass > MX_UINT64 || complex) {
      return; // not a real numeric array
    }
    Element real = element(m);
    out.put(name, new NumericArray(dims, values(real)));
  }

  private record Element(int type, int size, ByteBuffer data) {}

  /** One sub-element, in the normal or the small (4-byte data) format; advances past its padding. */
  private static Element element(ByteBuffer buf) {
    int first = buf.getInt();
    if ((first >>> 16) != 0) {
      int type = first & 0xffff;
      int size = first >>> 16;
      ByteBuffer data = slice(buf, 4);
      return new Element(type, size, data.limit(size));
    }
    int size = buf.getInt();
    ByteBuffer data = slice(buf, size);
    skipPadding(buf, size);
    return new Element(first, size, data);
  }

  private static ByteBuffer slice(ByteBuffer buf, int size) {
    if (size < 0 || size > buf.remaining()) {
      throw new IllegalArgumentException("element of " + size + " bytes, " + buf.remaining() + " left");
    }
    ByteBuffer s = buf.slice().order(buf.order());
    s.limit(size);
    buf.position(buf.position() + size);
    return s;
  }

  private static void skipPadding(ByteBuffer buf, int size) {
    int pad = (8 - size % 8) % 8;
    buf.position(Math.min(buf.limit(), buf.position() + pad));
  }

  /** MATLAB may store a double array in a smaller integer type; the data element's type decides. */
  private static double[] values(Element e) {
    ByteBuffer d = e.data;
    int width = switch (e.type) {
      case MI_INT8, MI_UINT8 -> 1;
      case MI_INT16, MI_UINT16 -> 2;
      case MI_INT32, MI_UINT32, MI_SINGLE -> 4;
      case MI_DOUBLE, MI_INT64, MI_UINT64 -> 8;
      default -> throw new IllegalArgumentException("unsupported numeric data type " + e.type);
    };
    double[] out = new double[e.size / width];
    for (int i = 0; i < out.length; i++) {
      out[i] = switch (e.type) {
        case MI_INT8 -> d.get();
        case MI_UINT8 -> d.get() & 0xff;
        case MI_INT16 -> d.getShort();
        case MI_UINT16 -> d.getShort() & 0xffff;
        case MI_INT32 -> d.getInt();
        case MI_UINT32 -> d.getInt() & 0xffffffffL;
        case MI_SINGLE -> d.getFloat();
        case MI_DOUBLE -> d.getDouble();
        default -> d.getLong();
      };
    }
    return out;
  }

  private static byte[] inflate(Path file, ByteBuffer compressed) throws DatasetFormatException {
    byte[] in = new byte[compressed.remaining()];
    compressed.get(in);
    Inflater inflater = new Inflater();
    inflater.setInput(in);
    ByteArrayOutputStream out = new ByteArrayOutputStream(in.length * 4);
    byte[] chunk = new byte[1 << 16];
    try {
      while (!inflater.finished()) {
        int n = inflater.inflate(chunk);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new DatasetFormatException(file, "truncated compressed element");
        }
        out.write(chunk, 0, n);
      }
    } catch (DataFormatException e) {
      throw new DatasetFormatException(file, "corrupt compressed element: " + e.getMessage(), e);
    } finally {
      inflater.end();
    }
    return out.toByteArray();
  }
}
