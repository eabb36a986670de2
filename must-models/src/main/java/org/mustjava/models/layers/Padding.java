package org.mustjava.models.layers;

/**
 * How a convolution or pooling window treats the border.
 *
 * <ul>
 *   <li>{@link #SAME}: TensorFlow's "SAME" (output size ceil(in / stride); for even totals the extra
 *       padding goes to the bottom/right, so strided convs see a slightly shifted grid);
 *   <li>{@link #VALID}: no padding;
 *   <li>{@link #FIXED}: explicit symmetric zero padding of total {@code k_eff - 1} (extra pixel at
 *       the bottom/right for even kernels), then VALID. Output size is ceil(in / stride) like SAME,
 *       but independent of input parity. TF Model Garden calls this "explicit padding";
 *   <li>{@link #explicit(int)}: explicit symmetric zero padding of a given amount, then VALID.
 * </ul>
 */
public final class Padding {
  private enum Kind { SAME, VALID, FIXED, EXPLICIT }

  public static final Padding SAME = new Padding(Kind.SAME, 0);
  public static final Padding VALID = new Padding(Kind.VALID, 0);
  public static final Padding FIXED = new Padding(Kind.FIXED, 0);

  private final Kind kind;
  private final int amount;

  private Padding(Kind kind, int amount) {
    this.kind = kind;
    this.amount = amount;
  }

  /** Zero padding of {@code amount} pixels on every side, then VALID. */
  public static Padding explicit(int amount) {
    if (amount < 0) throw new IllegalArgumentException("padding amount must be >= 0, got " + amount);
    return new Padding(Kind.EXPLICIT, amount);
  }

  /** Parses "same", "valid", "fixed" (case-insensitive), as written in configs. */
  public static Padding parse(String name) {
    return switch (name.toLowerCase(java.util.Locale.ROOT)) {
      case "same" -> SAME;
      case "valid" -> VALID;
      case "fixed", "explicit" -> FIXED;
      default -> throw new IllegalArgumentException(
          "unknown padding '" + name + "' (expected same, valid or fixed)");
    };
  }

  /** The padding attribute for the TF op, after {@link #padBefore}/{@link #padAfter} were applied. */
  String opPadding() {
    return kind == Kind.SAME ? "SAME" : "VALID";
  }

  /** Pixels of explicit zero padding before (top/left) for an effective kernel size. */
  int padBefore(int effectiveKernel) {
    return switch (kind) {
      case SAME, VALID -> 0;
      case FIXED -> (effectiveKernel - 1) / 2;
      case EXPLICIT -> amount;
    };
  }

  /** Pixels of explicit zero padding after (bottom/right) for an effective kernel size. */
  int padAfter(int effectiveKernel) {
    return switch (kind) {
      case SAME, VALID -> 0;
      case FIXED -> effectiveKernel - 1 - (effectiveKernel - 1) / 2;
      case EXPLICIT -> amount;
    };
  }

  @Override
  public String toString() {
    return kind == Kind.EXPLICIT ? "explicit(" + amount + ")" : kind.name().toLowerCase(java.util.Locale.ROOT);
  }
}
