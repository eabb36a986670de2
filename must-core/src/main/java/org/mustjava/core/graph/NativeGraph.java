package org.mustjava.core.graph;

import java.lang.reflect.Field;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.global.tensorflow;

/**
 * What the engine needs from TensorFlow's C API that TF Java 1.1.0 does not expose on {@link
 * Graph}: its native handle (for {@code TF_NewSession} with a target) and {@code
 * TF_SetRequestedDevice} (to place ops {@code Graph.addGradients} created without a device). The
 * handle is read by reflection; if a TF Java upgrade renames the field, the error says so.
 */
public final class NativeGraph {
  private NativeGraph() {}

  /** The graph's {@code TF_Graph}. */
  public static TF_Graph handle(Graph graph) {
    try {
      Field f = Graph.class.getDeclaredField("nativeHandle");
      f.setAccessible(true);
      TF_Graph handle = (TF_Graph) f.get(graph);
      if (handle == null || handle.isNull()) throw new IllegalStateException("the graph is closed");
      return handle;
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalStateException("this TensorFlow Java version has no Graph.nativeHandle (a TF_Graph field), "
          + "which must-java needs for remote sessions and gradient placement (written for TF Java 1.1.0)", e);
    }
  }

  /**
   * Requests {@code device} for an op already in the graph (before any session runs it), as
   * Python's {@code op._set_device} does.
   */
  public static void setRequestedDevice(GraphOperation op, String device) {
    tensorflow.TF_SetRequestedDevice(handle(op.env()), op.getUnsafeNativeHandle(), device);
  }
}
