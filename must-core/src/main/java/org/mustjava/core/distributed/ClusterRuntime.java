package org.mustjava.core.distributed;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tensorflow.Graph;
import org.tensorflow.Server;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.proto.ConfigProto;

/**
 * This process's place in a TensorFlow cluster. A process that calls {@link #startChief} is task 0
 * of the cluster (the chief): it serves its own devices in-process, and every session the engine
 * opens ({@link #openSession}) has this server as master, so one graph spans the workers; towers
 * go to {@link #towerDevices}. Without a cluster, sessions are ordinary in-process ones.
 *
 * <p>Process-wide state on purpose: being the chief is a property of the process (TF servers
 * cannot even be stopped cleanly: "Clean shutdown is not currently implemented"), not of one
 * trainer.
 */
public final class ClusterRuntime {
  private static ClusterSpec cluster;
  private static Server server;

  private ClusterRuntime() {}

  /**
   * Starts task 0 of {@code spec} in this process. Idempotent for the same cluster; a different
   * cluster in the same process is an error.
   */
  public static synchronized void startChief(ClusterSpec spec, ConfigProto config) {
    if (cluster != null) {
      if (cluster.equals(spec)) return;
      throw new IllegalStateException("this process is already the chief of " + cluster + "; cannot join " + spec);
    }
    Server s = new Server(spec.serverDef(0, config));
    s.start();
    server = s;
    cluster = spec;
  }

  /** The cluster this process is the chief of, if any. */
  public static synchronized Optional<ClusterSpec> cluster() {
    return Optional.ofNullable(cluster);
  }

  /** A session on {@code graph}: through the chief's server when in a cluster, in-process otherwise. */
  public static Session openSession(Graph graph, ConfigProto config) {
    Optional<ClusterSpec> c = cluster();
    return c.isPresent() ? RemoteSession.open(graph, c.get().target(0), config) : new Session(graph, config);
  }

  /**
   * The devices of the data-parallel towers: {@code devices} as given outside a cluster; in a
   * cluster, every worker task times each of {@code devices} (e.g. {@code /device:CPU:0}), or one
   * tower per task when {@code devices} is empty. Devices that already name a job are kept as they are.
   */
  public static List<String> towerDevices(List<String> devices) {
    Optional<ClusterSpec> c = cluster();
    if (c.isEmpty() || devices.stream().anyMatch(d -> d.startsWith("/job:"))) return devices;
    List<String> out = new ArrayList<>();
    for (int task = 0; task < c.get().size(); task++) {
      if (devices.isEmpty()) out.add(c.get().device(task));
      for (String d : devices) out.add(c.get().device(task) + d);
    }
    return out;
  }

  private static final Pattern TASK = Pattern.compile("/job:" + ClusterSpec.JOB + "/replica:\\d+/task:(\\d+)");

  /**
   * {@code e} with a message naming the worker it concerns, when this process is a chief and
   * TensorFlow's message names a task of the cluster (e.g. after a worker died); else {@code e}.
   */
  public static RuntimeException explain(RuntimeException e) {
    Optional<ClusterSpec> c = cluster();
    if (c.isEmpty() || !(e instanceof TensorFlowException)) return e;
    String message = String.valueOf(e.getMessage());
    Matcher m = TASK.matcher(message);
    String worker = null;
    while (m.find()) {
      int task = Integer.parseInt(m.group(1));
      if (task > 0 && task < c.get().size()) {
        worker = "worker task " + task + " (" + c.get().workers().get(task) + ")";
        break;
      }
    }
    if (worker == null) {
      for (int task = 1; task < c.get().size(); task++) {
        if (message.contains(c.get().workers().get(task))) {
          worker = "worker task " + task + " (" + c.get().workers().get(task) + ")";
          break;
        }
      }
    }
    if (worker == null) return e;
    return new IllegalStateException(worker + " of the cluster " + c.get() + " failed or is unreachable; "
        + "restart it (tools/run-worker) and rerun this command to resume from the last checkpoint. "
        + "TensorFlow said: " + firstLine(message), e);
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
