package org.mustjava.experiments.stages;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.ConfigurableModule;
import org.mustjava.core.config.Default;
import org.mustjava.core.io.AtomicFiles;
import org.mustjava.experiments.RunContext;

/** Stages that exist only for the stage cache tests (listed in src/test/resources). */
public final class TestStages implements ConfigurableModule {
  @Override
  public List<Class<?>> configurables() {
    return List.of(ShardStage.class, ShardGrid.class);
  }

  /**
   * Writes {@code shards} files {@code shard-<i>}, each holding {@code value} plus the sum of the
   * numbers in the files it reads, so a test can tell which inputs an output was made from.
   * Records every shard it writes; can be made to fail ("killed") after a number of shards.
   */
  public static final class ShardStage implements Stage {
    /** Stage name -> shards written, in order, over every run since the last {@link #reset}. */
    static final Map<String, List<Integer>> WRITTEN = new ConcurrentHashMap<>();
    /** System property: a file every run appends "name pid" to (for tests with several processes). */
    static final String RUN_LOG = "mustjava.test.run_log";
    /** Stage name -> how many shards to write before failing once. */
    static final Map<String, Integer> KILL_AFTER = new ConcurrentHashMap<>();

    private final String name;
    private final List<String> reads;
    private final int value;
    private final int shards;
    private final boolean resumable;
    /** For grid cells: what they add to the fingerprint and leave out of the grid's config. */
    private final String material;
    private final Set<String> excludes;
    private final long sleepMillis;

    @Configurable("TestStage")
    public ShardStage(String name, @Default("[]") List<String> reads, @Default("0") int value,
        @Default("2") int shards, @Default("False") boolean resumable) {
      this(name, reads, value, shards, resumable, "", Set.of(), 0);
    }

    ShardStage(String name, List<String> reads, int value, int shards, boolean resumable, String material, Set<String> excludes,
        long sleepMillis) {
      this.sleepMillis = sleepMillis;
      this.name = name;
      this.reads = List.copyOf(reads);
      this.value = value;
      this.shards = shards;
      this.resumable = resumable;
      this.material = material;
      this.excludes = excludes;
    }

    @Override
    public String fingerprintMaterial() {
      return material;
    }

    @Override
    public Set<String> fingerprintExcludes() {
      return excludes;
    }

    static void reset() {
      WRITTEN.clear();
      KILL_AFTER.clear();
    }

    static List<Integer> written(String name) {
      return WRITTEN.getOrDefault(name, List.of());
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public boolean resumable() {
      return resumable;
    }

    @Override
    public void run(RunContext context) throws Exception {
      Path dir = context.modelDir().resolve(name);
      long sum = 0;
      for (String pattern : reads) {
        for (Path f : glob(context.modelDir().resolve(pattern))) sum += Long.parseLong(Files.readString(f).strip());
      }
      String runLog = System.getProperty(RUN_LOG);
      if (runLog != null) {
        // Several launcher processes share this file: one short O_APPEND write per run.
        Files.writeString(Path.of(runLog), name + " " + ProcessHandle.current().pid() + "\n",
            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
      }
      Thread.sleep(sleepMillis);
      List<Integer> log = WRITTEN.computeIfAbsent(name, k -> new CopyOnWriteArrayList<>());
      int thisRun = 0;
      for (int i = 0; i < shards; i++) {
        Path shard = dir.resolve("shard-" + i);
        if (Files.exists(shard)) {
          if (!resumable) throw new IllegalStateException(shard + " exists before a clean run");
          continue;
        }
        AtomicFiles.writeString(shard, (value + sum) + "\n");
        log.add(i);
        Integer kill = KILL_AFTER.get(name);
        if (kill != null && ++thisRun == kill) {
          KILL_AFTER.remove(name);
          throw new IllegalStateException("killed after " + kill + " shards");
        }
      }
    }

    static List<Path> glob(Path pattern) throws Exception {
      PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
      List<Path> out = new ArrayList<>();
      try (Stream<Path> s = Files.list(pattern.getParent())) {
        s.filter(m::matches).sorted().forEach(out::add);
      }
      return out;
    }
  }

  /** A grid of one-shard cells {@code <name>/v<value>}, one per value, built in Java. */
  public static final class ShardGrid implements StageGroup {
    private final String name;
    private final List<Stage> parts = new ArrayList<>();

    @Configurable("TestGrid")
    public ShardGrid(String name, List<Integer> values, @Default("[]") List<String> reads, @Default("0") int sleepMs) {
      this.name = name;
      for (int v : values) {
        parts.add(new ShardStage(name + "/v" + v, reads, v, 1, false, "value=" + v, Set.of("TestGrid.values"), sleepMs));
      }
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public List<Stage> parts() {
      return parts;
    }
  }
}
