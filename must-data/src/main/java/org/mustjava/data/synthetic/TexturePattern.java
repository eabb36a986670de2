package org.mustjava.data.synthetic;

import java.util.Locale;

/** The procedural patterns a {@link Texture} can draw; config files name them in lower case. */
public enum TexturePattern {
  /** One colour. */
  SOLID,
  /** 3D checkerboard of cubes of side {@code scale}: tiles on floors, checks on objects. */
  CHECKER,
  /** Parallel bands of width {@code scale} across one local axis: planks, painted rings. */
  STRIPES,
  /** Smooth fractal value noise with feature size {@code scale}: grass, stone, plaster. */
  NOISE;

  /** Parses a config name such as {@code "checker"}; the error lists the valid names. */
  public static TexturePattern parse(String name) {
    for (TexturePattern p : values()) {
      if (p.name().equalsIgnoreCase(name.trim())) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown texture pattern '" + name + "' (expected one of solid, checker, stripes, noise)");
  }

  /** The lower-case name used in config files. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
