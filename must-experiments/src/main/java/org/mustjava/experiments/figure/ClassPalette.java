package org.mustjava.experiments.figure;

/**
 * A fixed colour per class id for boxes and segmentation overlays: twenty well-separated colours,
 * repeating for larger ids (class id k gets colour k mod 20), so a class has the same colour in
 * every panel and every run.
 */
final class ClassPalette {
  private static final int[] COLOURS = {
      0xe6194b, 0x3cb44b, 0xffe119, 0x4363d8, 0xf58231, 0x911eb4, 0x42d4f4, 0xf032e6, 0xbfef45, 0xfabed4,
      0x469990, 0xdcbeff, 0x9a6324, 0xfffac8, 0x800000, 0xaaffc3, 0x808000, 0xffd8b1, 0x000075, 0xa9a9a9};

  private ClassPalette() {}

  static int rgb(int classId) {
    return COLOURS[Math.floorMod(classId, COLOURS.length)];
  }
}
