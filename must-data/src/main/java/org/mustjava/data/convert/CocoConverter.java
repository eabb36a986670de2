package org.mustjava.data.convert;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.mustjava.data.example.FeatureKeys;
import org.mustjava.data.example.MultiTaskExample;
import org.mustjava.data.example.ObjectBoxes;

/**
 * COCO-format data sets: COCO detection ({@code instances_*.json}), Objects365 (same format) and
 * COCO panoptic ({@code panoptic_*.json} + PNGs whose RGB colour encodes the segment id
 * {@code R + 256 G + 256^2 B}), the latter reduced to semantic segmentation.
 *
 * <p>Labels: detection categories, sorted by id, get the contiguous labels 1..K (0 is left for the
 * background, which is never a box; a category with id 0, as labelme's export has for
 * {@code _background_}, is that background); panoptic categories, sorted by id, become mask classes
 * 0..K-1, with 255 for unlabelled pixels (segment id 0). Crowd boxes are kept with
 * {@code image/object/is_crowd} = 1; crowd panoptic segments keep their category. The label map
 * (label, name, category id) is written to {@code PREFIX-labels.txt}. Examples are written in order
 * of image id; images without annotations are kept (no boxes / no mask).
 *
 * <p>Layouts found automatically: COCO's {@code annotations/instances_SPLIT.json} with images in
 * {@code SPLIT/} (else {@code annotations/panoptic_SPLIT.json} with masks in
 * {@code annotations/panoptic_SPLIT/}); Objects365's {@code annotations/*_SPLIT.json} with images in
 * {@code images/SPLIT/} or {@code SPLIT/}; a single {@code annotations.json} (labelme's export) with
 * file names relative to the input directory. Options {@code annotations}, {@code images} and
 * {@code panoptic_masks} name the files directly. A {@code file_name} that is not found under the
 * image directory is also looked for by its last two path components and by its base name
 * (Objects365 file names carry download-specific prefixes).
 */
public final class CocoConverter implements DatasetConverter {
  private static final System.Logger LOG = System.getLogger(CocoConverter.class.getName());

  private final boolean objects365;

  private CocoConverter(boolean objects365) {
    this.objects365 = objects365;
  }

  public static CocoConverter coco() {
    return new CocoConverter(false);
  }

  public static CocoConverter objects365() {
    return new CocoConverter(true);
  }

  /** One split's annotation file and where its images (and panoptic masks) are. */
  private record Source(Path annotations, Path images, Path masks) {}

  @Override
  public void convert(ConversionJob job) throws IOException {
    Path in = DatasetFormatException.requireDirectory(job.input(), "COCO-format directory");
    Map<String, Source> sources = sources(job, in);
    LabelMap written = null;
    for (String split : job.select(new ArrayList<>(sources.keySet()))) {
      Source source = sources.get(split);
      CocoJson coco = CocoJson.read(source.annotations());
      List<CocoJson.Category> categories = new ArrayList<>(coco.categories());
      categories.sort(Comparator.comparingLong(CocoJson.Category::id));
      if (categories.isEmpty()) {
        throw new DatasetFormatException(coco.file(), "no \"categories\"");
      }
      boolean panoptic = coco.isPanoptic() || source.masks() != null;
      if (panoptic && categories.size() > 255) {
        throw new DatasetFormatException(coco.file(), categories.size() + " categories do not fit an 8-bit mask");
      }
      Map<Long, Integer> labels = new HashMap<>();
      LabelMap labelMap = new LabelMap();
      int next = panoptic ? 0 : 1;
      for (CocoJson.Category category : categories) {
        // COCO ids start at 1; an id-0 category (labelme's "_background_") is the detection background.
        int label = !panoptic && category.id() == 0 ? 0 : next++;
        labels.put(category.id(), label);
        labelMap.add(label, category.name(), Long.toString(category.id()));
      }
      if (written == null) {
        job.writeLabels(labelMap);
        written = labelMap;
      } else if (!written.entries().equals(labelMap.entries())) {
        throw new DatasetFormatException(coco.file(), "categories differ from the previous split's");
      }
      try (SplitWriter out = job.openSplit(split)) {
        if (panoptic) {
          writePanoptic(coco, source, labels, out);
        } else {
          writeDetection(coco, source, labels, out);
        }
        job.finish(out);
      }
    }
  }

