package org.mustjava.core.distributed;

import java.lang.reflect.Constructor;
import org.bytedeco.javacpp.BytePointer;
import org.mustjava.core.graph.NativeGraph;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.global.tensorflow;
import org.tensorflow.proto.ConfigProto;

/**
 * A {@link Session} whose master is a TensorFlow server ({@code grpc://host:port}), so one graph
 * runs across the tasks of a cluster (design.md section 7).
 *
 * <p>TF Java 1.1.0 has no public API for a session target. The C API has one ({@code
 * TF_SetTarget} on the session options of {@code TF_NewSession}), and {@code Session} has a
 * package-private constructor that wraps an existing {@code TF_Session}. This class and {@link
 * NativeGraph} are the only places that reach into TF Java's internals, by reflection: the graph's
 * native handle and that constructor. If a TF Java upgrade renames either, {@link #open} fails with an error saying so
 * (and {@code RemoteSessionTest} fails), rather than silently running locally.
 */
public final class RemoteSession {
  private RemoteSession() {}

  /**
   * Opens a session on {@code graph} whose master is {@code target}.
   *
   * @param target e.g. {@code grpc://127.0.0.1:2222}; empty: an ordinary in-process session
   * @param config session options (thread pools, placement); sent to the master
   */
  public static Session open(Graph graph, String target, ConfigProto config) {
    if (target == null || target.isEmpty()) return new Session(graph, config);
    if (!target.startsWith("grpc://")) {
      throw new IllegalArgumentException("session target must look like grpc://host:port, got '" + target + "'");
    }
    TF_Graph graphHandle = NativeGraph.handle(graph);
    TF_SessionOptions options = tensorflow.TF_NewSessionOptions();
    try (TF_Status status = TF_Status.newStatus()) {
      tensorflow.TF_SetTarget(options, target);
      byte[] bytes = config.toByteArray();
      try (BytePointer p = new BytePointer(bytes)) {
        tensorflow.TF_SetConfig(options, p, bytes.length, status);
        status.throwExceptionIfNotOK();
      }
      TF_Session session = tensorflow.TF_NewSession(graphHandle, options, status);
      status.throwExceptionIfNotOK();
      return wrap(graph, session);
    } finally {
      tensorflow.TF_DeleteSessionOptions(options);
    }
  }

  private static Session wrap(Graph graph, TF_Session handle) {
    try {
      Constructor<Session> c = Session.class.getDeclaredConstructor(Graph.class, TF_Session.class);
      c.setAccessible(true);
      return c.newInstance(graph, handle);
    } catch (ReflectiveOperationException e) {
      try (TF_Status status = TF_Status.newStatus()) {
        tensorflow.TF_CloseSession(handle, status);
        tensorflow.TF_DeleteSession(handle, status);
      }
      throw new IllegalStateException(incompatible("the Session(Graph, TF_Session) constructor"), e);
    }
  }

  private static String incompatible(String what) {
    return "this TensorFlow Java version has no " + what + ", which RemoteSession needs to open a session on a "
        + "grpc:// target (written for TF Java 1.1.0); see docs/design.md section 7";
  }
}
