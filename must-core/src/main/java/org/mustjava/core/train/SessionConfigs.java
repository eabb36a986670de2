package org.mustjava.core.train;

import org.tensorflow.proto.ConfigProto;

/** Session configurations the engine uses. */
public final class SessionConfigs {
  private SessionConfigs() {}

  /**
   * @param cpuDevices logical CPU devices ({@code /device:CPU:0..n-1}); more than one lets data
   *     parallel towers be tested on one CPU
   * @param intraOpThreads threads inside one op (0: TF's default, all cores)
   * @param interOpThreads ops run concurrently (0: TF's default). Results do not depend on it: each
   *     op's result is fixed by its inputs and the train step orders updates after all gradients.
   */
  public static ConfigProto create(int cpuDevices, int intraOpThreads, int interOpThreads) {
    ConfigProto.Builder b = ConfigProto.newBuilder()
        .setAllowSoftPlacement(true)
        .setIntraOpParallelismThreads(Math.max(0, intraOpThreads))
        .setInterOpParallelismThreads(Math.max(0, interOpThreads));
    if (cpuDevices > 1) b.putDeviceCount("CPU", cpuDevices);
    return b.build();
  }
}
