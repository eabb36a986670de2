package org.mustjava.experiments.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What a benchmark prints about the machine: cores, CPU model and the load average (the machine
 * is shared, so every figure in BENCHMARKS.md goes with the load it was measured under).
 */
public final class MachineInfo {
  private MachineInfo() {}

  /** The 1-, 5- and 15-minute load averages from {@code /proc/loadavg}, or "unknown". */
  public static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /** One line: cores visible to the JVM, CPU model, Java version. */
  public static String describe() {
    return String.format(Locale.ROOT, "%d cores visible to the JVM, %s, Java %s",
        Runtime.getRuntime().availableProcessors(), cpuModel(), System.getProperty("java.version"));
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst().orElse(System.getProperty("os.arch"));
    } catch (IOException | RuntimeException e) {
      return System.getProperty("os.arch");
    }
  }
}
