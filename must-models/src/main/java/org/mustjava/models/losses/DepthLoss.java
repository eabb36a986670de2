package org.mustjava.models.losses;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** A loss between a predicted and a target depth map over valid pixels. */
public interface DepthLoss {
  /**
   * @param prediction float32 [B, H, W]
   * @param target float32 [B, H, W] (values at invalid pixels are ignored, even NaN)
   * @param valid float32 [B, H, W], 1 where the target is valid, else 0
   * @return a scalar
   */
  Operand<TFloat32> compute(Ops tf, Operand<TFloat32> prediction, Operand<TFloat32> target, Operand<TFloat32> valid);
}
