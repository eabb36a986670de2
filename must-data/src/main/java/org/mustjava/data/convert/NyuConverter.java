package org.mustjava.data.convert;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mustjava.data.example.DepthMap;
import org.mustjava.data.example.FeatureKeys;
import org.mustjava.data.example.ImageCodecs;
import org.mustjava.data.example.MultiTaskExample;

/**
 * NYU Depth v2's {@code nyu_depth_v2_labeled.mat} (MATLAB v7.3, i.e. HDF5 behind a 512-byte user
 * block), read with the pure-Java jhdf library: {@code images} (H x W x 3 x N uint8), {@code depths}
 * (H x W x N metres), {@code labels} (H x W x N, 0 = unlabelled, k = {@code names{k}}). MATLAB writes
 * arrays column-major, so in HDF5 the dimensions are reversed: {@code images[N][3][W][H]}; pixel
 * (row y, column x) of image n is {@code images[n][c][x][y]}. The input is the .mat file or a
 * directory holding {@code nyu_depth_v2_labeled.mat}.
 *
 * <p>Splits: with NYU's official {@code splits.mat} (a MATLAB level-5 file with 1-based
 * {@code trainNdxs} and {@code testNdxs}) next to the .mat file or given by option {@code splits},
 * splits {@code train} and {@code test} in index order; otherwise all images form one split named by
 * {@code --split} (default {@code train}) in file order. Source id {@code labeled/INDEX} (0-based).
 * Images are stored as PNG; depth as 16-bit PNG in millimetres
 * (scale 0.001; 0 = no measurement). The 894 NYU label indices do not fit an 8-bit mask, so a
 * segmentation mask is written only with option {@code label_map}: a text file of lines
 * {@code NYU_INDEX CLASS} (CLASS in 0..254, '#' starts a comment); unlisted indices and 0 become 255.
 */
public final class NyuConverter implements DatasetConverter {
  static final String FILE_NAME = "nyu_depth_v2_labeled.mat";

  @Override
  public void convert(ConversionJob job) throws IOException {
    Path mat = Files.isDirectory(job.input()) ? job.input().resolve(FILE_NAME) : job.input();
    DatasetFormatException.requireFile(mat, "NYU labeled .mat file");
    Map<Integer, Integer> labelMap = null;
    if (job.option("label_map").isPresent()) {
      labelMap = readLabelMap(Path.of(job.option("label_map").get()));
    }
    Map<String, int[]> splits = splits(job, mat);
    try (HdfFile hdf = new HdfFile(mat)) {
      Dataset images = dataset(mat, hdf, "images", 4);
      Dataset depths = dataset(mat, hdf, "depths", 3);
      Dataset labels = labelMap == null ? null : dataset(mat, hdf, "labels", 3);
      int[] dims = images.getDimensions();
      int n = dims[0];
      int width = dims[2];
      int height = dims[3];
      if (dims[1] != 3) {
        throw new DatasetFormatException(mat, "'images' has " + dims[1] + " channels, expected 3 (HDF5 shape "
            + Arrays.toString(dims) + ")");
      }
      checkDims(mat, depths, n, width, height);
      if (labels != null) {
        checkDims(mat, labels, n, width, height);
        job.writeLabels(targetNames(mat, hdf, labelMap));
      }
      for (Map.Entry<String, int[]> split : splits.entrySet()) {
        int[] indices = split.getValue() != null ? split.getValue() : java.util.stream.IntStream.range(0, n).toArray();
        for (int i : indices) {
          if (i < 0 || i >= n) {
            throw new DatasetFormatException(mat, "split '" + split.getKey() + "' lists image " + (i + 1)
                + " but the file has " + n + " images");
          }
        }
        try (SplitWriter out = job.openSplit(split.getKey())) {
          for (int i : indices) {
            out.write(example(images, depths, labels, labelMap, i, width, height));
          }
          job.finish(out);
        }
      }
    } catch (HdfException e) {
      throw new DatasetFormatException(mat, "not a readable MATLAB v7.3 (HDF5) file: " + e.getMessage(), e);
    }
  }

