package org.mustjava.data.convert;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mustjava.core.io.AtomicFiles;

/**
 * The classes of a converted data set: for each label value written into the records, its name and
 * the id the source data set uses for it (a COCO category id, an ADE20K index, a folder name). It
 * is written next to the shards as {@code PREFIX-labels.txt}, a tab-separated file with a header
 * line: {@code label<TAB>name<TAB>source_id}.
 */
public final class LabelMap {
  /** One class. */
  public record Entry(int label, String name, String sourceId) {}

  private final List<Entry> entries = new ArrayList<>();

  /** Adds a class; labels must be added in increasing order. */
  public LabelMap add(int label, String name, String sourceId) {
    if (!entries.isEmpty() && entries.get(entries.size() - 1).label() >= label) {
      throw new IllegalArgumentException("labels must increase: " + label + " after "
          + entries.get(entries.size() - 1).label());
    }
    entries.add(new Entry(label, clean(name), clean(sourceId)));
    return this;
  }

  /** Classes {@code first, first+1, ...} named by {@code names}, source id = name. */
  public static LabelMap ofNames(List<String> names, int first) {
    LabelMap map = new LabelMap();
    for (int i = 0; i < names.size(); i++) {
      map.add(first + i, names.get(i), names.get(i));
    }
    return map;
  }

  public List<Entry> entries() {
    return List.copyOf(entries);
  }

  public int size() {
    return entries.size();
  }

  /** The file text, deterministic for a given map. */
  public String toTsv() {
    StringBuilder text = new StringBuilder("label\tname\tsource_id\n");
    for (Entry e : entries) {
      text.append(e.label()).append('\t').append(e.name()).append('\t').append(e.sourceId()).append('\n');
    }
    return text.toString();
  }

  /** Writes {@link #toTsv()} atomically. */
  public void write(Path file) throws IOException {
    AtomicFiles.writeString(file, toTsv());
  }

  /** Reads a file written by {@link #write}. */
  public static LabelMap read(Path file) throws IOException {
    DatasetFormatException.requireFile(file, "label map");
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    LabelMap map = new LabelMap();
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      String[] cols = lines.get(i).split("\t", -1);
      try {
        map.add(Integer.parseInt(cols[0]), cols[1], cols.length > 2 ? cols[2] : cols[1]);
      } catch (RuntimeException e) {
        throw new DatasetFormatException(file, "line " + (i + 1) + ": expected label<TAB>name<TAB>source_id");
      }
    }
    return map;
  }

  private static String clean(String s) {
    return s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
  }
}
