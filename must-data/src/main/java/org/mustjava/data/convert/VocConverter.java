package org.mustjava.data.convert;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.mustjava.data.example.MultiTaskExample;
import org.mustjava.data.example.ObjectBoxes;

/**
 * PASCAL VOC 2007/2012 ({@code VOCdevkit/VOC2012}: {@code JPEGImages/}, {@code Annotations/},
 * {@code SegmentationClass/}, {@code ImageSets/Main|Segmentation/SPLIT.txt}), and the same layout as
 * exported by labelme (no {@code ImageSets}, masks in {@code SegmentationClassPNG/}, class list in
 * {@code class_names.txt}).
 *
 * <p>Every image of a split gets its boxes from the annotation XML (class = index in the class list,
 * so 1..20 for VOC's classes and 0 = background is never a box; {@code difficult} kept in
 * {@code image/object/difficult}) and, when a class mask exists for it, the mask (palette index =
 * class, 255 = border/ignore) re-encoded as an 8-bit gray PNG.
 *
 * <p>Options: {@code image_set} = {@code Main} (default) or {@code Segmentation} chooses the split
 * lists (with {@code Segmentation}, a mask is required for every image); {@code labels} = a class
 * list file (line k = class k, line 0 the background) instead of {@code class_names.txt} or VOC's 20
 * classes. Without {@code ImageSets}, all annotated images (or all images) form one split named by
 * {@code --split} (default {@code train}). By default the splits are every list in the image-set
 * folder except per-class lists and {@code trainval} (the union of train and val); ask for
 * {@code --split trainval} explicitly.
 */
public final class VocConverter implements DatasetConverter {
  private static final System.Logger LOG = System.getLogger(VocConverter.class.getName());

  /** Background then the 20 VOC classes: the mask index of each, and its box label. */
  static final List<String> VOC_CLASSES = List.of("background", "aeroplane", "bicycle", "bird", "boat",
      "bottle", "bus", "car", "cat", "chair", "cow", "diningtable", "dog", "horse", "motorbike", "person",
      "pottedplant", "sheep", "sofa", "train", "tvmonitor");

  @Override
  public void convert(ConversionJob job) throws IOException {
    Path root = findRoot(job.input());
    String imageSet = job.option("image_set").orElse("Main");
    if (!imageSet.equals("Main") && !imageSet.equals("Segmentation")) {
      throw new InvalidOptionException("--image_set must be Main or Segmentation, got '" + imageSet + "'");
    }
    boolean requireMasks = imageSet.equals("Segmentation");
    List<String> classes = classList(job, root);
    Map<String, Integer> classIndex = new HashMap<>();
    for (int i = 0; i < classes.size(); i++) {
      classIndex.put(classes.get(i), i);
    }
    job.writeLabels(LabelMap.ofNames(classes, 0));

    Map<String, List<String>> splits = splits(job, root, imageSet);
    for (String split : job.select(new ArrayList<>(splits.keySet()))) {
      try (SplitWriter out = job.openSplit(split)) {
        for (String id : splits.get(split)) {
          out.write(example(root, id, classIndex, classes.size(), requireMasks));
        }
        job.finish(out);
      }
    }
  }

  /** The year directory: the input itself, or its only {@code VOC*} child (a VOCdevkit). */
  private static Path findRoot(Path input) throws IOException {
    DatasetFormatException.requireDirectory(input, "VOC directory");
    if (Files.isDirectory(input.resolve("JPEGImages"))) {
      return input;
    }
    List<Path> years;
    try (Stream<Path> children = Files.list(input)) {
      years = children.filter(p -> p.getFileName().toString().startsWith("VOC")
          && Files.isDirectory(p.resolve("JPEGImages"))).sorted().toList();
    }
    if (years.size() == 1) {
      return years.get(0);
    }
    throw new DatasetFormatException(input, years.isEmpty()
        ? "no JPEGImages/ here or in a VOC*/ sub-directory"
        : "several VOC years " + years.stream().map(p -> p.getFileName().toString()).toList()
            + ": pass one of them as --input");
  }

