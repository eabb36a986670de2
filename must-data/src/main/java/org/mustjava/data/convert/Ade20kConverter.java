package org.mustjava.data.convert;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.mustjava.data.example.FeatureKeys;

/**
 * ADE20K in the scene-parsing challenge layout ({@code ADEChallengeData2016/}: {@code images/training},
 * {@code images/validation} with JPEGs, {@code annotations/training|validation} with 8-bit PNGs of the
 * same base names, {@code objectInfo150.csv}); the input may be that directory or its parent.
 * Splits {@code training} and {@code validation}.
 *
 * <p>Label convention: the annotation value k in 1..150 becomes class k-1 (0..149), and 0 ("other",
 * pixels of none of the 150 classes) becomes 255 = ignore, as is usual for ADE20K training. The
 * class names come from {@code objectInfo150.csv} when it is present.
 */
public final class Ade20kConverter implements DatasetConverter {
  static final int NUM_CLASSES = 150;

  @Override
  public void convert(ConversionJob job) throws IOException {
    Path root = DatasetFormatException.requireDirectory(job.input(), "ADE20K directory");
    if (!Files.isDirectory(root.resolve("images")) && Files.isDirectory(root.resolve("ADEChallengeData2016"))) {
      root = root.resolve("ADEChallengeData2016");
    }
    DatasetFormatException.requireDirectory(root.resolve("images"), "ADE20K images/");
    Path info = root.resolve("objectInfo150.csv");
    if (Files.isRegularFile(info)) {
      job.writeLabels(labels(info));
    }
    List<String> available = new ArrayList<>();
    for (String split : List.of("training", "validation")) {
      if (Files.isDirectory(root.resolve("images").resolve(split))) {
        available.add(split);
      }
    }
    for (String split : job.select(available)) {
      Path imageDir = root.resolve("images").resolve(split);
      Path annotationDir = root.resolve("annotations").resolve(split);
      List<Path> images;
      try (Stream<Path> files = Files.list(imageDir)) {
        images = files.filter(p -> p.getFileName().toString().endsWith(".jpg")).sorted().toList();
      }
      try (SplitWriter out = job.openSplit(split)) {
        for (Path imagePath : images) {
          String stem = imagePath.getFileName().toString().replaceFirst("\\.jpg$", "");
          ImageFile image = ImageFile.read(imagePath);
          Path maskPath = annotationDir.resolve(stem + ".png");
          int[] hw = new int[2];
          byte[] mask = IndexedMask.read(maskPath, hw);
          if (hw[0] != image.height() || hw[1] != image.width()) {
            throw new DatasetFormatException(maskPath, "annotation is " + hw[0] + "x" + hw[1] + ", image is "
                + image.height() + "x" + image.width());
          }
          for (int i = 0; i < mask.length; i++) {
            int v = mask[i] & 0xff;
            if (v > NUM_CLASSES) {
              throw new DatasetFormatException(maskPath, "pixel (" + i / hw[1] + ", " + i % hw[1] + ") has value "
                  + v + ", not in 0.." + NUM_CLASSES);
            }
            mask[i] = (byte) (v == 0 ? FeatureKeys.SEGMENTATION_IGNORE : v - 1);
          }
          out.write(image.toBuilder().sourceId(stem).segmentation(mask).build());
        }
        job.finish(out);
      }
    }
  }

  /** Rows {@code Idx,Ratio,Train,Val,Name} to labels Idx-1 (the name column may hold "a;b;c"). */
  private static LabelMap labels(Path csv) throws IOException {
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    LabelMap map = new LabelMap();
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      String[] cols = lines.get(i).split(",", 5);
      try {
        int idx = Integer.parseInt(cols[0].strip());
        if (idx < 1 || idx > NUM_CLASSES || cols.length < 5) {
          throw new NumberFormatException();
        }
        map.add(idx - 1, cols[4].strip(), Integer.toString(idx));
      } catch (RuntimeException e) {
        throw new DatasetFormatException(csv, "line " + (i + 1) + ": expected Idx(1..150),Ratio,Train,Val,Name");
      }
    }
    return map;
  }
}
