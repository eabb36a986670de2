package org.mustjava.data.convert;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of a COCO-format annotation file that conversion needs, read with a streaming parser
 * (instances files of Objects365 run to gigabytes): {@code images}, {@code categories}, and either
 * detection {@code annotations} (bbox, category_id, iscrowd; polygons and RLE are skipped) or panoptic
 * {@code annotations} (file_name and segments_info per image). Boxes are held in primitive arrays.
 * Errors name the file, line, column and JSON path.
 */
public final class CocoJson {
  /** An entry of {@code images}. */
  public record Image(long id, String fileName, int height, int width) {}

  /** An entry of {@code categories}. */
  public record Category(long id, String name) {}

  /** A segment of a panoptic annotation. */
  public record Segment(long id, long categoryId, boolean crowd) {}

  /** A panoptic annotation: the PNG of segment ids and what each id is. */
  public record PanopticAnnotation(long imageId, String fileName, List<Segment> segments) {}

  private final Path file;
  private final List<Image> images = new ArrayList<>();
  private final List<Category> categories = new ArrayList<>();
  private final List<PanopticAnnotation> panoptic = new ArrayList<>();
  // Detection annotations, column-wise.
  private int boxCount;
  private long[] boxImage = new long[1024];
  private float[] boxXywh = new float[4 * 1024];
  private long[] boxCategory = new long[1024];
  private boolean[] boxCrowd = new boolean[1024];

