package org.mustjava.experiments.stages;

import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What produced a stage's outputs, and its SHA-256, the stage's fingerprint. The material is
 * plain text, one fact per line, so a changed fingerprint can be explained line by line:
 * <pre>
 * stage org.mustjava.experiments.stages.TrainStage smoke
 * config sha256:...                      the stage's own operative config (stage_config.conf)
 * material ...                           Stage#fingerprintMaterial, one entry per line
 * input stage data sha256:...            the fingerprint of each upstream stage
 * input file /data/voc/train-00000-of-00004 size=... mtime=...
 * </pre>
 * An upstream stage enters by its fingerprint, not its output files: fingerprints follow from
 * configs alone, so the whole chain's fingerprints are known before anything runs (which is what
 * {@code --dry_run} reports), and a changed upstream changes every fingerprint downstream.
 */
public final class StageFingerprint {
  private final List<String> material;
  private final String hash;

  private StageFingerprint(List<String> material) {
    this.material = List.copyOf(material);
    this.hash = sha256(String.join("\n", material) + "\n");
  }

  /**
   * The fingerprint of {@code stage}.
   *
   * @param config the stage's operative config (what its construction used); the lines of its
   *     {@link Stage#fingerprintExcludes()} are left out
   * @param upstream each upstream stage's name -> its fingerprint hash
   * @param files each external input file -> its size and modification time
   */
  public static StageFingerprint of(Stage stage, String config, Map<String, String> upstream, Map<String, String> files) {
    List<String> lines = new ArrayList<>();
    lines.add("stage " + stage.getClass().getName() + " " + stage.name());
    lines.add("config sha256:" + sha256(withoutExcluded(config, stage.fingerprintExcludes())));
    for (String m : stage.fingerprintMaterial().lines().toList()) {
      if (!m.isBlank()) lines.add("material " + m.strip());
    }
    upstream.forEach((name, h) -> lines.add("input stage " + name + " sha256:" + h));
    files.forEach((file, stat) -> lines.add("input file " + file + " " + stat));
    return new StageFingerprint(lines);
  }

  /** Parses {@link #fileText()}; null if the text is not a fingerprint file or does not check out. */
  static StageFingerprint parse(String text) {
    List<String> lines = text.lines().toList();
    if (lines.isEmpty() || !lines.get(0).startsWith("fingerprint sha256:")) return null;
    StageFingerprint f = new StageFingerprint(lines.subList(1, lines.size()));
    return f.hash.equals(lines.get(0).substring("fingerprint sha256:".length())) ? f : null;
  }

  /** Hex SHA-256 of the material. */
  public String hash() {
    return hash;
  }

  /** The first 12 hex digits, for messages. */
  public String shortHash() {
    return hash.substring(0, 12);
  }

  public List<String> material() {
    return material;
  }

  /** The content of {@code stage_fingerprint.txt}: the hash line, then the material. */
  String fileText() {
    return "fingerprint sha256:" + hash + "\n" + String.join("\n", material) + "\n";
  }

  /**
   * Why this fingerprint differs from {@code old}, in a few words: the bindings that changed
   * (from the two stage configs), the upstream stages or input files that changed.
   */
  String explainChange(StageFingerprint old, String oldConfig, String newConfig, Set<String> excluded) {
    List<String> reasons = new ArrayList<>();
    Map<String, String> was = keyed(old.material);
    Map<String, String> now = keyed(material);
    Set<String> keys = new LinkedHashSet<>(was.keySet());
    keys.addAll(now.keySet());
    int files = 0;
    String firstFile = null;
    for (String key : keys) {
      String a = was.get(key);
      String b = now.get(key);
      if (Objects.equals(a, b)) continue;
      if (key.equals("config")) {
        reasons.add(configChange(withoutExcluded(oldConfig, excluded), withoutExcluded(newConfig, excluded)));
      } else if (key.startsWith("input stage ")) {
        String name = key.substring("input stage ".length());
        reasons.add(a == null ? "new upstream '" + name + "'" : b == null ? "no longer reads '" + name + "'"
            : "upstream '" + name + "' changed");
      } else if (key.startsWith("input file ")) {
        files++;
        if (firstFile == null) {
          String name = key.substring("input file ".length());
          firstFile = a == null ? "new input file " + name : b == null ? "input file " + name + " gone" : "input file " + name + " changed";
        }
      } else if (key.equals("stage")) {
        reasons.add("stage type changed");
      } else {
        reasons.add("fingerprint material changed");
      }
    }
    if (firstFile != null) reasons.add(files == 1 ? firstFile : firstFile + " (and " + (files - 1) + " more files)");
    return reasons.isEmpty() ? "fingerprint changed" : String.join("; ", new LinkedHashSet<>(reasons));
  }

