package org.mustjava.data.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mustjava.data.convert.PickleReader.NdArray;

class PickleReaderTest {
  @TempDir Path dir;

  @Test
  void readsPython2CifarBatch() throws IOException {
    // Hand-assembled Python 2 cPickle protocol-2 layout, see fixtures/README.md.
    Map<?, ?> batch = (Map<?, ?>) PickleReader.read(Fixtures.path("cifar100/cifar-100-python/train"));
    NdArray data = (NdArray) PickleReader.get(batch, "data");
    assertEquals("|u1", data.dtype());
    assertArrayEquals(new int[] {3, 3072}, data.shape());
    // Pixel formula of the generator: (seed + 3*i + 5*row + 7*col + 11*channel) % 256, seed 0.
    byte[] raw = data.data();
    assertEquals((byte) ((3 * 2 + 5 * 4 + 7 * 9 + 11 * 1) % 256), raw[2 * 3072 + 1024 + 4 * 32 + 9]);
    assertEquals(List.of(2L, 0L, 3L), PickleReader.get(batch, "fine_labels"));
    assertEquals("training batch 1 of 1", PickleReader.get(batch, "batch_label").toString());
    List<?> names = (List<?>) PickleReader.get(batch, "filenames");
    assertEquals("img_training batch 1 of 1_2.png", names.get(2).toString());
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 4, 5})
  void readsPython3Pickles(int protocol) throws IOException {
    Map<?, ?> d = (Map<?, ?>) PickleReader.read(Fixtures.path("pickle/py3_protocol" + protocol + ".pkl"));
    NdArray data = (NdArray) PickleReader.get(d, "data");
    assertEquals("|u1", data.dtype());
    assertArrayEquals(new int[] {2, 3}, data.shape());
    assertArrayEquals(new byte[] {0, 1, 2, 3, 4, 5}, data.data());
    assertEquals(List.of(1L, 2L), PickleReader.get(d, "fine_labels"));
    assertEquals("py3", d.get("name"));
    assertEquals(BigInteger.TWO.pow(70), d.get("big"));
    assertEquals(Boolean.TRUE, d.get("flag"));
    assertTrue(d.containsKey("none"));
    assertNull(d.get("none"));
    assertEquals(0.25, d.get("ratio"));
    NdArray floats = (NdArray) d.get("floats");
    assertEquals("<f4", floats.dtype());
    float[] values = new float[2];
    ByteBuffer.wrap(floats.data()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    assertArrayEquals(new float[] {1.5f, -2f}, values);
  }

  @Test
  void refusesCodeAndTruncation() throws IOException {
    // cos\nsystem\n(S'echo'\ntR. : the classic malicious pickle must be refused, not run.
    Path evil = Files.write(dir.resolve("evil.pkl"), "\u0080\u0002cos\nsystem\nU\u0004echo\u0085R.".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> PickleReader.read(evil));
    assertTrue(e.getMessage().contains("unsupported pickle global os.system"), e.getMessage());

    byte[] good = Files.readAllBytes(Fixtures.path("cifar100/cifar-100-python/meta"));
    Path cut = Files.write(dir.resolve("cut.pkl"), Arrays.copyOf(good, good.length - 5));
    e = assertThrows(DatasetFormatException.class, () -> PickleReader.read(cut));
    assertTrue(e.getMessage().startsWith(cut + ": truncated pickle"), e.getMessage());
  }
}
