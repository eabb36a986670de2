package org.mustjava.data.convert;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** The converters {@code tools/convert-dataset --dataset NAME} knows, by name. */
public final class DatasetConverters {
  private static final Map<String, Supplier<DatasetConverter>> BY_NAME = new LinkedHashMap<>();

  static {
    BY_NAME.put("imagefolder", ImageFolderConverter::new);
    BY_NAME.put("cifar100", Cifar100Converter::new);
    BY_NAME.put("mnist", MnistConverter::mnist);
    BY_NAME.put("fashion-mnist", MnistConverter::fashionMnist);
    BY_NAME.put("voc", VocConverter::new);
    BY_NAME.put("coco", CocoConverter::coco);
    BY_NAME.put("objects365", CocoConverter::objects365);
    BY_NAME.put("ade20k", Ade20kConverter::new);
    BY_NAME.put("nyu", NyuConverter::new);
    BY_NAME.put("diode", DiodeConverter::new);
  }

  private DatasetConverters() {}

  /** Registered names, in documentation order. */
  public static Set<String> names() {
    return BY_NAME.keySet();
  }

  /** A new converter for {@code name}. */
  public static DatasetConverter create(String name) {
    Supplier<DatasetConverter> factory = BY_NAME.get(name);
    if (factory == null) {
      throw new InvalidOptionException("unknown dataset '" + name + "'; known: " + String.join(", ", names()));
    }
    return factory.get();
  }
}