  private CocoJson(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  /** {@code images} in file order. */
  public List<Image> images() {
    return images;
  }

  /** {@code categories} in file order. */
  public List<Category> categories() {
    return categories;
  }

  /** Panoptic annotations in file order (empty for an instances file). */
  public List<PanopticAnnotation> panopticAnnotations() {
    return panoptic;
  }

  /** Whether this is a panoptic file (its annotations carry segments_info). */
  public boolean isPanoptic() {
    return !panoptic.isEmpty();
  }

  /** Number of detection annotations. */
  public int boxCount() {
    return boxCount;
  }

  public long boxImage(int i) {
    return boxImage[i];
  }

  /** x, y, width, height in pixels. */
  public float[] boxXywh(int i) {
    return Arrays.copyOfRange(boxXywh, 4 * i, 4 * i + 4);
  }

  public long boxCategory(int i) {
    return boxCategory[i];
  }

  public boolean boxCrowd(int i) {
    return boxCrowd[i];
  }

  /** Parses {@code file}. */
  public static CocoJson read(Path file) throws IOException {
    DatasetFormatException.requireFile(file, "COCO annotation JSON");
    CocoJson coco = new CocoJson(file);
    try (BufferedReader text = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        JsonReader json = new JsonReader(text)) {
      coco.parse(json);
    } catch (MalformedJsonException | IllegalStateException | NumberFormatException e) {
      throw new DatasetFormatException(file, "malformed JSON: " + e.getMessage(), e);
    } catch (java.io.EOFException e) {
      throw new DatasetFormatException(file, "truncated JSON: " + e.getMessage(), e);
    }
    return coco;
  }

  private void parse(JsonReader json) throws IOException {
    expect(json, JsonToken.BEGIN_OBJECT);
    json.beginObject();
    boolean sawImages = false;
    while (json.hasNext()) {
      switch (json.nextName()) {
        case "images" -> {
          sawImages = true;
          array(json, () -> images.add(image(json)));
        }
        case "categories" -> array(json, () -> categories.add(category(json)));
        case "annotations" -> array(json, () -> annotation(json));
        default -> json.skipValue();
      }
    }
    json.endObject();
    if (!sawImages) {
      throw new DatasetFormatException(file, "no \"images\" array (is this a COCO-format file?)");
    }
  }

  private interface Body {
    void run() throws IOException;
  }

  private void array(JsonReader json, Body element) throws IOException {
    expect(json, JsonToken.BEGIN_ARRAY);
    json.beginArray();
    while (json.hasNext()) {
      expect(json, JsonToken.BEGIN_OBJECT);
      element.run();
    }
    json.endArray();
  }

  private Image image(JsonReader json) throws IOException {
    String where = where(json);
    Map<String, Object> f = fields(json, "id", "file_name", "height", "width");
    return new Image(integer(f, "id", where), string(f, "file_name", where),
        (int) integer(f, "height", where), (int) integer(f, "width", where));
  }

  private Category category(JsonReader json) throws IOException {
    String where = where(json);
    Map<String, Object> f = fields(json, "id", "name");
    return new Category(integer(f, "id", where), string(f, "name", where));
  }

  private void annotation(JsonReader json) throws IOException {
    String where = where(json);
    json.beginObject();
    Long imageId = null;
    Long category = null;
    boolean crowd = false;
    float[] bbox = null;
    String fileName = null;
    List<Segment> segments = null;
    while (json.hasNext()) {
      switch (json.nextName()) {
        case "image_id" -> imageId = json.nextLong();
        case "category_id" -> category = json.nextLong();
        case "iscrowd" -> crowd = json.nextInt() != 0;
        case "bbox" -> bbox = floats(json, 4);
        case "file_name" -> fileName = json.nextString();
        case "segments_info" -> {
          segments = new ArrayList<>();
          json.beginArray();
          while (json.hasNext()) {
            String segWhere = where(json);
            Map<String, Object> s = fields(json, "id", "category_id", "iscrowd");
            segments.add(new Segment(integer(s, "id", segWhere), integer(s, "category_id", segWhere),
                s.containsKey("iscrowd") && integer(s, "iscrowd", segWhere) != 0));
          }
          json.endArray();
        }
        default -> json.skipValue();
      }
    }
    json.endObject();
    if (imageId == null) {
      throw new DatasetFormatException(file, where + ": annotation has no \"image_id\"");
    }
    if (segments != null) {
      if (fileName == null) {
        throw new DatasetFormatException(file, where + ": panoptic annotation has no \"file_name\"");
      }
      panoptic.add(new PanopticAnnotation(imageId, fileName, List.copyOf(segments)));
      return;
    }
    if (category == null || bbox == null) {
      throw new DatasetFormatException(file, where + ": annotation has no \"" + (category == null ? "category_id" : "bbox") + "\"");
    }
    if (boxCount == boxImage.length) {
      int n = boxCount * 2;
      boxImage = Arrays.copyOf(boxImage, n);
      boxXywh = Arrays.copyOf(boxXywh, 4 * n);
      boxCategory = Arrays.copyOf(boxCategory, n);
      boxCrowd = Arrays.copyOf(boxCrowd, n);
    }
    boxImage[boxCount] = imageId;
    System.arraycopy(bbox, 0, boxXywh, 4 * boxCount, 4);
    boxCategory[boxCount] = category;
    boxCrowd[boxCount] = crowd;
    boxCount++;
  }

  /** Reads an object's scalar fields among {@code wanted}; other fields are skipped. */
  private Map<String, Object> fields(JsonReader json, String... wanted) throws IOException {
    Map<String, Object> out = new LinkedHashMap<>();
    List<String> names = List.of(wanted);
    json.beginObject();
    while (json.hasNext()) {
      String name = json.nextName();
      if (!names.contains(name)) {
        json.skipValue();
        continue;
      }
      String where = where(json);
      JsonToken token = json.peek();
      switch (token) {
        case NUMBER -> out.put(name, json.nextString());
        case STRING -> out.put(name, json.nextString());
        case NULL -> json.nextNull();
        default -> throw new DatasetFormatException(file, where + ": \"" + name + "\" is a " + token
            + ", expected a number or string");
      }
    }
    json.endObject();
    return out;
  }

  private long integer(Map<String, Object> f, String key, String where) throws DatasetFormatException {
    Object v = f.get(key);
    if (v == null) {
      throw new DatasetFormatException(file, where + ": missing \"" + key + "\"");
    }
    try {
      return Long.parseLong(v.toString());
    } catch (NumberFormatException e) {
      try {
        double d = Double.parseDouble(v.toString());
        if (d == Math.rint(d)) {
          return (long) d;
        }
      } catch (NumberFormatException ignored) {
        // fall through to the error below
      }
      throw new DatasetFormatException(file, where + ": \"" + key + "\" is not an integer: " + v);
    }
  }

  private String string(Map<String, Object> f, String key, String where) throws DatasetFormatException {
    Object v = f.get(key);
    if (v == null) {
      throw new DatasetFormatException(file, where + ": missing \"" + key + "\"");
    }
    return v.toString();
  }

  private float[] floats(JsonReader json, int n) throws IOException {
    String where = where(json);
    expect(json, JsonToken.BEGIN_ARRAY);
    json.beginArray();
    float[] out = new float[n];
    int i = 0;
    while (json.hasNext()) {
      if (i == n) {
        throw new DatasetFormatException(file, where + ": more than " + n + " numbers");
      }
      out[i++] = (float) json.nextDouble();
    }
    json.endArray();
    if (i != n) {
      throw new DatasetFormatException(file, where + ": " + i + " numbers, expected " + n);
    }
    return out;
  }

  private void expect(JsonReader json, JsonToken token) throws IOException {
    if (json.peek() != token) {
      throw new DatasetFormatException(file, where(json) + ": expected " + token + ", found " + json.peek());
    }
  }

  /** "line L column C path $.x[3]" from Gson's reader position. */
  private static String where(JsonReader json) {
    String s = json.toString();
    int at = s.indexOf(" at line ");
    return at >= 0 ? s.substring(at + 4) : json.getPath();
  }
}
