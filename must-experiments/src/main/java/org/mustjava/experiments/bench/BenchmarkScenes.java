package org.mustjava.experiments.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.mustjava.core.io.Compression;
import org.mustjava.data.synthetic.SceneClasses;
import org.mustjava.data.synthetic.SceneDomains;
import org.mustjava.data.synthetic.SceneGenerator;
import org.mustjava.data.labels.LabelTypes;
import org.mustjava.data.synthetic.SyntheticDatasetWriter;

/**
 * The data of the input benchmark: synthetic multi-task scenes ({@code mixed} domain) of {@code
 * width x 3/4 width} pixels, each with every label (class, boxes, segmentation PNG, raw float32
 * depth and normals), as the multi-task student reads them. The image is a PNG; one colour ray
 * per pixel (anti-aliasing changes nothing the pipeline does).
 */
public final class BenchmarkScenes {
  /** Classes of every synthetic label (background, floor, wall, object categories). */
  public static final int NUM_CLASSES = SceneClasses.NUM_CLASSES;

  private BenchmarkScenes() {}

  /** Writes {@code count} scenes into one TFRecord file under {@code dir}; returns it. */
  public static Path write(Path dir, int width, int count, int threads, long seed) throws IOException {
    int height = Math.max(8, width * 3 / 4);
    SceneGenerator generator =
        new SceneGenerator(SceneDomains.named("mixed"), height, Math.max(8, width), seed);
    List<Path> files = new SyntheticDatasetWriter(generator, LabelTypes.all(), threads)
        .write(dir.resolve("scenes-" + width), count, 1, Compression.NONE);
    return files.get(0);
  }
}
