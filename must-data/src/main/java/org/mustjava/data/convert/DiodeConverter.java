package org.mustjava.data.convert;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.mustjava.data.example.DepthMap;
import org.mustjava.data.example.MultiTaskExample;

/**
 * DIODE ({@code train|val/indoors|outdoor/scene_*&#47;scan_*&#47;NAME.png} with {@code NAME_depth.npy}
 * (H x W x 1 metres), {@code NAME_depth_mask.npy} (H x W, non-zero = valid) and, from the separate
 * normals download, {@code NAME_normal.npy} (H x W x 3)). Splits {@code train} and {@code val}.
 *
 * <p>Depth is stored as metric raw float32 with invalid pixels (mask 0) set to 0, so outdoor ranges
 * of hundreds of metres keep full precision. Normals, when present (next to the depth files, or under
 * the tree given by option {@code normals}), are stored as DIODE gives them; DIODE's axis convention
 * has not been checked against the project's OpenCV camera frame (see docs/datasets.md).
 */
public final class DiodeConverter implements DatasetConverter {
  @Override
  public void convert(ConversionJob job) throws IOException {
    Path root = DatasetFormatException.requireDirectory(job.input(), "DIODE directory");
    Path normalsRoot = job.option("normals").map(Path::of).orElse(root);
    List<String> available = new ArrayList<>();
    for (String split : List.of("train", "val")) {
      if (Files.isDirectory(root.resolve(split))) {
        available.add(split);
      }
    }
    if (available.isEmpty()) {
      throw new DatasetFormatException(root, "no train/ or val/ directory");
    }
    for (String split : job.select(available)) {
      List<Path> images;
      try (Stream<Path> files = Files.walk(root.resolve(split))) {
        images = files.filter(p -> p.getFileName().toString().endsWith(".png") && Files.isRegularFile(p))
            .map(root::relativize).sorted((a, b) -> a.toString().compareTo(b.toString())).toList();
      }
      try (SplitWriter out = job.openSplit(split)) {
        for (Path relative : images) {
          out.write(example(root, normalsRoot, relative));
        }
        job.finish(out);
      }
    }
  }

  private static MultiTaskExample example(Path root, Path normalsRoot, Path relative) throws IOException {
    Path imagePath = root.resolve(relative);
    String stem = relative.toString().replaceFirst("\\.png$", "");
    ImageFile image = ImageFile.read(imagePath);
    int h = image.height();
    int w = image.width();
    Path depthPath = root.resolve(stem + "_depth.npy");
    Path maskPath = root.resolve(stem + "_depth_mask.npy");
    NpyArray depth = NpyArray.read(depthPath);
    checkShape(depthPath, depth, h, w, 1);
    NpyArray mask = NpyArray.read(maskPath);
    checkShape(maskPath, mask, h, w, 1);
    float[] metres = depth.values().clone();
    float[] valid = mask.values();
    for (int i = 0; i < metres.length; i++) {
      if (valid[i] == 0 || !Float.isFinite(metres[i]) || metres[i] < 0) {
        metres[i] = 0f;
      }
    }
    MultiTaskExample.Builder b = image.toBuilder()
        .sourceId(stem.replace('\\', '/'))
        .depth(DepthMap.rawFloat32(metres, false));
    Path normalPath = normalsRoot.resolve(stem + "_normal.npy");
    if (Files.isRegularFile(normalPath)) {
      NpyArray normals = NpyArray.read(normalPath);
      checkShape(normalPath, normals, h, w, 3);
      b.normals(normals.values());
    }
    return b.build();
  }

  /** Accepts H x W (channels 1 only) or H x W x channels. */
  private static void checkShape(Path file, NpyArray a, int h, int w, int channels) throws DatasetFormatException {
    int[] s = a.shape();
    boolean ok = (s.length == 3 && s[0] == h && s[1] == w && s[2] == channels)
        || (channels == 1 && s.length == 2 && s[0] == h && s[1] == w);
    if (!ok) {
      throw new DatasetFormatException(file, "shape " + Arrays.toString(s) + " does not match the " + h + "x" + w
          + " image (expected " + h + " x " + w + (channels == 1 ? "[ x 1]" : " x " + channels) + ")");
    }
  }
}
