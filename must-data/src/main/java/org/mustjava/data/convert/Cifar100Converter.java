package org.mustjava.data.convert;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mustjava.data.convert.PickleReader.NdArray;
import org.mustjava.data.example.FeatureKeys;
import org.mustjava.data.example.ImageCodecs;
import org.mustjava.data.example.MultiTaskExample;

/**
 * CIFAR-100, either the "python version" ({@code cifar-100-python/} with pickled {@code train},
 * {@code test}, {@code meta}) or the "binary version" ({@code cifar-100-binary/} with
 * {@code train.bin}, {@code test.bin}, {@code fine_label_names.txt}); the input may be that
 * directory or its parent. Each 32x32 image becomes a PNG with its fine label (0-99) as
 * {@code image/class/label}; the coarse label is not stored (no standard key).
 */
public final class Cifar100Converter implements DatasetConverter {
  private static final int SIDE = 32;
  private static final int PIXELS = SIDE * SIDE * 3;

  @Override
  public void convert(ConversionJob job) throws IOException {
    Path in = DatasetFormatException.requireDirectory(job.input(), "CIFAR-100 directory");
    Path python = firstDirectoryWith(in, "cifar-100-python", "meta");
    Path binary = firstDirectoryWith(in, "cifar-100-binary", "fine_label_names.txt");
    if (python != null) {
      convertPython(job, python);
    } else if (binary != null) {
      convertBinary(job, binary);
    } else {
      throw new DatasetFormatException(in, "not a CIFAR-100 directory: expected cifar-100-python/meta "
          + "(python version) or cifar-100-binary/fine_label_names.txt (binary version)");
    }
  }

  private static Path firstDirectoryWith(Path in, String name, String marker) {
    for (Path dir : List.of(in, in.resolve(name))) {
      if (Files.isRegularFile(dir.resolve(marker))) {
        return dir;
      }
    }
    return null;
  }

  private static List<String> available(Path dir, String... files) {
    List<String> splits = new ArrayList<>();
    for (String f : files) {
      if (Files.isRegularFile(dir.resolve(f))) {
        splits.add(f.replace(".bin", ""));
      }
    }
    return splits;
  }

  private void convertPython(ConversionJob job, Path dir) throws IOException {
    Path metaFile = dir.resolve("meta");
    Map<?, ?> meta = dict(metaFile, PickleReader.read(metaFile));
    List<String> names = strings(metaFile, meta, "fine_label_names");
    job.writeLabels(LabelMap.ofNames(names, 0));
    for (String split : job.select(available(dir, "train", "test"))) {
      Path file = dir.resolve(split);
      Map<?, ?> batch = dict(file, PickleReader.read(file));
      Object data = PickleReader.get(batch, "data");
      if (!(data instanceof NdArray array) || array.shape().length != 2 || array.shape()[1] != PIXELS
          || !array.dtype().endsWith("u1") || array.fortranOrder()) {
        throw new DatasetFormatException(file, "'data' is not a C-ordered uint8 array of N x " + PIXELS);
      }
      List<Long> labels = longs(file, batch, "fine_labels");
      int n = array.shape()[0];
      if (labels.size() != n) {
        throw new DatasetFormatException(file, labels.size() + " fine_labels for " + n + " images");
      }
      Object filenames = PickleReader.get(batch, "filenames");
      try (SplitWriter out = job.openSplit(split)) {
        for (int i = 0; i < n; i++) {
          String id = filenames instanceof List<?> l && l.size() == n ? l.get(i).toString() : split + "/" + i;
          out.write(example(file, array.data(), i * PIXELS, labels.get(i), names.size(), id));
        }
        job.finish(out);
      }
    }
  }

  private void convertBinary(ConversionJob job, Path dir) throws IOException {
    Path namesFile = dir.resolve("fine_label_names.txt");
    List<String> names = Files.readAllLines(namesFile, StandardCharsets.UTF_8).stream()
        .map(String::strip).filter(s -> !s.isEmpty()).toList();
    job.writeLabels(LabelMap.ofNames(names, 0));
    int recordSize = 2 + PIXELS; // coarse label, fine label, pixels
    for (String split : job.select(available(dir, "train.bin", "test.bin"))) {
      Path file = dir.resolve(split + ".bin");
      byte[] bytes = Files.readAllBytes(file);
      if (bytes.length % recordSize != 0) {
        throw new DatasetFormatException(file, "size " + bytes.length + " is not a multiple of the "
            + recordSize + "-byte record (truncated at record " + bytes.length / recordSize + "?)");
      }
      try (SplitWriter out = job.openSplit(split)) {
        for (int i = 0; i < bytes.length / recordSize; i++) {
          int fine = bytes[i * recordSize + 1] & 0xff;
          out.write(example(file, bytes, i * recordSize + 2, fine, names.size(), split + "/" + i));
        }
        job.finish(out);
      }
    }
  }

  /** CIFAR stores each image as 1024 red, 1024 green, then 1024 blue bytes, rows top to bottom. */
  private static MultiTaskExample example(Path file, byte[] planes, int offset, long label, int classes, String id)
      throws DatasetFormatException {
    if (label < 0 || label >= classes) {
      throw new DatasetFormatException(file, "fine label " + label + " of '" + id + "' is not in 0.." + (classes - 1));
    }
    int plane = SIDE * SIDE;
    byte[] rgb = new byte[PIXELS];
    for (int p = 0; p < plane; p++) {
      rgb[3 * p] = planes[offset + p];
      rgb[3 * p + 1] = planes[offset + plane + p];
      rgb[3 * p + 2] = planes[offset + 2 * plane + p];
    }
    byte[] png = ImageCodecs.encodeRgbPng(rgb, SIDE, SIDE);
    return MultiTaskExample.builder(png, FeatureKeys.FORMAT_PNG, SIDE, SIDE)
        .sourceId(id)
        .classLabel((int) label)
        .build();
  }

  private static Map<?, ?> dict(Path file, Object value) throws DatasetFormatException {
    if (value instanceof Map<?, ?> map) {
      return map;
    }
    throw new DatasetFormatException(file, "expected a pickled dict");
  }

  private static List<String> strings(Path file, Map<?, ?> dict, String key) throws DatasetFormatException {
    if (PickleReader.get(dict, key) instanceof List<?> list) {
      return list.stream().map(Object::toString).toList();
    }
    throw new DatasetFormatException(file, "no list '" + key + "'");
  }

  private static List<Long> longs(Path file, Map<?, ?> dict, String key) throws DatasetFormatException {
    if (PickleReader.get(dict, key) instanceof List<?> list) {
      List<Long> out = new ArrayList<>(list.size());
      for (Object o : list) {
        if (!(o instanceof Long v)) {
          throw new DatasetFormatException(file, "'" + key + "' holds a non-integer " + o);
        }
        out.add(v);
      }
      return out;
    }
    throw new DatasetFormatException(file, "no list '" + key + "'");
  }
}
