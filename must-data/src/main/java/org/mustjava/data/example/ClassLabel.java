package org.mustjava.data.example;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The classification label of one image: a hard class index, soft class probabilities (a teacher's
 * pseudo label), or both. Immutable; arrays are copied.
 */
public final class ClassLabel {
  private final Integer label;
  private final float[] probabilities;

  private ClassLabel(Integer label, float[] probabilities) {
    if (label == null && probabilities == null) {
      throw new IllegalArgumentException("a class label needs a class index or probabilities");
    }
    if (label != null && label < 0) {
      throw new IllegalArgumentException("class label must be >= 0, got " + label);
    }
    if (probabilities != null) {
      for (int i = 0; i < probabilities.length; i++) {
        if (!(probabilities[i] >= 0f) || !Float.isFinite(probabilities[i])) {
          throw new IllegalArgumentException("class probability " + i + " is " + probabilities[i]);
        }
      }
    }
    this.label = label;
    this.probabilities = probabilities == null ? null : probabilities.clone();
  }

  /** {@code label} ({@code null}: none) and {@code probabilities} ({@code null}: none), not both absent. */
  public static ClassLabel of(Integer label, float[] probabilities) {
    return new ClassLabel(label, probabilities);
  }

  /** This label with the hard class {@code label}. */
  public ClassLabel withLabel(int label) {
    return new ClassLabel(label, probabilities);
  }

  /** This label with soft {@code probabilities}. */
  public ClassLabel withProbabilities(float[] probabilities) {
    return new ClassLabel(label, probabilities);
  }

  public OptionalInt label() {
    return label == null ? OptionalInt.empty() : OptionalInt.of(label);
  }

  public Optional<float[]> probabilities() {
    return Optional.ofNullable(probabilities).map(float[]::clone);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClassLabel c && Objects.equals(label, c.label) && Arrays.equals(probabilities, c.probabilities);
  }

  @Override
  public int hashCode() {
    return 31 * Objects.hashCode(label) + Arrays.hashCode(probabilities);
  }

  @Override
  public String toString() {
    String hard = label == null ? "" : "label " + label;
    String soft = probabilities == null ? "" : probabilities.length + " probabilities";
    return hard.isEmpty() || soft.isEmpty() ? hard + soft : hard + ", " + soft;
  }
}
