package org.mustjava.core.distributed;

import com.beust.jcommander.JCommander;
import com.beust.jcommander.Parameter;
import com.beust.jcommander.ParameterException;
import org.mustjava.core.train.SessionConfigs;
import org.tensorflow.Server;

/**
 * {@code tools/run-worker --cluster worker=host:port,... --task N}: serves task {@code N} (N >= 1)
 * of a training cluster until killed. Task 0 is the chief, the {@code tools/run-experiment} process
 * started with the same {@code --cluster}; the workers hold no state of their own (variables,
 * checkpoints and summaries live with the chief), so a killed worker is simply started again.
 */
public final class WorkerMain {
  static final class Flags {
    @Parameter(names = "--cluster", required = true, description = "Every task's address, task 0 (the chief) first: worker=host:port,host:port,...")
    String cluster;

    @Parameter(names = "--task", required = true, description = "This worker's task index (1..n-1; 0 is the chief).")
    int task;

    @Parameter(names = "--cpu_devices", description = "Logical CPU devices this worker serves (towers per worker).")
    int cpuDevices = 1;

    @Parameter(names = {"--help", "-h"}, help = true, description = "Print this help and exit.")
    boolean help;
  }

  private WorkerMain() {}

  public static void main(String[] args) throws Exception {
    Flags f = new Flags();
    JCommander commander = JCommander.newBuilder().programName("tools/run-worker").addObject(f).build();
    ClusterSpec spec;
    try {
      commander.parse(args);
      if (f.help) {
        commander.usage();
        return;
      }
      spec = ClusterSpec.parse(f.cluster);
      if (f.task < 1 || f.task >= spec.size()) {
        throw new ParameterException("--task must be 1.." + (spec.size() - 1) + " (task 0 is the chief, tools/run-experiment --cluster)");
      }
      if (f.cpuDevices < 1) throw new ParameterException("--cpu_devices must be >= 1");
    } catch (ParameterException | IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println("Run tools/run-worker --help for the options.");
      System.exit(2);
      return;
    }
    Server server = new Server(spec.serverDef(f.task, SessionConfigs.create(f.cpuDevices, 0, 0)));
    server.start();
    System.out.println("worker task " + f.task + " of " + spec + " serving on " + spec.workers().get(f.task));
    System.out.flush();
    server.join();
  }
}
