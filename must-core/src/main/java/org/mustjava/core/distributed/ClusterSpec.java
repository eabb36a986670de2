package org.mustjava.core.distributed;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.proto.ClusterDef;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.JobDef;
import org.tensorflow.proto.ServerDef;

/**
 * The workers of a TensorFlow cluster: one job, {@code worker}, whose task {@code i} listens on
 * {@code host:port} number {@code i}. Task 0 is the chief: it runs the training loop, holds the
 * variables, and writes checkpoints and summaries; the others only compute their towers.
 *
 * @param workers {@code host:port} of each task, in task order
 */
public record ClusterSpec(List<String> workers) {
  /** The job every task belongs to. */
  public static final String JOB = "worker";

  public ClusterSpec {
    if (workers.isEmpty()) throw new IllegalArgumentException("a cluster needs at least one worker");
    for (String w : workers) {
      int colon = w.lastIndexOf(':');
      if (colon <= 0 || colon == w.length() - 1 || !w.substring(colon + 1).chars().allMatch(Character::isDigit)) {
        throw new IllegalArgumentException("worker address must be host:port, got '" + w + "'");
      }
    }
    workers = List.copyOf(workers);
  }

  /** Parses {@code worker=host:port,host:port,...} (the {@code --cluster} flag of tools/run-worker). */
  public static ClusterSpec parse(String spec) {
    String s = spec.trim();
    if (!s.startsWith(JOB + "=")) {
      throw new IllegalArgumentException("cluster must look like worker=host:port,host:port..., got '" + spec + "'");
    }
    List<String> workers = new ArrayList<>();
    for (String w : s.substring(JOB.length() + 1).split(",")) {
      if (!w.isBlank()) workers.add(w.trim());
    }
    return new ClusterSpec(workers);
  }

  public int size() {
    return workers.size();
  }

  /** The device prefix of task {@code task}, e.g. {@code /job:worker/replica:0/task:1}. */
  public String device(int task) {
    checkTask(task);
    return "/job:" + JOB + "/replica:0/task:" + task;
  }

  /** The session target that makes task {@code task} the master, {@code grpc://host:port}. */
  public String target(int task) {
    checkTask(task);
    return "grpc://" + workers.get(task);
  }

  /** The server definition of task {@code task}. */
  public ServerDef serverDef(int task, ConfigProto config) {
    checkTask(task);
    JobDef.Builder job = JobDef.newBuilder().setName(JOB);
    for (int i = 0; i < workers.size(); i++) job.putTasks(i, workers.get(i));
    return ServerDef.newBuilder()
        .setCluster(ClusterDef.newBuilder().addJob(job))
        .setJobName(JOB)
        .setTaskIndex(task)
        .setProtocol("grpc")
        .setDefaultSessionConfig(config)
        .build();
  }

  @Override
  public String toString() {
    return JOB + "=" + String.join(",", workers);
  }

  private void checkTask(int task) {
    if (task < 0 || task >= workers.size()) {
      throw new IllegalArgumentException("task " + task + " is not in the cluster " + this);
    }
  }

  /** {@code n} addresses on 127.0.0.1 with ports free right now (tests, local runs). */
  public static ClusterSpec localhost(int n) throws IOException {
    List<String> workers = new ArrayList<>();
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        held.add(s);
        workers.add("127.0.0.1:" + s.getLocalPort());
      }
    } finally {
      for (ServerSocket s : held) s.close();
    }
    return new ClusterSpec(workers);
  }
}
