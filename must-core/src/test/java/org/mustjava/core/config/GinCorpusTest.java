package org.mustjava.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Real gin files from public repositories must parse: syntax and includes (their configurables are
 * Python functions, so unknown-name errors, which {@link ConfigLoader#build()} would report, are
 * not looked at).
 *
 * <p>The fixtures under {@code src/test/resources/gin-corpus/REPO/...} are a sample (sources in its
 * SOURCES.md); a whole corpus laid out the same way ({@code DIR/REPO/path/in/repo.gin}) is measured
 * with
 *
 * <pre>
 * mvn -o -B -q -pl must-core -am test -Dtest=GinCorpusTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dgin.corpus=DIR
 * </pre>
 *
 * which prints the pass rate and the first error of each failing file. Includes resolve against the
 * file's repository directory, then against the directories that {@code DIR/search-paths.txt} lists
 * (one per line, relative to DIR), as a project's {@code gin.add_config_file_search_path} would.
 */
class GinCorpusTest {
  private static final Path FIXTURES = Path.of("src/test/resources/gin-corpus");

  @Test
  void everyFixtureParses() {
    Result result = parseAll(FIXTURES);
    assertTrue(result.total() >= 30, "expected a few dozen fixtures, found " + result.total());
    assertEquals(List.of(), result.failures(), () -> result.report());
  }

  @Test
  void reportsPassRateOfACorpus() {
    String dir = System.getProperty("gin.corpus");
    Assumptions.assumeTrue(dir != null && !dir.isEmpty(), "set -Dgin.corpus=DIR to measure a corpus");
    Result result = parseAll(Path.of(dir));
    System.out.println(result.report());
  }

  /**
   * With {@code -Dgin.corpus=DIR -Dgin.dump=FILE}, writes every statement of every corpus file as
   * {@code file|scope|name|param|shape} lines, to compare with what gin's own parser reads (the
   * shape of a value is its structure: i, f, s, b, n, [..], (..), {k:v}, %macro, @ref()).
   */
  @Test
  void dumpsStatementsForComparisonWithGin() throws IOException {
    String dir = System.getProperty("gin.corpus");
    String dump = System.getProperty("gin.dump");
    Assumptions.assumeTrue(dir != null && dump != null, "set -Dgin.corpus=DIR -Dgin.dump=FILE to dump statements");
    Path root = Path.of(dir);
    List<String> lines = new ArrayList<>();
    for (Path file : ginFiles(root)) {
      String name = root.relativize(file).toString();
      try {
        for (Statement st : Parser.parseStatements(new Source(name, file, Files.readString(file), null))) {
          if (st instanceof Statement.Binding b) {
            lines.add(name + "|" + b.scope() + "|" + b.name() + "|" + b.param() + "|" + shape(b.value()));
          } else if (st instanceof Statement.MacroDefinition m) {
            lines.add(name + "|" + m.name() + "|" + shape(m.value()));
          } else if (st instanceof Statement.Include i) {
            lines.add(name + "|include " + i.path());
          } else if (st instanceof Statement.Import i) {
            lines.add(name + "|" + i.text());
          }
        }
      } catch (ConfigException e) {
        lines.add(name + "|ERROR");
      }
    }
    Files.write(Path.of(dump), lines);
  }

  private static String shape(ConfigValue v) {
    if (v instanceof ConfigValue.IntValue) {
      return "i";
    } else if (v instanceof ConfigValue.FloatValue) {
      return "f";
    } else if (v instanceof ConfigValue.StringValue) {
      return "s";
    } else if (v instanceof ConfigValue.BoolValue) {
      return "b";
    } else if (v instanceof ConfigValue.NoneValue) {
      return "n";
    } else if (v instanceof ConfigValue.ListValue l) {
      return "[" + String.join(",", l.items().stream().map(GinCorpusTest::shape).toList()) + "]";
    } else if (v instanceof ConfigValue.TupleValue t) {
      return "(" + String.join(",", t.items().stream().map(GinCorpusTest::shape).toList()) + ")";
    } else if (v instanceof ConfigValue.DictValue d) {
      return "{" + String.join(",", d.entries().stream().map(e -> shape(e.key()) + ":" + shape(e.value())).toList()) + "}";
    } else if (v instanceof ConfigValue.RequiredValue) {
      return "%gin.REQUIRED";
    }
    return ValueWriter.write(v);
  }

  /** Files parsed, and the first error of each file that did not parse. */
  record Result(int total, List<String> failures) {
    String report() {
      StringBuilder out = new StringBuilder();
      for (String f : failures) {
        out.append("FAIL ").append(f).append('\n');
      }
      int passed = total - failures.size();
      out.append(String.format("gin corpus: %d of %d files parse (%.1f%%)", passed, total, total == 0 ? 0.0 : 100.0 * passed / total));
      return out.toString();
    }
  }

  /** Parses every {@code .gin} file under {@code root}; each first-level directory is a repository (the include search path). */
  static Result parseAll(Path root) {
    Map<String, String> failures = new TreeMap<>();
    List<Path> searchPath = new ArrayList<>();
    Path listed = root.resolve("search-paths.txt");
    try {
      if (Files.exists(listed)) {
        for (String line : Files.readAllLines(listed)) {
          if (!line.isBlank() && !line.startsWith("#")) {
            searchPath.add(root.resolve(line.strip()));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int total = 0;
    for (Path file : ginFiles(root)) {
      total++;
      Path repo = root.resolve(root.relativize(file).getName(0));
      ConfigLoader loader = new ConfigLoader(new ConfigRegistry()).addSearchPath(repo);
      searchPath.forEach(loader::addSearchPath);
      try {
        loader.parseFile(file);
      } catch (ConfigException e) {
        failures.put(root.relativize(file).toString(), e.first().format().lines().findFirst().orElse(""));
      }
    }
    List<String> lines = new ArrayList<>();
    failures.forEach((file, error) -> lines.add(file + ": " + error));
    return new Result(total, lines);
  }

  private static List<Path> ginFiles(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(p -> p.toString().endsWith(".gin") && Files.isRegularFile(p)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