  private Map<String, Source> sources(ConversionJob job, Path in) throws IOException {
    Map<String, Source> sources = new LinkedHashMap<>();
    String named = job.requestedSplit().orElse("train");
    if (job.option("annotations").isPresent()) {
      Path annotations = Path.of(job.option("annotations").get());
      Path images = job.option("images").map(Path::of).orElse(in);
      Path masks = job.option("panoptic_masks").map(Path::of).orElse(null);
      sources.put(named, new Source(annotations, images, masks));
      return sources;
    }
    Path dir = in.resolve("annotations");
    List<Path> jsons = List.of();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.list(dir)) {
        jsons = files.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p))
            .sorted().toList();
      }
    }
    Path imagesOption = job.option("images").map(Path::of).orElse(null);
    if (objects365) {
      for (Path json : jsons) {
        String stem = json.getFileName().toString().replaceFirst("\\.json$", "");
        String split = stem.substring(stem.lastIndexOf('_') + 1);
        Path images = imagesOption != null ? imagesOption
            : Files.isDirectory(in.resolve("images").resolve(split)) ? in.resolve("images").resolve(split)
            : in.resolve(split);
        sources.put(split, new Source(json, images, null));
      }
    } else {
      for (String kind : List.of("instances_", "panoptic_")) {
        for (Path json : jsons) {
          String name = json.getFileName().toString();
          if (name.startsWith(kind)) {
            String split = name.substring(kind.length(), name.length() - ".json".length());
            Path images = imagesOption != null ? imagesOption : in.resolve(split);
            Path masks = kind.equals("panoptic_") ? dir.resolve("panoptic_" + split) : null;
            sources.put(split, new Source(json, images, masks));
          }
        }
        if (!sources.isEmpty()) {
          break; // instances files win; pass --annotations for a panoptic file next to them
        }
      }
    }
    if (sources.isEmpty() && Files.isRegularFile(in.resolve("annotations.json"))) {
      sources.put(named, new Source(in.resolve("annotations.json"), imagesOption != null ? imagesOption : in, null));
    }
    if (sources.isEmpty()) {
      throw new DatasetFormatException(in, objects365
          ? "no annotations/*_SPLIT.json (or pass --annotations FILE --images DIR)"
          : "no annotations/instances_SPLIT.json, annotations/panoptic_SPLIT.json or annotations.json "
              + "(or pass --annotations FILE --images DIR)");
    }
    return sources;
  }

  /** Image ids in increasing order, each with the indices of its annotations. */
  private static Map<Long, List<Integer>> boxesByImage(CocoJson coco) throws DatasetFormatException {
    Map<Long, List<Integer>> byImage = new java.util.TreeMap<>();
    for (CocoJson.Image image : coco.images()) {
      if (byImage.put(image.id(), new ArrayList<>()) != null) {
        throw new DatasetFormatException(coco.file(), "image id " + image.id() + " appears twice in \"images\"");
      }
    }
    for (int i = 0; i < coco.boxCount(); i++) {
      List<Integer> list = byImage.get(coco.boxImage(i));
      if (list == null) {
        throw new DatasetFormatException(coco.file(), "annotations[" + i + "].image_id " + coco.boxImage(i)
            + " is not in \"images\"");
      }
      list.add(i);
    }
    return byImage;
  }

  private void writeDetection(CocoJson coco, Source source, Map<Long, Integer> labels, SplitWriter out)
      throws IOException {
    Map<Long, CocoJson.Image> images = new HashMap<>();
    coco.images().forEach(im -> images.put(im.id(), im));
    int skipped = 0;
    for (Map.Entry<Long, List<Integer>> entry : boxesByImage(coco).entrySet()) {
      CocoJson.Image meta = images.get(entry.getKey());
      ImageFile image = ImageFile.read(resolve(source.images(), meta.fileName()));
      checkSize(coco, meta, image);
      List<float[]> boxes = new ArrayList<>();
      List<Integer> classes = new ArrayList<>();
      List<Boolean> crowd = new ArrayList<>();
      for (int i : entry.getValue()) {
        Integer label = labels.get(coco.boxCategory(i));
        if (label == null) {
          throw new DatasetFormatException(coco.file(), "annotations[" + i + "].category_id " + coco.boxCategory(i)
              + " is not in \"categories\"");
        }
        if (label == 0) {
          throw new DatasetFormatException(coco.file(), "annotations[" + i + "] is a box of the background category 0");
        }
        float[] xywh = coco.boxXywh(i);
        if (!(xywh[2] > 0 && xywh[3] > 0)) {
          skipped++; // degenerate box: nothing to learn or evaluate
          continue;
        }
        // Normalise by the annotated size, which COCO's pixel coordinates refer to.
        float xmin = clip(xywh[0] / meta.width());
        float ymin = clip(xywh[1] / meta.height());
        float xmax = clip((xywh[0] + xywh[2]) / meta.width());
        float ymax = clip((xywh[1] + xywh[3]) / meta.height());
        boxes.add(new float[] {ymin, xmin, ymax, xmax});
        classes.add(label);
        crowd.add(coco.boxCrowd(i));
      }
      boolean[] crowdFlags = new boolean[crowd.size()];
      for (int k = 0; k < crowdFlags.length; k++) {
        crowdFlags[k] = crowd.get(k);
      }
      out.write(image.toBuilder()
          .sourceId(Long.toString(meta.id()))
          .boxes(ObjectBoxes.of(boxes.toArray(new float[0][]), classes.stream().mapToInt(Integer::intValue).toArray(),
              null, null, crowdFlags))
          .build());
    }
    if (skipped > 0) {
      LOG.log(System.Logger.Level.INFO, "{0}: skipped {1} box(es) of zero width or height", coco.file(), skipped);
    }
  }

  private void writePanoptic(CocoJson coco, Source source, Map<Long, Integer> labels, SplitWriter out)
      throws IOException {
    if (source.masks() == null) {
      throw new DatasetFormatException(coco.file(), "a panoptic file needs --panoptic_masks DIR (the PNGs)");
    }
    Map<Long, CocoJson.PanopticAnnotation> byImage = new HashMap<>();
    for (CocoJson.PanopticAnnotation a : coco.panopticAnnotations()) {
      byImage.put(a.imageId(), a);
    }
    List<CocoJson.Image> images = new ArrayList<>(coco.images());
    images.sort(Comparator.comparingLong(CocoJson.Image::id));
    for (CocoJson.Image meta : images) {
      ImageFile image = ImageFile.read(resolve(source.images(), meta.fileName()));
      checkSize(coco, meta, image);
      MultiTaskExample.Builder b = image.toBuilder().sourceId(Long.toString(meta.id()));
      CocoJson.PanopticAnnotation a = byImage.get(meta.id());
      if (a != null) {
        b.segmentation(semantic(coco, source.masks().resolve(a.fileName()), a, labels, image));
      }
      out.write(b.build());
    }
  }

  /** Maps each pixel's segment id to its category's class; id 0 (unlabelled) becomes 255. */
  private static byte[] semantic(CocoJson coco, Path png, CocoJson.PanopticAnnotation a,
      Map<Long, Integer> labels, ImageFile image) throws IOException {
    DatasetFormatException.requireFile(png, "panoptic PNG");
    Map<Integer, Integer> classOf = new HashMap<>();
    classOf.put(0, FeatureKeys.SEGMENTATION_IGNORE);
    for (CocoJson.Segment s : a.segments()) {
      Integer label = labels.get(s.categoryId());
      if (label == null) {
        throw new DatasetFormatException(coco.file(), "segment " + s.id() + " of image " + a.imageId()
            + " has category_id " + s.categoryId() + ", not in \"categories\"");
      }
      classOf.put((int) s.id(), label);
    }
    BufferedImage img;
    try {
      img = ImageIO.read(png.toFile());
    } catch (IOException e) {
      throw new DatasetFormatException(png, "unreadable PNG: " + e.getMessage(), e);
    }
    if (img == null) {
      throw new DatasetFormatException(png, "not a PNG image");
    }
    if (img.getHeight() != image.height() || img.getWidth() != image.width()) {
      throw new DatasetFormatException(png, "mask is " + img.getHeight() + "x" + img.getWidth() + ", image is "
          + image.height() + "x" + image.width());
    }
    int h = img.getHeight();
    int w = img.getWidth();
    byte[] classes = new byte[h * w];
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      img.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int rgb = row[x];
        int id = ((rgb >> 16) & 0xff) + 256 * ((rgb >> 8) & 0xff) + 65536 * (rgb & 0xff);
        Integer label = classOf.get(id);
        if (label == null) {
          throw new DatasetFormatException(png, "pixel (" + y + ", " + x + ") has segment id " + id
              + ", which is not in the segments_info of image " + a.imageId());
        }
        classes[y * w + x] = (byte) (int) label;
      }
    }
    return classes;
  }

  private static void checkSize(CocoJson coco, CocoJson.Image meta, ImageFile image) throws DatasetFormatException {
    if (meta.height() != image.height() || meta.width() != image.width()) {
      throw new DatasetFormatException(coco.file(), "image " + meta.id() + " (" + meta.fileName() + ") is "
          + image.height() + "x" + image.width() + " but annotated as " + meta.height() + "x" + meta.width());
    }
  }

  /** {@code root/fileName}, else by its last two path components, else by its base name. */
  static Path resolve(Path root, String fileName) throws DatasetFormatException {
    Path full = root.resolve(fileName);
    if (Files.isRegularFile(full)) {
      return full;
    }
    Path name = Path.of(fileName);
    int n = name.getNameCount();
    if (n >= 2 && Files.isRegularFile(root.resolve(name.subpath(n - 2, n)))) {
      return root.resolve(name.subpath(n - 2, n));
    }
    if (Files.isRegularFile(root.resolve(name.getFileName()))) {
      return root.resolve(name.getFileName());
    }
    throw new DatasetFormatException(full, "missing image (file_name '" + fileName + "')");
  }

  private static float clip(float v) {
    return Math.max(0f, Math.min(1f, v));
  }
}
