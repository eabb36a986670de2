package org.mustjava.experiments.pseudolabel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mustjava.core.config.Config;
import org.mustjava.core.config.ConfigLoader;
import org.mustjava.core.config.ConfigRegistry;
import org.mustjava.core.config.Injector;
import org.mustjava.core.io.Compression;
import org.mustjava.core.io.TFRecordReader;
import org.mustjava.core.io.TFRecordWriter;
import org.mustjava.data.example.ImageCodecs;
import org.mustjava.data.example.MultiTaskExample;
import org.mustjava.data.pipeline.ImageNormalization;

/** Input records, configs and record reading for the pseudo-labelling tests. */
final class Fixtures {
  private Fixtures() {}

  /** An {@code h x w} PNG made of vertical stripes of the given RGB colours (equal widths). */
  static byte[] stripes(int h, int w, int[]... colours) {
    byte[] rgb = new byte[h * w * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int[] c = colours[x * colours.length / w];
        for (int k = 0; k < 3; k++) rgb[(y * w + x) * 3 + k] = (byte) c[k];
      }
    }
    return ImageCodecs.encodeRgbPng(rgb, h, w);
  }

  /** A record with the image and (to prove they are ignored) a ground-truth class label. */
  static byte[] record(byte[] png, int h, int w, String id) {
    return MultiTaskExample.builder(png, "png", h, w).sourceId(id).classLabel(7).build().toByteArray();
  }

  static void writeRecords(Path file, List<byte[]> records) throws IOException {
    Files.createDirectories(file.getParent());
    try (TFRecordWriter w = TFRecordWriter.create(file, Compression.NONE)) {
      for (byte[] r : records) w.write(r);
      w.commit();
    }
  }

  static List<MultiTaskExample> readExamples(Path file) throws IOException {
    List<MultiTaskExample> out = new ArrayList<>();
    for (byte[] r : TFRecordReader.readAll(file)) out.add(MultiTaskExample.parseFrom(r));
    return out;
  }

  /** The project's normalisation of one 0..255 value of channel c, in float32 as TensorFlow computes it. */
  static float normalised(int value, int c) {
    return ((float) value - ImageNormalization.MEAN_RGB[c]) / ImageNormalization.STDDEV_RGB[c];
  }

  static <T> T create(Class<T> type, String config) {
    Config c = new ConfigLoader(ConfigRegistry.fromServices()).parseString("test.conf", config).build();
    return new Injector(c).create(type);
  }

  /** Runs the stage; returns what it logged. */
  static String run(PseudoLabelStage stage, Path modelDir) throws IOException {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    stage.run(modelDir, new PrintStream(log, true, StandardCharsets.UTF_8));
    return log.toString(StandardCharsets.UTF_8);
  }
}
