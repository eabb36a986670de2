package org.mustjava.models.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import org.mustjava.models.heads.LabelKeys;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A small batch of synthetic images with every label type, as graph constants. Labels are
 * functions of the image (class from the colour, segmentation from a bright square, depth and
 * normals from the position), so a model can fit them.
 */
public final class SyntheticBatch {
  public final float[][][][] images;
  public final int[] classLabel;
  public final float[][] classProbs;
  public final int[][][] segmentation;
  public final float[][][] depth;
  public final float[][][] depthValid;
  public final float[][][][] normals;
  public final float[][][] normalsValid;

  public SyntheticBatch(int batch, int height, int width, int numClasses, int segClasses, long seed) {
    java.util.Random r = new java.util.Random(seed);
    images = new float[batch][height][width][3];
    classLabel = new int[batch];
    classProbs = new float[batch][numClasses];
    segmentation = new int[batch][height][width];
    depth = new float[batch][height][width];
    depthValid = new float[batch][height][width];
    normals = new float[batch][height][width][3];
    normalsValid = new float[batch][height][width];
    for (int b = 0; b < batch; b++) {
      int cls = b % numClasses;
      classLabel[b] = cls;
      for (int c = 0; c < numClasses; c++) classProbs[b][c] = c == cls ? 0.7f : 0.3f / (numClasses - 1);
      int y0 = r.nextInt(height / 2), x0 = r.nextInt(width / 2), size = height / 3;
      int segClass = 1 + (b % (segClasses - 1));
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          boolean inside = y >= y0 && y < y0 + size && x >= x0 && x < x0 + size;
          for (int k = 0; k < 3; k++) {
            images[b][y][x][k] = (k == cls % 3 ? 0.5f : -0.5f) + (inside ? 0.8f : 0f) + 0.05f * (float) r.nextGaussian();
          }
          segmentation[b][y][x] = (x + y) % 17 == 0 ? LabelKeys.IGNORE_LABEL : inside ? segClass : 0;
          depth[b][y][x] = 1f + (float) y / height + (inside ? -0.5f : 0f);
          depthValid[b][y][x] = (x * 7 + y) % 11 == 0 ? 0f : 1f;
          double nx = inside ? 0.6 : 0, ny = (double) x / width - 0.5, nz = 1;
          double len = Math.sqrt(nx * nx + ny * ny + nz * nz);
          normals[b][y][x][0] = (float) (nx / len);
          normals[b][y][x][1] = (float) (ny / len);
          normals[b][y][x][2] = (float) (nz / len);
          normalsValid[b][y][x] = (x + 2 * y) % 13 == 0 ? 0f : 1f;
        }
      }
    }
  }

  public Operand<TFloat32> images(Ops tf) {
    return tf.constant(images);
  }

  /** Every label key; {@code softClassification} chooses class_probs over class_label. */
  public Map<String, Operand<?>> labels(Ops tf, boolean softClassification) {
    Map<String, Operand<?>> m = new LinkedHashMap<>();
    if (softClassification) m.put(LabelKeys.CLASS_PROBS, tf.constant(classProbs));
    else m.put(LabelKeys.CLASS_LABEL, tf.constant(classLabel));
    m.put(LabelKeys.SEGMENTATION, tf.constant(segmentation));
    m.put(LabelKeys.DEPTH, tf.constant(depth));
    m.put(LabelKeys.DEPTH_VALID, tf.constant(depthValid));
    m.put(LabelKeys.NORMALS, tf.constant(normals));
    m.put(LabelKeys.NORMALS_VALID, tf.constant(normalsValid));
    return m;
  }
}
