package org.mustjava.data.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On level-5 files written by scipy.io.savemat (fixtures/nyu/make_splits_mat.py). */
class MatV5FileTest {
  @TempDir Path dir;

  @Test
  void readsCompressedAndUncompressedFiles() throws IOException {
    for (String name : new String[] {"splits.mat", "splits_uncompressed.mat"}) {
      Map<String, MatV5File.NumericArray> vars = MatV5File.read(Fixtures.path("nyu/" + name));
      assertEquals(java.util.Set.of("trainNdxs", "testNdxs"), vars.keySet(), name);
      assertArrayEquals(new int[] {1, 1}, vars.get("trainNdxs").dims());
      assertArrayEquals(new double[] {2}, vars.get("trainNdxs").values());
      assertArrayEquals(new double[] {1}, vars.get("testNdxs").values());
    }
  }

  @Test
  void truncatedAndForeignFilesAreNamed() throws IOException {
    byte[] good = Files.readAllBytes(Fixtures.path("nyu/splits.mat"));
    Path cut = Files.write(dir.resolve("cut.mat"), Arrays.copyOf(good, good.length - 20));
    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> MatV5File.read(cut));
    assertEquals(cut, e.file());
    Path v73 = Fixtures.path("nyu/nyu_depth_v2_labeled.mat");
    e = assertThrows(DatasetFormatException.class, () -> MatV5File.read(v73));
    assertEquals(v73, e.file());
  }
}
