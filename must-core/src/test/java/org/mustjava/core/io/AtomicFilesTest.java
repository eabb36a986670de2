package org.mustjava.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void writesAndReplacesAndCreatesParents() throws IOException {
    Path f = dir.resolve("a/b/metrics.json");
    AtomicFiles.writeString(f, "{\"x\": 1}");
    assertEquals("{\"x\": 1}", Files.readString(f));
    AtomicFiles.write(f, new byte[] {1, 2, 3});
    assertEquals(3, Files.size(f));
    assertEquals(1, count(f.getParent()), "no temporary file left behind");
  }

  @Test
  void failedBodyLeavesOldContentAndNoTemporaryFile() throws IOException {
    Path f = dir.resolve("config.conf");
    AtomicFiles.writeString(f, "old");
    IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
      out.write("half of the new".getBytes());
      throw new IOException("disk full");
    }));
    assertEquals("disk full", e.getMessage());
    assertEquals("old", Files.readString(f));
    assertEquals(1, count(dir));
  }

  @Test
  void bodyMayCloseTheStream() throws IOException {
    Path f = dir.resolve("metrics.json");
    AtomicFiles.write(f, out -> {
      try (var w = new java.io.OutputStreamWriter(out, java.nio.charset.StandardCharsets.UTF_8)) {
        w.write("{}");
      }
    });
    assertEquals("{}", Files.readString(f));
  }

  @Test
  void temporaryNamesAreHidden() throws IOException {
    Path tmp = AtomicFiles.createTempSibling(dir.resolve("train-00000-of-00001"));
    assertEquals(dir, tmp.getParent());
    assertEquals(true, tmp.getFileName().toString().startsWith(".train-00000-of-00001."));
    assertEquals(true, tmp.getFileName().toString().endsWith(".tmp"));
  }

  private static long count(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.count();
    }
  }
}