  private static List<String> classList(ConversionJob job, Path root) throws IOException {
    Path file = job.option("labels").map(Path::of).orElse(root.resolve("class_names.txt"));
    if (job.option("labels").isEmpty() && !Files.isRegularFile(file)) {
      return VOC_CLASSES;
    }
    DatasetFormatException.requireFile(file, "class list");
    List<String> names = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      // labelme writes "__ignore__" (label -1, i.e. 255 in masks) before the background class.
      if (!line.isBlank() && !(names.isEmpty() && line.strip().equals("__ignore__"))) {
        names.add(line.strip());
      }
    }
    if (names.isEmpty() || names.size() > 255) {
      throw new DatasetFormatException(file, names.size() + " classes; expected 1..255 (background first)");
    }
    return names;
  }

  private static Map<String, List<String>> splits(ConversionJob job, Path root, String imageSet)
      throws IOException {
    Map<String, List<String>> splits = new java.util.LinkedHashMap<>();
    Path setDir = root.resolve("ImageSets").resolve(imageSet);
    if (Files.isDirectory(setDir)) {
      List<Path> lists;
      try (Stream<Path> files = Files.list(setDir)) {
        lists = files.filter(p -> p.getFileName().toString().endsWith(".txt")).sorted().toList();
      }
      for (Path list : lists) {
        String name = list.getFileName().toString().replaceFirst("\\.txt$", "");
        if (name.contains("_")) {
          continue; // per-class lists such as cat_train.txt
        }
        if (name.equals("trainval") && !job.requestedSplit().map("trainval"::equals).orElse(false)) {
          continue;
        }
        List<String> ids = new ArrayList<>();
        for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
          String id = line.strip().split("\\s+")[0];
          if (!id.isEmpty()) {
            ids.add(id);
          }
        }
        splits.put(name, ids);
      }
      if (splits.isEmpty()) {
        throw new DatasetFormatException(setDir, "no split lists (train.txt, val.txt, ...)");
      }
      return splits;
    }
    // No ImageSets (e.g. a labelme export): one split of every annotated image, or every image.
    Path annotations = root.resolve("Annotations");
    boolean annotated = Files.isDirectory(annotations);
    Path dir = annotated ? annotations : root.resolve("JPEGImages");
    String ext = annotated ? ".xml" : ".jpg";
    try (Stream<Path> files = Files.list(dir)) {
      splits.put(job.requestedSplit().orElse("train"), files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(ext) && !n.startsWith("."))
          .map(n -> n.substring(0, n.length() - ext.length()))
          .sorted().toList());
    }
    return splits;
  }

  private static MultiTaskExample example(Path root, String id, Map<String, Integer> classIndex,
      int numClasses, boolean requireMask) throws IOException {
    Path imagePath = root.resolve("JPEGImages").resolve(id + ".jpg");
    ImageFile image = ImageFile.read(imagePath);
    MultiTaskExample.Builder b = image.toBuilder().sourceId(id);
    Path annotations = root.resolve("Annotations");
    if (Files.isDirectory(annotations)) {
      VocAnnotation a = VocAnnotation.read(annotations.resolve(id + ".xml"));
      if ((a.width() != 0 || a.height() != 0) && (a.width() != image.width() || a.height() != image.height())) {
        LOG.log(System.Logger.Level.WARNING, "{0}: <size> {1}x{2} differs from the image {3}x{4}; using the image's",
            a.file(), a.width(), a.height(), image.width(), image.height());
      }
      b.boxes(boxes(a, classIndex, image.height(), image.width()));
    }
    Path mask = maskFile(root, id);
    if (mask != null) {
      int[] hw = new int[2];
      byte[] classes = IndexedMask.read(mask, hw);
      if (hw[0] != image.height() || hw[1] != image.width()) {
        throw new DatasetFormatException(mask, "mask is " + hw[0] + "x" + hw[1] + ", image " + imagePath.getFileName()
            + " is " + image.height() + "x" + image.width());
      }
      for (int i = 0; i < classes.length; i++) {
        int v = classes[i] & 0xff;
        if (v >= numClasses && v != 255) {
          throw new DatasetFormatException(mask, "pixel (" + i / hw[1] + ", " + i % hw[1] + ") has class " + v
              + ", not in 0.." + (numClasses - 1) + " or 255");
        }
      }
      b.segmentation(classes);
    } else if (requireMask) {
      throw new DatasetFormatException(root.resolve("SegmentationClass").resolve(id + ".png"),
          "missing segmentation mask of an image listed in ImageSets/Segmentation");
    }
    return b.build();
  }

  private static Path maskFile(Path root, String id) {
    for (String dir : List.of("SegmentationClass", "SegmentationClassPNG")) {
      Path p = root.resolve(dir).resolve(id + ".png");
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }

  /** VOC pixel coordinates divided by the image size (as TF's VOC converter does), clipped to [0, 1]. */
  static ObjectBoxes boxes(VocAnnotation a, Map<String, Integer> classIndex, int height, int width)
      throws DatasetFormatException {
    int n = a.objects().size();
    float[][] boxes = new float[n][];
    int[] classes = new int[n];
    boolean[] difficult = new boolean[n];
    for (int i = 0; i < n; i++) {
      VocAnnotation.VocObject o = a.objects().get(i);
      Integer label = classIndex.get(o.name());
      if (label == null || label == 0) {
        throw new DatasetFormatException(a.file(), "line " + o.line() + ": unknown object class '" + o.name()
            + "' (not in the class list, or the background)");
      }
      float ymin = clip(o.box().ymin() / height);
      float xmin = clip(o.box().xmin() / width);
      float ymax = clip(o.box().ymax() / height);
      float xmax = clip(o.box().xmax() / width);
      if (ymin > ymax || xmin > xmax) {
        throw new DatasetFormatException(a.file(), "line " + o.line() + ": <bndbox> of '" + o.name()
            + "' has min > max");
      }
      boxes[i] = new float[] {ymin, xmin, ymax, xmax};
      classes[i] = label;
      difficult[i] = o.difficult();
    }
    return ObjectBoxes.of(boxes, classes, null, difficult, null);
  }

  private static float clip(double v) {
    return (float) Math.max(0.0, Math.min(1.0, v));
  }
}