  /** Material lines keyed by what they describe (the part before the hash or file statistics). */
  private static Map<String, String> keyed(List<String> material) {
    Map<String, String> out = new LinkedHashMap<>();
    int materialLines = 0;
    for (String line : material) {
      String key;
      if (line.startsWith("stage ")) {
        key = "stage";
      } else if (line.startsWith("config ")) {
        key = "config";
      } else if (line.startsWith("input stage ")) {
        key = line.substring(0, line.lastIndexOf(' '));
      } else if (line.startsWith("input file ")) {
        // "input file NAME size=N mtime=T": the name may contain spaces, the statistics do not.
        int mtime = line.lastIndexOf(" mtime=");
        key = line.substring(0, line.lastIndexOf(" size=", mtime));
      } else {
        key = "material " + materialLines++;
      }
      out.put(key, line);
    }
    return out;
  }

  /** The bindings that differ between two stage configs, e.g. {@code Trainer.steps: 24 -> 30}. */
  private static String configChange(String oldConfig, String newConfig) {
    Map<String, String> a = bindings(oldConfig);
    Map<String, String> b = bindings(newConfig);
    Set<String> keys = new LinkedHashSet<>(b.keySet());
    keys.addAll(a.keySet());
    List<String> changes = new ArrayList<>();
    for (String k : keys) {
      String x = a.get(k);
      String y = b.get(k);
      if (Objects.equals(x, y)) continue;
      changes.add(x == null ? k + " = " + y + " (new)" : y == null ? k + " (no longer used)" : k + ": " + x + " -> " + y);
    }
    if (changes.isEmpty()) return "config changed";
    String shown = String.join(", ", changes.subList(0, Math.min(3, changes.size())));
    return "config changed: " + shown + (changes.size() > 3 ? " and " + (changes.size() - 3) + " more" : "");
  }

  /** {@code config} without the binding lines of the {@code excluded} parameters ({@code Name.param}, any scope). */
  static String withoutExcluded(String config, Set<String> excluded) {
    if (excluded.isEmpty()) return config;
    StringBuilder out = new StringBuilder();
    for (String line : config.lines().toList()) {
      int eq = line.indexOf(" = ");
      String key = eq < 0 || line.startsWith("#") ? null : line.substring(line.lastIndexOf('/', eq) + 1, eq);
      if (key == null || !excluded.contains(key)) out.append(line).append('\n');
    }
    return out.toString();
  }

  private static Map<String, String> bindings(String config) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : config.lines().toList()) {
      int eq = line.indexOf(" = ");
      if (line.startsWith("#") || eq < 0) continue;
      out.put(line.substring(0, eq), line.substring(eq + 3));
    }
    return out;
  }

  static String sha256(String text) {
    return Hashing.sha256().hashString(text, StandardCharsets.UTF_8).toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StageFingerprint f && f.hash.equals(hash);
  }

  @Override
  public int hashCode() {
    return hash.hashCode();
  }

  @Override
  public String toString() {
    return "sha256:" + hash;
  }
}
