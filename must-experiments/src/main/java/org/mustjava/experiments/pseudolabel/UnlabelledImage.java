package org.mustjava.experiments.pseudolabel;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Map;
import org.mustjava.data.example.FeatureKeys;
import org.mustjava.data.example.ImageCodecs;
import org.tensorflow.proto.Example;
import org.tensorflow.proto.Feature;

/**
 * The image part of an input record, all the pseudo-labeller keeps: encoded image, format, height,
 * width, source id. Labels the record may carry are ignored.
 */
public record UnlabelledImage(byte[] encoded, String format, int height, int width, String sourceId) {
  /** @param who names the record in errors (file and index) */
  public static UnlabelledImage parse(byte[] record, String who) {
    Map<String, Feature> m;
    try {
      m = Example.parseFrom(record).getFeatures().getFeatureMap();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(who + ": not a tf.train.Example: " + e.getMessage(), e);
    }
    byte[] image = bytes(m, FeatureKeys.IMAGE_ENCODED, who);
    if (image == null || image.length == 0) throw new IllegalArgumentException(who + ": no '" + FeatureKeys.IMAGE_ENCODED + "'");
    String format = m.containsKey(FeatureKeys.IMAGE_FORMAT)
        ? new String(bytes(m, FeatureKeys.IMAGE_FORMAT, who), java.nio.charset.StandardCharsets.UTF_8)
        : ImageCodecs.sniffFormat(image);
    if ("jpg".equals(format)) format = FeatureKeys.FORMAT_JPEG;
    if (!FeatureKeys.FORMAT_JPEG.equals(format) && !FeatureKeys.FORMAT_PNG.equals(format)) {
      throw new IllegalArgumentException(who + ": image format '" + format + "' is not jpeg or png");
    }
    int height = (int) int64(m, FeatureKeys.IMAGE_HEIGHT, who);
    int width = (int) int64(m, FeatureKeys.IMAGE_WIDTH, who);
    if (height < 1 || width < 1) throw new IllegalArgumentException(who + ": image size " + height + "x" + width);
    byte[] id = m.containsKey(FeatureKeys.IMAGE_SOURCE_ID) ? bytes(m, FeatureKeys.IMAGE_SOURCE_ID, who) : new byte[0];
    return new UnlabelledImage(image, format, height, width, new String(id, java.nio.charset.StandardCharsets.UTF_8));
  }

  private static byte[] bytes(Map<String, Feature> m, String key, String who) {
    Feature f = m.get(key);
    if (f == null) return null;
    if (f.getKindCase() != Feature.KindCase.BYTES_LIST || f.getBytesList().getValueCount() != 1) {
      throw new IllegalArgumentException(who + ": feature '" + key + "' is not a single bytes value");
    }
    return f.getBytesList().getValue(0).toByteArray();
  }

  private static long int64(Map<String, Feature> m, String key, String who) {
    Feature f = m.get(key);
    if (f == null) throw new IllegalArgumentException(who + ": feature '" + key + "' is missing");
    if (f.getKindCase() != Feature.KindCase.INT64_LIST || f.getInt64List().getValueCount() != 1) {
      throw new IllegalArgumentException(who + ": feature '" + key + "' is not a single int64");
    }
    return f.getInt64List().getValue(0);
  }
}
