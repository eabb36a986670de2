package org.mustjava.core.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Server;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;

/**
 * A session on a grpc:// target runs one graph across two workers. This is the test that fails
 * loudly if a TF Java upgrade breaks {@link RemoteSession}'s use of TF Java internals.
 */
class RemoteSessionTest {

  @Test
  void oneGraphRunsOnTwoWorkers() throws Exception {
    ClusterSpec cluster = ClusterSpec.localhost(2);
    ConfigProto config = ConfigProto.newBuilder().build();
    // In-process servers cannot be stopped (TF: "Clean shutdown is not currently implemented"); they
    // live until the test JVM ends.
    Server w0 = new Server(cluster.serverDef(0, config));
    Server w1 = new Server(cluster.serverDef(1, config));
    w0.start();
    w1.start();
    {
      try (Graph g = new Graph()) {
        Ops tf = Ops.create(g);
        // A fed input, so that constant folding cannot remove the op under test.
        Operand<TFloat32> x = tf.placeholder(TFloat32.class);
        Operand<TFloat32> a = tf.withDevice(org.tensorflow.DeviceSpec.newBuilder().job("worker").task(1).build())
            .withName("on_task_1").math.mul(x, tf.constant(4f));
        Operand<TFloat32> b = tf.withDevice(org.tensorflow.DeviceSpec.newBuilder().job("worker").task(0).build())
            .withName("on_task_0").math.add(a, tf.constant(1f));
        try (Session s = RemoteSession.open(g, cluster.target(0), config);
            TFloat32 three = TFloat32.scalarOf(3f);
            Result r = s.runner().feed(x, three).fetch(b)
                .setOptions(RunOptions.newBuilder().setOutputPartitionGraphs(true).build())
                .runAndFetchMetadata()) {
          assertEquals(13f, ((TFloat32) r.get(0)).getFloat());
          RunMetadata md = r.getMetadata().orElseThrow();
          Set<String> devices = new HashSet<>();
          for (GraphDef part : md.getPartitionGraphsList()) {
            for (NodeDef n : part.getNodeList()) {
              if (n.getName().equals("on_task_1") || n.getName().equals("on_task_0")) devices.add(n.getName() + "@" + n.getDevice());
            }
          }
          assertTrue(devices.contains("on_task_1@/job:worker/replica:0/task:1/device:CPU:0"), devices.toString());
          assertTrue(devices.contains("on_task_0@/job:worker/replica:0/task:0/device:CPU:0"), devices.toString());
        }
      }
    }
  }
}
