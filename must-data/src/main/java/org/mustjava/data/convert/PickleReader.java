package org.mustjava.data.convert;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, safe reader for Python pickles of plain data and NumPy arrays: enough for the CIFAR
 * "python version" files (protocol 2, written by Python 2's cPickle) and for the same dictionaries
 * re-saved by Python 3 (protocols 2 to 5). No code is ever run: the only globals understood are the
 * NumPy array/dtype reconstructors and {@code _codecs.encode}; anything else is an error.
 *
 * <p>Python values map to Java as: dict to {@link LinkedHashMap}, list to {@link ArrayList}, tuple
 * to {@link List} (unmodifiable), int to {@link Long} (or {@link BigInteger}), float to {@link
 * Double}, bool to {@link Boolean}, None to {@code null}, unicode str to {@link String}, Python 2
 * str and Python 3 bytes to {@link PickleBytes}, numpy.ndarray to {@link NdArray}.
 */
public final class PickleReader {
  /** Raw bytes; compares by content so it can be a dictionary key. */
  public record PickleBytes(byte[] bytes) {
    @Override
    public boolean equals(Object o) {
      return o instanceof PickleBytes other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  /** A NumPy array: dtype descriptor such as {@code |u1} or {@code <f4}, shape, raw data. */
  public record NdArray(String dtype, int[] shape, boolean fortranOrder, byte[] data) {}

  private record Global(String module, String name) {}

  /** A numpy dtype; mutable because BUILD completes it after it may have been memoised. */
  private static final class Dtype {
    String descr;

    Dtype(String descr) {
      this.descr = descr;
    }
  }

  /** Result of {@code numpy.core.multiarray._reconstruct}, filled in by BUILD. */
  private static final class PendingArray {
    NdArray array;
  }

  private static final Object MARK = new Object();

  private final Path file;
  private final InputStream in;
  private long offset;
  private final List<Object> stack = new ArrayList<>();
  private final List<Integer> marks = new ArrayList<>();
  private final Map<Integer, Object> memo = new HashMap<>();

  private PickleReader(Path file, InputStream in) {
    this.file = file;
    this.in = in;
  }

  /** Reads the single object pickled in {@code file}. */
  public static Object read(Path file) throws IOException {
    DatasetFormatException.requireFile(file, "pickle file");
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      return new PickleReader(file, in).load();
    }
  }

  /** Looks a key up in an unpickled dict whether it was pickled as str, bytes or unicode. */
  public static Object get(Map<?, ?> dict, String key) {
    Object value = dict.get(key);
    if (value == null) {
      value = dict.get(new PickleBytes(key.getBytes(StandardCharsets.UTF_8)));
    }
    return value;
  }

  private Object load() throws IOException {
    while (true) {
      long opOffset = offset;
      int op = readByte();
      switch (op) {
        case 0x80 -> { // PROTO
          int protocol = readByte();
          if (protocol > 5) {
            throw error(opOffset, "unsupported pickle protocol " + protocol);
          }
        }
        case 0x95 -> readLong(8); // FRAME: framing is only a buffering hint
        case '.' -> { // STOP
          if (stack.size() != 1) {
            throw error(opOffset, "pickle ends with " + stack.size() + " values on the stack");
          }
          return resolve(stack.get(0));
        }
        case '(' -> { // MARK
          marks.add(stack.size());
          stack.add(MARK);
        }
        case ')' -> push(List.of());
        case ']' -> push(new ArrayList<>());
        case '}' -> push(new LinkedHashMap<>());
        case 'N' -> push(null);
        case 0x88 -> push(Boolean.TRUE);
        case 0x89 -> push(Boolean.FALSE);
        case 'J' -> push((long) (int) readLong(4));
        case 'K' -> push(readLong(1));
        case 'M' -> push(readLong(2));
        case 0x8a -> push(readLittleEndianInteger(readInt(1)));
        case 0x8b -> push(readLittleEndianInteger(readInt(4)));
        case 'G' -> push(ByteBuffer.wrap(readBytes(8)).order(ByteOrder.BIG_ENDIAN).getDouble());
        case 'I' -> push(parseTextInt(opOffset, readLine()));
        case 'L' -> push(parseTextInt(opOffset, readLine().replace("L", "")));
        case 'U', 'C' -> push(new PickleBytes(readBytes(readInt(1))));
        case 'T', 'B' -> push(new PickleBytes(readBytes(readInt(4))));
        case 0x8e, 0x96 -> push(new PickleBytes(readBytes(readInt(8))));
        case 0x8c -> push(new String(readBytes(readInt(1)), StandardCharsets.UTF_8));
        case 'X' -> push(new String(readBytes(readInt(4)), StandardCharsets.UTF_8));
        case 0x8d -> push(new String(readBytes(readInt(8)), StandardCharsets.UTF_8));
        case 0x85 -> push(tuple(1));
        case 0x86 -> push(tuple(2));
        case 0x87 -> push(tuple(3));
        case 't' -> push(Arrays.asList(popMark().toArray()));
        case 'l' -> push(new ArrayList<>(popMark()));
        case 'd' -> {
          List<Object> items = popMark();
          Map<Object, Object> dict = new LinkedHashMap<>();
          for (int i = 0; i + 1 < items.size(); i += 2) {
            dict.put(items.get(i), items.get(i + 1));
          }
          push(dict);
        }
        case 'a' -> {
          Object value = pop();
          asList(opOffset, peek()).add(value);
        }
        case 'e' -> {
          List<Object> items = popMark();
          asList(opOffset, peek()).addAll(items);
        }
        case 's' -> {
          Object value = pop();
          Object key = pop();
          asDict(opOffset, peek()).put(key, value);
        }
        case 'u' -> {
          List<Object> items = popMark();
          Map<Object, Object> dict = asDict(opOffset, peek());
          for (int i = 0; i + 1 < items.size(); i += 2) {
            dict.put(items.get(i), items.get(i + 1));
          }
        }
        case 'q' -> memo.put(readInt(1), peek());
        case 'r' -> memo.put(readInt(4), peek());
        case 'p' -> memo.put((int) parseTextInt(opOffset, readLine()), peek());
        case 0x94 -> memo.put(memo.size(), peek());
        case 'h' -> push(memoGet(opOffset, readInt(1)));
        case 'j' -> push(memoGet(opOffset, readInt(4)));
        case 'g' -> push(memoGet(opOffset, (int) parseTextInt(opOffset, readLine())));
        case '0' -> pop();
        case '1' -> popMark();
        case '2' -> push(peek());
        case 'c' -> push(new Global(readLine(), readLine()));
        case 0x93 -> {
          Object name = pop();
          Object module = pop();
          push(new Global(String.valueOf(module), String.valueOf(name)));
        }
        case 'R' -> {
          Object args = pop();
          Object callable = pop();
          push(call(opOffset, callable, args));
        }
        case 'b' -> {
          Object state = pop();
          build(opOffset, peek(), state);
        }
        default -> throw error(opOffset, String.format("unsupported pickle opcode 0x%02x", op));
      }
    }
  }

  private Object call(long opOffset, Object callable, Object args) throws IOException {
    if (!(callable instanceof Global global) || !(args instanceof List<?> argList)) {
      throw error(opOffset, "REDUCE on a non-global " + describe(callable));
    }
    String module = global.module();
    String name = global.name();
    boolean numpyCore = module.equals("numpy.core.multiarray") || module.equals("numpy._core.multiarray");
    if (numpyCore && name.equals("_reconstruct")) {
      return new PendingArray();
    }
    if (module.equals("numpy") && name.equals("dtype")) {
      return new Dtype(String.valueOf(argList.get(0)));
    }
    if ((module.equals("numpy.core.numeric") || module.equals("numpy._core.numeric"))
        && name.equals("_frombuffer")) {
      // (buffer, dtype, shape, order): the in-band buffer form used by protocol 5.
      byte[] data = ((PickleBytes) argList.get(0)).bytes();
      return new NdArray(
          dtypeDescr(opOffset, argList.get(1)),
          shape(opOffset, argList.get(2)),
          "F".equals(String.valueOf(argList.get(3))),
          data);
    }
    if (module.equals("_codecs") && name.equals("encode")) {
      // Python 3 pickles bytes at protocol 2 as _codecs.encode(latin-1 text, 'latin1').
      return new PickleBytes(String.valueOf(argList.get(0)).getBytes(StandardCharsets.ISO_8859_1));
    }
    throw error(opOffset, "unsupported pickle global " + module + "." + name);
  }

  private void build(long opOffset, Object target, Object state) throws IOException {
    if (target instanceof Dtype dtype && state instanceof List<?> s && s.size() > 1) {
      // numpy dtype state: (version, byte-order char, ...); the order char completes the descr.
      String order = String.valueOf(s.get(1));
      String descr = dtype.descr;
      if (!descr.isEmpty() && "<>|=".indexOf(descr.charAt(0)) < 0) {
        dtype.descr = (order.equals("=") ? "<" : order) + descr;
      }
      return;
    }
    if (target instanceof PendingArray pending && state instanceof List<?> s && s.size() == 5) {
      // ndarray state: (version, shape, dtype, is_fortran, raw bytes).
      if (!(s.get(4) instanceof PickleBytes raw)) {
        throw error(opOffset, "numpy array holds Python objects, not raw data");
      }
      pending.array =
          new NdArray(
              dtypeDescr(opOffset, s.get(2)),
              shape(opOffset, s.get(1)),
              Boolean.TRUE.equals(s.get(3)),
              raw.bytes());
      return;
    }
    throw error(opOffset, "BUILD on unsupported object " + describe(target));
  }

  private String dtypeDescr(long opOffset, Object dtype) throws IOException {
    if (dtype instanceof Dtype d) {
      return d.descr;
    }
    throw error(opOffset, "expected a numpy dtype, found " + describe(dtype));
  }

  private int[] shape(long opOffset, Object value) throws IOException {
    if (!(value instanceof List<?> dims)) {
      throw error(opOffset, "expected an array shape tuple, found " + describe(value));
    }
    int[] shape = new int[dims.size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = ((Number) dims.get(i)).intValue();
    }
    return shape;
  }

  /** Replaces reconstructed-array placeholders by their arrays, recursively. */
  private static Object resolve(Object value) {
    if (value instanceof PendingArray pending) {
      return pending.array;
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(resolve(k), resolve(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object v : list) {
        out.add(resolve(v));
      }
      return out;
    }
    return value;
  }

  private List<Object> tuple(int n) {
    Object[] items = new Object[n];
    for (int i = n - 1; i >= 0; i--) {
      items[i] = pop();
    }
    return Arrays.asList(items);
  }

  private List<Object> popMark() throws IOException {
    if (marks.isEmpty()) {
      throw error(offset, "pickle has no MARK to pop");
    }
    int mark = marks.remove(marks.size() - 1);
    List<Object> items = new ArrayList<>(stack.subList(mark + 1, stack.size()));
    stack.subList(mark, stack.size()).clear();
    return items;
  }

  private void push(Object value) {
    stack.add(value);
  }

  private Object pop() {
    return stack.remove(stack.size() - 1);
  }

  private Object peek() {
    return stack.get(stack.size() - 1);
  }

  private Object memoGet(long opOffset, int key) throws IOException {
    if (!memo.containsKey(key)) {
      throw error(opOffset, "pickle memo has no entry " + key);
    }
    return memo.get(key);
  }

  @SuppressWarnings("unchecked")
  private List<Object> asList(long opOffset, Object value) throws IOException {
    if (value instanceof ArrayList<?>) {
      return (List<Object>) value;
    }
    throw error(opOffset, "APPEND to " + describe(value));
  }

  @SuppressWarnings("unchecked")
  private Map<Object, Object> asDict(long opOffset, Object value) throws IOException {
    if (value instanceof Map<?, ?>) {
      return (Map<Object, Object>) value;
    }
    throw error(opOffset, "SETITEM on " + describe(value));
  }

  private static String describe(Object value) {
    return value == null ? "None" : value.getClass().getSimpleName();
  }

  private int readByte() throws IOException {
    int b = in.read();
    if (b < 0) {
      throw error(offset, "truncated pickle (no STOP opcode)");
    }
    offset++;
    return b;
  }

  private byte[] readBytes(int n) throws IOException {
    if (n < 0) {
      throw error(offset, "negative length " + n);
    }
    byte[] bytes = in.readNBytes(n);
    if (bytes.length != n) {
      throw error(offset, "truncated pickle: wanted " + n + " bytes, found " + bytes.length);
    }
    offset += n;
    return bytes;
  }

  private long readLong(int width) throws IOException {
    long value = 0;
    byte[] bytes = readBytes(width);
    for (int i = width - 1; i >= 0; i--) {
      value = (value << 8) | (bytes[i] & 0xff);
    }
    return value;
  }

  private int readInt(int width) throws IOException {
    long value = readLong(width);
    if (value > Integer.MAX_VALUE - 8 || value < 0) {
      throw error(offset, "length " + value + " too large");
    }
    return (int) value;
  }

  private Object readLittleEndianInteger(int n) throws IOException {
    byte[] little = readBytes(n);
    if (n == 0) {
      return 0L;
    }
    byte[] big = new byte[n];
    for (int i = 0; i < n; i++) {
      big[i] = little[n - 1 - i];
    }
    BigInteger value = new BigInteger(big);
    return value.bitLength() < 64 ? (Object) value.longValue() : value;
  }

  private String readLine() throws IOException {
    StringBuilder line = new StringBuilder();
    int b;
    while ((b = readByte()) != '\n') {
      line.append((char) b);
    }
    return line.toString();
  }

  private long parseTextInt(long opOffset, String text) throws IOException {
    try {
      return switch (text.trim()) {
        case "00" -> 0;
        case "01" -> 1;
        default -> Long.parseLong(text.trim());
      };
    } catch (NumberFormatException e) {
      throw error(opOffset, "bad integer '" + text + "'");
    }
  }

  private DatasetFormatException error(long at, String message) {
    return new DatasetFormatException(file, message + " (byte offset " + at + ")");
  }
}
