package org.mustjava.data.convert;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mustjava.data.example.FeatureKeys;
import org.mustjava.data.example.ImageCodecs;
import org.mustjava.data.example.MultiTaskExample;

/**
 * MNIST and Fashion-MNIST: a directory with the four IDX files under their standard names
 * ({@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte},
 * {@code t10k-labels-idx1-ubyte}; also with {@code .gz}, or with a dot before {@code idx}). Splits
 * {@code train} and {@code test}; each 28x28 gray image becomes a PNG, its label
 * {@code image/class/label} (0-9), its source id {@code SPLIT/INDEX}.
 */
public final class MnistConverter implements DatasetConverter {
  static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
  static final List<String> FASHION =
      List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
          "Ankle boot");

  private final List<String> classNames;

  private MnistConverter(List<String> classNames) {
    this.classNames = classNames;
  }

  public static MnistConverter mnist() {
    return new MnistConverter(DIGITS);
  }

  public static MnistConverter fashionMnist() {
    return new MnistConverter(FASHION);
  }

  @Override
  public void convert(ConversionJob job) throws IOException {
    Path dir = DatasetFormatException.requireDirectory(job.input(), "IDX directory");
    List<String> available = new ArrayList<>();
    for (String split : List.of("train", "test")) {
      if (find(dir, split, "images", 3) != null || find(dir, split, "labels", 1) != null) {
        available.add(split);
      }
    }
    if (available.isEmpty()) {
      throw new DatasetFormatException(dir, "no IDX files (expected train-images-idx3-ubyte[.gz], "
          + "train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz])");
    }
    job.writeLabels(LabelMap.ofNames(classNames, 0));
    for (String split : job.select(available)) {
      Path imagesFile = require(dir, split, "images", 3);
      Path labelsFile = require(dir, split, "labels", 1);
      IdxFile images = IdxFile.read(imagesFile);
      IdxFile labels = IdxFile.read(labelsFile);
      int[] shape = images.shape();
      if (shape.length != 3) {
        throw new DatasetFormatException(imagesFile, "expected N x H x W images, found rank " + shape.length);
      }
      if (labels.shape().length != 1 || labels.count() != images.count()) {
        throw new DatasetFormatException(labelsFile, labels.count() + " labels for " + images.count()
            + " images in " + imagesFile.getFileName());
      }
      try (SplitWriter out = job.openSplit(split)) {
        for (int i = 0; i < images.count() && !out.full(); i++) {
          int label = labels.item(i)[0] & 0xff;
          if (label >= classNames.size()) {
            throw new DatasetFormatException(labelsFile, "label " + label + " of item " + i
                + " is not in 0.." + (classNames.size() - 1));
          }
          byte[] png = ImageCodecs.encodeGray8Png(images.item(i), shape[1], shape[2]);
          out.write(MultiTaskExample.builder(png, FeatureKeys.FORMAT_PNG, shape[1], shape[2])
              .sourceId(split + "/" + i)
              .classLabel(label)
              .build());
        }
        job.finish(out);
      }
    }
  }

  /** The IDX file of a split under any of its usual names, or null. */
  private static Path find(Path dir, String split, String kind, int rank) {
    String stem = (split.equals("test") ? "t10k" : "train") + "-" + kind;
    for (String sep : List.of("-", ".")) {
      for (String ext : List.of("", ".gz")) {
        Path p = dir.resolve(stem + sep + "idx" + rank + "-ubyte" + ext);
        if (Files.isRegularFile(p)) {
          return p;
        }
      }
    }
    return null;
  }

  private static Path require(Path dir, String split, String kind, int rank) throws DatasetFormatException {
    Path p = find(dir, split, kind, rank);
    if (p == null) {
      String stem = (split.equals("test") ? "t10k" : "train") + "-" + kind + "-idx" + rank + "-ubyte";
      throw new DatasetFormatException(dir.resolve(stem), "missing IDX file (also looked for .gz)");
    }
    return p;
  }
}
