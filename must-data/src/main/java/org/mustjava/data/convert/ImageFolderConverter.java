package org.mustjava.data.convert;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A folder of images. With class sub-folders ({@code DIR/CLASS/....jpg}, any depth below the class
 * folder) each image gets {@code image/class/label} = the index of its folder among the class folders
 * sorted by name (or, with option {@code labels}, its line in that file, so that a validation folder
 * lacking some classes keeps the training indices); without sub-folders the images are unlabelled.
 * One split, named by {@code --split} (default {@code train}). Files are visited in sorted order of
 * their relative path, which is also their source id; hidden files and files that are not
 * {@code .jpg/.jpeg/.png/.bmp/.gif} are skipped.
 */
public final class ImageFolderConverter implements DatasetConverter {
  private static final System.Logger LOG = System.getLogger(ImageFolderConverter.class.getName());
  private static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif");

  @Override
  public void convert(ConversionJob job) throws IOException {
    Path dir = DatasetFormatException.requireDirectory(job.input(), "image folder");
    List<Path> classDirs;
    List<Path> topImages;
    try (Stream<Path> entries = Files.list(dir)) {
      List<Path> visible = entries.filter(p -> !hidden(p.getFileName())).sorted(ImageFolderConverter::byName).toList();
      classDirs = visible.stream().filter(Files::isDirectory).toList();
      topImages = visible.stream().filter(ImageFolderConverter::isImage).toList();
    }
    String split = job.requestedSplit().orElse("train");
    try (SplitWriter out = job.openSplit(split)) {
      if (classDirs.isEmpty()) {
        if (topImages.isEmpty()) {
          throw new DatasetFormatException(dir, "no images and no class folders");
        }
        for (Path image : topImages) {
          out.write(ImageFile.read(image).toBuilder().sourceId(relative(dir, image)).build());
        }
      } else {
        if (!topImages.isEmpty()) {
          throw new DatasetFormatException(topImages.get(0),
              "image next to class folders: put every image in a class folder, or use a flat folder");
        }
        Map<String, Integer> labels = labels(job, classDirs);
        for (Path classDir : classDirs) {
          int label = labels.get(classDir.getFileName().toString());
          for (Path image : imagesUnder(classDir)) {
            out.write(ImageFile.read(image).toBuilder().sourceId(relative(dir, image)).classLabel(label).build());
          }
        }
      }
      job.finish(out);
    }
  }

  private static Map<String, Integer> labels(ConversionJob job, List<Path> classDirs) throws IOException {
    List<String> names;
    var labelsOption = job.option("labels");
    if (labelsOption.isPresent()) {
      Path file = DatasetFormatException.requireFile(Path.of(labelsOption.get()), "class list (--labels)");
      names = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
          .map(String::strip).filter(s -> !s.isEmpty()).toList();
      for (Path classDir : classDirs) {
        if (!names.contains(classDir.getFileName().toString())) {
          throw new DatasetFormatException(classDir, "class folder not listed in " + file);
        }
      }
    } else {
      names = classDirs.stream().map(p -> p.getFileName().toString()).toList();
    }
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      index.put(names.get(i), i);
    }
    job.writeLabels(LabelMap.ofNames(names, 0));
    return index;
  }

  private static List<Path> imagesUnder(Path classDir) throws IOException {
    List<Path> images = new ArrayList<>();
    int skipped = 0;
    try (Stream<Path> files = Files.walk(classDir)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        if (hidden(classDir.relativize(p))) {
          continue;
        }
        if (isImage(p)) {
          images.add(p);
        } else {
          skipped++;
        }
      }
    }
    if (skipped > 0) {
      LOG.log(System.Logger.Level.INFO, "{0}: skipped {1} non-image file(s)", classDir, skipped);
    }
    images.sort((a, b) -> classDir.relativize(a).toString().compareTo(classDir.relativize(b).toString()));
    return images;
  }

  private static boolean hidden(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private static boolean isImage(Path p) {
    String name = p.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return Files.isRegularFile(p) && dot > 0
        && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  private static int byName(Path a, Path b) {
    return a.getFileName().toString().compareTo(b.getFileName().toString());
  }

  private static String relative(Path dir, Path file) {
    return dir.relativize(file).toString().replace('\\', '/');
  }
}
