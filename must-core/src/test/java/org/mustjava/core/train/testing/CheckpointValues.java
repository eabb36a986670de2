package org.mustjava.core.train.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mustjava.core.checkpoint.CheckpointInfo;
import org.mustjava.core.checkpoint.CheckpointManager;
import org.mustjava.core.checkpoint.CheckpointManifest;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.train.Restore;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.types.TString;
import org.tensorflow.types.TFloat32;

/** The float variables of a checkpoint, read back with RestoreV2 (tests compare runs by them). */
public final class CheckpointValues {
  private CheckpointValues() {}

  /** Every float32 variable of the latest checkpoint in {@code checkpointDir}, by name. */
  public static Map<String, float[]> latest(Path checkpointDir) throws IOException {
    CheckpointInfo info = new CheckpointManager(checkpointDir, 1).latest()
        .orElseThrow(() -> new IllegalStateException("no checkpoint in " + checkpointDir));
    List<String> names = new ArrayList<>();
    for (CheckpointManifest.Entry e : CheckpointManifest.read(info.manifestFile()).entries().values()) {
      if (e.dtype().equals("DT_FLOAT") || e.dtype().equalsIgnoreCase("float32") || e.dtype().equalsIgnoreCase("float")) {
        names.add(e.name());
      }
    }
    Map<String, float[]> out = new TreeMap<>();
    if (names.isEmpty()) return out;
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      List<Class<? extends org.tensorflow.types.family.TType>> types = new ArrayList<>();
      for (int i = 0; i < names.size(); i++) types.add(TFloat32.class);
      Restore restore = tf.train.restore(tf.constant(info.prefix()), strings(tf, names.toArray(String[]::new)),
          strings(tf, names.stream().map(n -> "").toArray(String[]::new)), types);
      Session.Runner r = s.runner();
      for (Operand<?> t : restore.tensors()) r.fetch(t);
      try (Result res = r.run()) {
        for (int i = 0; i < names.size(); i++) {
          TFloat32 t = (TFloat32) res.get(i);
          float[] v = new float[(int) t.size()];
          t.asRawTensor().data().asFloats().read(v);
          out.put(names.get(i), v);
        }
      }
    }
    return out;
  }

  private static Operand<TString> strings(Ops tf, String[] values) {
    return tf.constant(NdArrays.vectorOfObjects(values));
  }
}
