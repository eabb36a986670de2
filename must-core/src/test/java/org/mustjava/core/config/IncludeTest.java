package org.mustjava.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mustjava.core.config.ConfigAssertions.assertOnlyError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.core.config.Fixtures.Model;

/** {@code include}: relative to the includer first, then the search path; cycles and missing files. */
class IncludeTest {
  @TempDir Path dir;

  private Path write(String relative, String text) throws IOException {
    Path p = dir.resolve(relative);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
    return p;
  }

  private static int depth(Config config) {
    return new Injector(config).create(Model.class).depth();
  }

  @Test
  void includesRelativeToTheIncludingFileBeforeTheSearchPath() throws IOException {
    write("exp/common/model.conf", "Model.depth = 50\n");
    write("lib/common/model.conf", "Model.depth = 101\n");
    Path main = write("exp/main.conf", "include 'common/model.conf'\n");
    Config config = new ConfigLoader(Fixtures.registry()).addSearchPath(dir.resolve("lib")).parseFile(main).build();
    assertEquals(50, depth(config));
  }

  @Test
  void fallsBackToTheSearchPathInOrder() throws IOException {
    write("lib1/model.conf", "Model.depth = 18\n");
    write("lib2/model.conf", "Model.depth = 34\n");
    write("lib2/only2.conf", "Model.width = 2.0\n");
    Path main = write("exp/main.conf", "include 'model.conf'\ninclude \"only2.conf\"\n");
    Config config = new ConfigLoader(Fixtures.registry())
        .addSearchPath(dir.resolve("lib1")).addSearchPath(dir.resolve("lib2")).parseFile(main).build();
    Model model = new Injector(config).create(Model.class);
    assertEquals(18, model.depth());
    assertEquals(2.0, model.width());
  }

  @Test
  void nestedIncludesResolveRelativeToEachIncluder() throws IOException {
    write("exp/a/b/leaf.conf", "Model.depth = 152\n");
    write("exp/a/mid.conf", "include 'b/leaf.conf'\n");
    Path main = write("exp/main.conf", "Model.depth = 1\ninclude 'a/mid.conf'\n");
    assertEquals(152, depth(new ConfigLoader(Fixtures.registry()).parseFile(main).build())); // later statements win
  }

  @Test
  void includingTheSameFileTwiceWithoutACycleIsFine() throws IOException {
    write("exp/base.conf", "Model.depth = 7\n");
    write("exp/x.conf", "include 'base.conf'\n");
    write("exp/y.conf", "include 'base.conf'\n");
    Path main = write("exp/main.conf", "include 'x.conf'\ninclude 'y.conf'\n");
    assertEquals(7, depth(new ConfigLoader(Fixtures.registry()).parseFile(main).build()));
  }

  @Test
  void reportsAMissingIncludeWithTheCandidatesTried() throws IOException {
    Path main = write("exp/main.conf", "Model.depth = 1\ninclude 'nope.conf'\n");
    ConfigLoader loader = new ConfigLoader(Fixtures.registry()).addSearchPath(dir.resolve("lib"));
    ConfigException e = assertThrows(ConfigException.class, () -> loader.parseFile(main));
    assertOnlyError(e, main.toString(), 2, 9, "cannot find included file 'nope.conf' (looked for "
        + dir.resolve("exp/nope.conf") + ", " + dir.resolve("lib/nope.conf") + ")");
  }

  @Test
  void reportsAnIncludeCycleWithTheChain() throws IOException {
    Path a = write("exp/a.conf", "include 'sub/b.conf'\n");
    Path b = write("exp/sub/b.conf", "Model.depth = 1\ninclude '../c.conf'\n");
    write("exp/c.conf", "\n\ninclude 'a.conf'\n");
    ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader(Fixtures.registry()).parseFile(a));
    String c = dir.resolve("exp/c.conf").toString();
    assertOnlyError(e, c, 3, 9, "include cycle: " + a + " -> " + b + " -> " + c + " -> " + a);
    assertEquals(String.join("\n",
        c + ":3:9: error: include cycle: " + a + " -> " + b + " -> " + c + " -> " + a,
        "include 'a.conf'",
        "        ^",
        "  included from " + b + ":2:1",
        "  included from " + a + ":1:1"), e.getMessage());
  }

  @Test
  void reportsASelfInclude() throws IOException {
    Path a = write("exp/a.conf", "include 'a.conf'\n");
    ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader(Fixtures.registry()).parseFile(a));
    assertOnlyError(e, a.toString(), 1, 9, "include cycle: " + a + " -> " + a);
  }

  @Test
  void errorsInsideIncludedFilesNameTheIncluder() throws IOException {
    Path inner = write("exp/inner.conf", "Model.depth = 'x'\n");
    Path main = write("exp/main.conf", "include 'inner.conf'\n");
    ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader(Fixtures.registry()).parseFile(main).build());
    assertOnlyError(e, inner.toString(), 1, 15, "type mismatch: Model.depth expects int, got string 'x'");
    assertEquals(inner + ":1:15: error: type mismatch: Model.depth expects int, got string 'x'\nModel.depth = 'x'\n              ^\n"
        + "  included from " + main + ":1:1", e.getMessage());
  }

  @Test
  void reportsAMissingTopLevelFile() {
    Path missing = dir.resolve("missing.conf");
    ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader(Fixtures.registry()).parseFile(missing));
    assertEquals("error: cannot read config file '" + missing + "': no such file", e.getMessage());
  }

  @Test
  void commandLineBindingsMayIncludeFilesFromTheSearchPath() throws IOException {
    write("lib/deep.conf", "Model.depth = 200\n");
    Config config = new ConfigLoader(Fixtures.registry()).addSearchPath(dir.resolve("lib")).parseBinding("include 'deep.conf'").build();
    assertEquals(200, depth(config));
  }

  @Test
  void rejectsFilesThatAreNotUtf8() throws IOException {
    Path bad = dir.resolve("bad.conf");
    Files.write(bad, new byte[] {'M', '.', 'd', ' ', '=', ' ', '\'', (byte) 0xff, '\''});
    ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader(Fixtures.registry()).parseFile(bad));
    assertEquals("error: config file '" + bad + "' is not valid UTF-8", e.getMessage());
  }
}