  /** Split name to 0-based image indices (null = all images), from splits.mat when there is one. */
  private static Map<String, int[]> splits(ConversionJob job, Path mat) throws IOException {
    Map<String, int[]> splits = new java.util.LinkedHashMap<>();
    Path file = job.option("splits").map(Path::of).orElse(mat.resolveSibling("splits.mat"));
    if (job.option("splits").isEmpty() && !Files.isRegularFile(file)) {
      splits.put(job.requestedSplit().orElse("train"), null);
      return splits;
    }
    Map<String, MatV5File.NumericArray> vars = MatV5File.read(file);
    for (String split : List.of("train", "test")) {
      MatV5File.NumericArray a = vars.get(split + "Ndxs");
      if (a == null) {
        throw new DatasetFormatException(file, "no numeric variable '" + split + "Ndxs' (found: " + vars.keySet() + ")");
      }
      int[] indices = new int[a.values().length];
      for (int k = 0; k < indices.length; k++) {
        indices[k] = (int) a.values()[k] - 1;
      }
      splits.put(split, indices);
    }
    List<String> selected = job.select(new ArrayList<>(splits.keySet()));
    splits.keySet().retainAll(selected);
    return splits;
  }

  /** Image {@code i}, transposed from MATLAB's column-major storage. */
  private static MultiTaskExample example(Dataset images, Dataset depths, Dataset labels,
      Map<Integer, Integer> labelMap, int i, int width, int height) {
    int[] rgb = flatten(images.getData(new long[] {i, 0, 0, 0}, new int[] {1, 3, width, height}));
    byte[] pixels = new byte[height * width * 3];
    for (int c = 0; c < 3; c++) {
      for (int x = 0; x < width; x++) {
        for (int y = 0; y < height; y++) {
          pixels[(y * width + x) * 3 + c] = (byte) rgb[(c * width + x) * height + y];
        }
      }
    }
    MultiTaskExample.Builder b = MultiTaskExample.builder(ImageCodecs.encodeRgbPng(pixels, height, width),
        FeatureKeys.FORMAT_PNG, height, width).sourceId("labeled/" + i);
    double[] metres = doubles(depths.getData(new long[] {i, 0, 0}, new int[] {1, width, height}));
    char[] millimetres = new char[height * width];
    for (int x = 0; x < width; x++) {
      for (int y = 0; y < height; y++) {
        double d = metres[x * height + y];
        long mm = Double.isFinite(d) && d > 0 ? Math.round(d * 1000) : 0;
        millimetres[y * width + x] = (char) Math.min(mm, 65535);
      }
    }
    b.depth(DepthMap.png16(millimetres, height, width, 0.001f));
    if (labels != null) {
      int[] raw = flatten(labels.getData(new long[] {i, 0, 0}, new int[] {1, width, height}));
      byte[] classes = new byte[height * width];
      for (int x = 0; x < width; x++) {
        for (int y = 0; y < height; y++) {
          Integer target = labelMap.get(raw[x * height + y]);
          classes[y * width + x] = (byte) (target == null ? FeatureKeys.SEGMENTATION_IGNORE : target);
        }
      }
      b.segmentation(classes);
    }
    return b.build();
  }

  private static Dataset dataset(Path mat, HdfFile hdf, String name, int rank) throws DatasetFormatException {
    Node node = hdf.getChildren().get(name);
    if (!(node instanceof Dataset d)) {
      throw new DatasetFormatException(mat, "no variable '" + name + "' (found: " + hdf.getChildren().keySet() + ")");
    }
    if (d.getDimensions().length != rank) {
      throw new DatasetFormatException(mat, "'" + name + "' has HDF5 shape " + Arrays.toString(d.getDimensions())
          + ", expected rank " + rank);
    }
    return d;
  }

  private static void checkDims(Path mat, Dataset d, int n, int width, int height) throws DatasetFormatException {
    int[] dims = d.getDimensions();
    if (dims[0] != n || dims[1] != width || dims[2] != height) {
      throw new DatasetFormatException(mat, "'" + d.getName() + "' has HDF5 shape " + Arrays.toString(dims)
          + ", expected [" + n + ", " + width + ", " + height + "] to match 'images'");
    }
  }

