package org.mustjava.data.convert;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.mustjava.core.io.TFRecordReader;
import org.mustjava.data.example.MultiTaskExample;

/** Runs a converter in a test and reads its output back. */
final class Converted {
  private Converted() {}

  static ConversionJob run(DatasetConverter converter, Path input, Path prefix, int shards, String split,
      Map<String, String> options) throws IOException {
    ConversionJob job = new ConversionJob(input, prefix, shards, split, options);
    ConvertDataset.convert(converter, job);
    return job;
  }

  static ConversionJob run(DatasetConverter converter, Path input, Path prefix) throws IOException {
    return run(converter, input, prefix, 1, null, Map.of());
  }

  /** The shard files of a split, in shard order. */
  static List<Path> shards(Path prefix, String split) throws IOException {
    String stem = prefix.getFileName() + "-" + split + "-";
    try (Stream<Path> files = Files.list(prefix.toAbsolutePath().getParent())) {
      return files.filter(p -> p.getFileName().toString().startsWith(stem)
          && p.getFileName().toString().matches(".*-\\d{5}-of-\\d{5}")).sorted().toList();
    }
  }

  /** The examples of a split in the order the converter wrote them (undoing the round-robin). */
  static List<MultiTaskExample> read(Path prefix, String split) throws IOException {
    List<Path> shards = shards(prefix, split);
    if (shards.isEmpty()) {
      throw new IOException("no shards for " + prefix + "-" + split);
    }
    List<List<byte[]>> perShard = new ArrayList<>();
    int total = 0;
    for (Path shard : shards) {
      List<byte[]> records = TFRecordReader.readAll(shard);
      perShard.add(records);
      total += records.size();
    }
    List<MultiTaskExample> out = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      out.add(MultiTaskExample.parseFrom(perShard.get(i % shards.size()).get(i / shards.size())));
    }
    return out;
  }

  /** Every file under {@code dir} (relative path, including hidden ones) with its bytes. */
  static Map<String, byte[]> snapshot(Path dir) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put(dir.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    return files;
  }
}
