package org.mustjava.data.convert;

import java.nio.file.Path;
import java.util.Map;

/**
 * Test helper run in a child JVM: converts like the tool does but halts the JVM (no finally blocks,
 * no shutdown hooks: like a kill -9 or a power cut) after a given number of records.
 * Arguments: DATASET INPUT PREFIX SHARDS HALT_AFTER.
 */
public final class CrashingConversion {
  private CrashingConversion() {}

  public static void main(String[] args) throws Exception {
    ConversionJob job = new ConversionJob(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]), null, Map.of());
    int haltAfter = Integer.parseInt(args[4]);
    int[] written = {0};
    job.afterEachRecord(() -> {
      if (++written[0] == haltAfter) {
        Runtime.getRuntime().halt(3);
      }
    });
    ConvertDataset.convert(DatasetConverters.create(args[0]), job);
    System.exit(0);
  }
}
