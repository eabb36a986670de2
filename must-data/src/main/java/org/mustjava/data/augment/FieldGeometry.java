package org.mustjava.data.augment;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * How one field of a {@link Sample} moves with the image under the geometric augmentations: a
 * label type declares it for each field it decodes, and {@link HorizontalFlip} and {@link
 * ScaledCrop} apply it without knowing the label type. The standard kinds below cover classes
 * (nothing moves), per-pixel maps, normal maps, boxes and per-box values; a label type with
 * another geometry (e.g. keypoints) implements this interface itself.
 */
public interface FieldGeometry {
  /** The field mirrored left-right. */
  Operand<?> flip(Ops tf, Operand<?> field);

  /** The field resized, cropped and padded through {@code window}. */
  Operand<?> crop(ScaledCrop window, Operand<?> field);

  /**
   * Whether the field has one row per box (the boxes themselves and e.g. their classes): such
   * fields are selected together when boxes leave the crop or exceed {@code max_boxes}.
   */
  default boolean boxRows() {
    return false;
  }

  /** Not geometric (a class, a label's type code): unchanged by every transform. */
  FieldGeometry NONE = new FieldGeometry() {
    @Override
    public Operand<?> flip(Ops tf, Operand<?> field) {
      return field;
    }

    @Override
    public Operand<?> crop(ScaledCrop window, Operand<?> field) {
      return field;
    }
  };

  /** One value per box, e.g. its class: selected with the boxes, otherwise unchanged. */
  FieldGeometry BOX_ROWS = new FieldGeometry() {
    @Override
    public Operand<?> flip(Ops tf, Operand<?> field) {
      return field;
    }

    @Override
    public Operand<?> crop(ScaledCrop window, Operand<?> field) {
      return field;
    }

    @Override
    public boolean boxRows() {
      return true;
    }
  };

  /**
   * Float32 {@code [N, 4]} normalised boxes (ymin, xmin, ymax, xmax): flipped to {@code (ymin, 1 -
   * xmax, ymax, 1 - xmin)}, mapped into the crop window and clipped (boxes left empty are then
   * dropped with their rows).
   */
  FieldGeometry BOXES = new FieldGeometry() {
    @Override
    @SuppressWarnings("unchecked")
    public Operand<?> flip(Ops tf, Operand<?> field) {
      return HorizontalFlip.flipBoxes(tf, (Operand<TFloat32>) field);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Operand<?> crop(ScaledCrop window, Operand<?> field) {
      return window.boxCoordinates((Operand<TFloat32>) field);
    }

    @Override
    public boolean boxRows() {
      return true;
    }
  };

  /**
   * Float32 {@code [H, W, 3]} surface normals: mirrored with the x component negated (a surface
   * facing right faces left in the mirror image); nearest-neighbour resize, zero (no label) padding.
   */
  FieldGeometry NORMAL_MAP = new FieldGeometry() {
    @Override
    @SuppressWarnings("unchecked")
    public Operand<?> flip(Ops tf, Operand<?> field) {
      return HorizontalFlip.flipNormals(tf, (Operand<TFloat32>) field);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Operand<?> crop(ScaledCrop window, Operand<?> field) {
      return window.floatMap((Operand<TFloat32>) field, 0f);
    }
  };

  /** An int32 {@code [H, W, C]} label map: mirrored, nearest-neighbour resize, padded with {@code pad}. */
  static FieldGeometry labelMap(int pad) {
    return new FieldGeometry() {
      @Override
      public Operand<?> flip(Ops tf, Operand<?> field) {
        return HorizontalFlip.mirror(tf, field);
      }

      @Override
      @SuppressWarnings("unchecked")
      public Operand<?> crop(ScaledCrop window, Operand<?> field) {
        return window.labels((Operand<TInt32>) field, pad);
      }
    };
  }

  /** A float32 {@code [H, W, C]} map: mirrored, nearest-neighbour resize, padded with {@code pad}. */
  static FieldGeometry floatMap(float pad) {
    return new FieldGeometry() {
      @Override
      public Operand<?> flip(Ops tf, Operand<?> field) {
        return HorizontalFlip.mirror(tf, field);
      }

      @Override
      @SuppressWarnings("unchecked")
      public Operand<?> crop(ScaledCrop window, Operand<?> field) {
        return window.floatMap((Operand<TFloat32>) field, pad);
      }
    };
  }
}
