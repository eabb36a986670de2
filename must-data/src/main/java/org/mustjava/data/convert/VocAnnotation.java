package org.mustjava.data.convert;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.mustjava.data.example.Box;

/**
 * One PASCAL VOC annotation file ({@code Annotations/ID.xml}): image size and the objects with
 * their boxes in VOC's pixel coordinates (1-based, inclusive, as written by the VOC tools). The
 * boxes of body {@code <part>}s (VOC person layout) inside an object are not objects and are
 * skipped.
 *
 * @param file the XML file it was read from
 * @param filename the image file name recorded in the XML (may be empty)
 * @param width image width from {@code <size>}, 0 when absent
 * @param height image height from {@code <size>}, 0 when absent
 * @param objects the objects in file order
 */
public record VocAnnotation(
    Path file, String filename, int width, int height, List<VocAnnotation.VocObject> objects) {

  /**
   * An annotated object.
   *
   * @param line line of its {@code <object>} element, for error messages
   */
  public record VocObject(
      String name,
      String pose,
      boolean truncated,
      boolean difficult,
      Box box,
      int line) {}

  /** Parses {@code file}; malformed XML or a bad number fails with the file and line. */
  public static VocAnnotation read(Path file) throws IOException {
    DatasetFormatException.requireFile(file, "VOC annotation");
    XMLInputFactory factory = XMLInputFactory.newFactory();
    // Annotations are data: no DTDs, no external entities.
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    try (InputStream in = Files.newInputStream(file)) {
      XMLStreamReader xml = factory.createXMLStreamReader(in);
      try {
        return parse(file, xml);
      } finally {
        xml.close();
      }
    } catch (XMLStreamException e) {
      int line = e.getLocation() == null ? -1 : e.getLocation().getLineNumber();
      throw new DatasetFormatException(
          file, (line > 0 ? "line " + line + ": " : "") + "malformed XML: " + e.getMessage(), e);
    }
  }

  private static VocAnnotation parse(Path file, XMLStreamReader xml)
      throws XMLStreamException, DatasetFormatException {
    Deque<String> path = new ArrayDeque<>();
    StringBuilder text = new StringBuilder();
    String filename = "";
    int width = 0;
    int height = 0;
    List<VocObject> objects = new ArrayList<>();
    ObjectBuilder current = null;
    boolean sawRoot = false;
    while (xml.hasNext()) {
      int event = xml.next();
      if (event == XMLStreamConstants.START_ELEMENT) {
        String name = xml.getLocalName();
        if (path.isEmpty()) {
          if (!name.equals("annotation")) {
            throw new DatasetFormatException(
                file, "line " + xml.getLocation().getLineNumber() + ": root element is <" + name
                    + ">, expected <annotation>");
          }
          sawRoot = true;
        }
        path.push(name);
        text.setLength(0);
        if (path.size() == 2 && name.equals("object")) {
          current = new ObjectBuilder(xml.getLocation().getLineNumber());
        }
      } else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA) {
        text.append(xml.getText());
      } else if (event == XMLStreamConstants.END_ELEMENT) {
        String value = text.toString().trim();
        int line = xml.getLocation().getLineNumber();
        String where = String.join("/", reversed(path));
        switch (where) {
          case "annotation/filename" -> filename = value;
          case "annotation/size/width" -> width = (int) number(file, line, where, value, 0);
          case "annotation/size/height" -> height = (int) number(file, line, where, value, 0);
          case "annotation/object/name" -> current.name = value;
          case "annotation/object/pose" -> current.pose = value;
          case "annotation/object/truncated" -> current.truncated = flag(file, line, where, value);
          case "annotation/object/difficult" -> current.difficult = flag(file, line, where, value);
          case "annotation/object/bndbox/xmin" -> current.box[0] = required(file, line, where, value);
          case "annotation/object/bndbox/ymin" -> current.box[1] = required(file, line, where, value);
          case "annotation/object/bndbox/xmax" -> current.box[2] = required(file, line, where, value);
          case "annotation/object/bndbox/ymax" -> current.box[3] = required(file, line, where, value);
          case "annotation/object" -> {
            objects.add(current.build(file));
            current = null;
          }
          default -> {}
        }
        path.pop();
        text.setLength(0);
      }
    }
    if (!sawRoot) {
      throw new DatasetFormatException(file, "no <annotation> element");
    }
    return new VocAnnotation(file, filename, width, height, List.copyOf(objects));
  }

  private static List<String> reversed(Deque<String> stack) {
    List<String> list = new ArrayList<>(stack);
    java.util.Collections.reverse(list);
    return list;
  }

  private static double number(Path file, int line, String field, String value, double empty)
      throws DatasetFormatException {
    if (value.isEmpty()) {
      return empty;
    }
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new DatasetFormatException(
          file, "line " + line + ": <" + field + "> is not a number: '" + value + "'");
    }
  }

  private static double required(Path file, int line, String field, String value)
      throws DatasetFormatException {
    if (value.isEmpty()) {
      throw new DatasetFormatException(file, "line " + line + ": <" + field + "> is empty");
    }
    return number(file, line, field, value, 0);
  }

  /** VOC writes 0/1; exporters such as labelme write an empty element for "not set". */
  private static boolean flag(Path file, int line, String field, String value)
      throws DatasetFormatException {
    return number(file, line, field, value, 0) != 0;
  }

  private static final class ObjectBuilder {
    final int line;
    String name;
    String pose = "";
    boolean truncated;
    boolean difficult;
    final double[] box = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};

    ObjectBuilder(int line) {
      this.line = line;
    }

    VocObject build(Path file) throws DatasetFormatException {
      if (name == null || name.isEmpty()) {
        throw new DatasetFormatException(file, "line " + line + ": <object> has no <name>");
      }
      for (double v : box) {
        if (Double.isNaN(v)) {
          throw new DatasetFormatException(
              file, "line " + line + ": <object> '" + name + "' has no complete <bndbox>");
        }
      }
      try {
        return new VocObject(name, pose, truncated, difficult, new Box(box[1], box[0], box[3], box[2]), line);
      } catch (IllegalArgumentException e) {
        throw new DatasetFormatException(file, "line " + line + ": <bndbox> of '" + name + "': " + e.getMessage());
      }
    }
  }
}