  /** The numbers of a (nested) Java array of any primitive numeric type, in row-major order. */
  private static int[] flatten(Object array) {
    double[] values = doubles(array);
    int[] out = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (int) values[i];
    }
    return out;
  }

  private static double[] doubles(Object array) {
    double[] out = new double[count(array)];
    fill(array, out, new int[1]);
    return out;
  }

  private static int count(Object array) {
    int len = Array.getLength(array);
    if (len == 0 || !array.getClass().getComponentType().isArray()) {
      return len;
    }
    int total = 0;
    for (int i = 0; i < len; i++) {
      total += count(Array.get(array, i));
    }
    return total;
  }

  private static void fill(Object array, double[] out, int[] pos) {
    if (array instanceof int[] a) {
      for (int v : a) out[pos[0]++] = v;
    } else if (array instanceof float[] a) {
      for (float v : a) out[pos[0]++] = v;
    } else if (array instanceof double[] a) {
      System.arraycopy(a, 0, out, pos[0], a.length);
      pos[0] += a.length;
    } else if (array instanceof long[] a) {
      for (long v : a) out[pos[0]++] = v;
    } else if (array instanceof short[] a) {
      for (short v : a) out[pos[0]++] = v;
    } else if (array instanceof byte[] a) {
      for (byte v : a) out[pos[0]++] = v;
    } else {
      for (int i = 0; i < Array.getLength(array); i++) {
        fill(Array.get(array, i), out, pos);
      }
    }
  }

  private static Map<Integer, Integer> readLabelMap(Path file) throws IOException {
    DatasetFormatException.requireFile(file, "NYU label map (--label_map)");
    Map<Integer, Integer> map = new TreeMap<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).replaceFirst("#.*", "").strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] cols = line.split("\\s+");
      try {
        int from = Integer.parseInt(cols[0]);
        int to = Integer.parseInt(cols[1]);
        if (cols.length != 2 || from < 1 || to < 0 || to > 254) {
          throw new NumberFormatException();
        }
        if (map.put(from, to) != null) {
          throw new DatasetFormatException(file, "line " + (i + 1) + ": NYU index " + from + " mapped twice");
        }
      } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
        throw new DatasetFormatException(file, "line " + (i + 1) + ": expected 'NYU_INDEX CLASS' with NYU_INDEX >= 1"
            + " and CLASS in 0..254, got '" + lines.get(i) + "'");
      }
    }
    return map;
  }

  /** Each target class named after the NYU classes mapped to it (from the 'names' cell array). */
  private static LabelMap targetNames(Path mat, HdfFile hdf, Map<Integer, Integer> labelMap) {
    List<String> names = cellStrings(hdf);
    Map<Integer, List<String>> members = new TreeMap<>();
    labelMap.forEach((from, to) -> members.computeIfAbsent(to, k -> new ArrayList<>())
        .add(from <= names.size() ? names.get(from - 1) : "nyu_" + from));
    LabelMap out = new LabelMap();
    members.forEach((to, list) -> out.add(to, String.join(";", list),
        labelMap.entrySet().stream().filter(e -> e.getValue().equals(to)).map(e -> e.getKey().toString())
            .reduce((a, b) -> a + "," + b).orElse("")));
    return out;
  }

  /** The MATLAB cell array of strings 'names' (object references to uint16 char arrays), or empty. */
  private static List<String> cellStrings(HdfFile hdf) {
    List<String> out = new ArrayList<>();
    Node node = hdf.getChildren().get("names");
    if (!(node instanceof Dataset cell)) {
      return out;
    }
    Attribute cls = cell.getAttribute("MATLAB_class");
    if (cls == null || !"cell".equals(String.valueOf(cls.getData()))) {
      return out;
    }
    for (double address : doubles(cell.getData())) {
      Node target = hdf.getNodeByAddress((long) address);
      StringBuilder s = new StringBuilder();
      if (target instanceof Dataset chars) {
        for (int c : flatten(chars.getData())) {
          s.append((char) c);
        }
      }
      out.add(s.toString());
    }
    return out;
  }
}
