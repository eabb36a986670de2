package org.mustjava.core.distributed;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import java.util.OptionalInt;
import org.mustjava.core.cli.CommandLine;
import org.mustjava.core.train.SessionConfigs;
import org.tensorflow.Server;

/**
 * {@code tools/run-worker --cluster worker=host:port,... --task N}: serves task {@code N} (N >= 1)
 * of a training cluster until killed. Task 0 is the chief, the {@code tools/run-experiment} process
 * started with the same {@code --cluster}; the workers hold no state of their own (variables,
 * checkpoints and summaries live with the chief), so a killed worker is simply started again.
 */
public final class WorkerMain {
  @Parameters(separators = "=")
  static final class Flags {
    @Parameter(names = "--cluster", required = true, description = "Every task's address, task 0 (the chief) first: worker=host:port,host:port,...")
    String cluster;

    @Parameter(names = "--task", required = true, description = "This worker's task index (1..n-1; 0 is the chief).")
    int task;

    @Parameter(names = "--cpu_devices", description = "Logical CPU devices this worker serves (towers per worker).")
    int cpuDevices = 1;

  }

  private WorkerMain() {}

  public static void main(String[] args) throws Exception {
    Flags f = new Flags();
    CommandLine commandLine = new CommandLine("tools/run-worker",
        "Serves one task (N >= 1) of a training cluster until killed; task 0 is the chief, tools/run-experiment\n"
            + "started with the same --cluster.",
        "0 stopped, 1 failure while serving, 2 usage error", f);
    OptionalInt exit = commandLine.parse(args, System.out, System.err);
    if (exit.isPresent()) System.exit(exit.getAsInt());
    ClusterSpec spec;
    try {
      spec = ClusterSpec.parse(f.cluster);
    } catch (IllegalArgumentException e) {
      System.exit(commandLine.usageError("--cluster: " + e.getMessage(), System.err));
      return;
    }
    if (f.task < 1 || f.task >= spec.size()) {
      System.exit(commandLine.usageError("--task must be 1.." + (spec.size() - 1)
          + " (task 0 is the chief, tools/run-experiment --cluster)", System.err));
    }
    if (f.cpuDevices < 1) System.exit(commandLine.usageError("--cpu_devices must be >= 1", System.err));
    Server server = new Server(spec.serverDef(f.task, SessionConfigs.create(f.cpuDevices, 0, 0)));
    server.start();
    System.out.println("worker task " + f.task + " of " + spec + " serving on " + spec.workers().get(f.task));
    System.out.flush();
    server.join();
  }
}
