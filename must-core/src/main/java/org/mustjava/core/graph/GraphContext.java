package org.mustjava.core.graph;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Where model builders create ops and variables.
 *
 * <p>A context is a view (name scope, training flag, device) on state shared by the whole graph:
 * the variable store, keyed by full hierarchical name, and the list of update ops (BatchNorm moving
 * statistics) the train step must run. Asking twice for the same variable name returns the same
 * variable, so a model built a second time (an eval tower, a device tower) shares its weights.
 *
 * <p>Variables are ref-typed {@code VariableV2} ops (what {@code Session.save/restore} and the
 * framework optimisers handle); {@link #variable} returns the value read through {@code Identity},
 * because math ops applied directly to a ref variable crash {@code Graph.addGradients}.
 *
 * <p>Names: {@link #scope(String)} appends a path component; variable names are the scope path plus
 * the local name, e.g. {@code backbone/stage2/block1/conv1/kernel}. Op names below a scope are made
 * unique by TF as usual; variable names must not collide with different shapes.
 */
public final class GraphContext {
  private final Shared shared;
  private final String path;
  private final boolean training;
  private final String device;

  private static final class Shared {
    final Graph graph;
    final long seed;
    final Precision precision;
    final Map<String, ModelVariable> variables = new LinkedHashMap<>();
    final List<Op> updateOps = new ArrayList<>();
    final List<MovingAverage> movingAverages = new ArrayList<>();
    // One Ops per scope path: TF Java makes a sub-scope name unique each time it is entered, so
    // entering "backbone" twice would give "backbone" and "backbone_1".
    final Map<String, Ops> opsByPath = new java.util.HashMap<>();

    synchronized Ops opsFor(String path) {
      Ops ops = opsByPath.get(path);
      if (ops == null) {
        int slash = path.lastIndexOf('/');
        Ops parent = path.isEmpty() ? TrackedScope.ops(graph)
            : opsFor(slash < 0 ? "" : path.substring(0, slash));
        ops = path.isEmpty() ? parent : parent.withSubScope(path.substring(slash + 1));
        opsByPath.put(path, ops);
      }
      return ops;
    }

    Shared(Graph graph, long seed, Precision precision) {
      this.graph = graph;
      this.seed = seed;
      this.precision = precision;
    }
  }

  private GraphContext(Shared shared, String path, boolean training, String device) {
    this.shared = shared;
    this.path = path;
    this.training = training;
    this.device = device;
  }

  /** A root context in training mode with float32 compute. {@code seed} drives every variable initializer. */
  public static GraphContext create(Graph graph, long seed) {
    return create(graph, seed, Precision.float32());
  }

  /** A root context in training mode whose layers compute in {@code precision}'s compute type. */
  public static GraphContext create(Graph graph, long seed, Precision precision) {
    return new GraphContext(new Shared(graph, seed, Objects.requireNonNull(precision)), "", true, "");
  }

  public Graph graph() {
    return shared.graph;
  }

  public long seed() {
    return shared.seed;
  }

  /** The graph's precision policy: the type layers compute in; variables are float32 whatever it is. */
  public Precision precision() {
    return shared.precision;
  }

  /** The scope path of this context ("" at the root, else e.g. {@code backbone/stage2}). */
  public String path() {
    return path;
  }

  public boolean isTraining() {
    return training;
  }

  public String device() {
    return device;
  }

  /** A child context whose ops and variables live below {@code name}. */
  public GraphContext scope(String name) {
    checkComponent(name);
    return new GraphContext(shared, path.isEmpty() ? name : path + "/" + name, training, device);
  }

  /** The same scope in another mode: BatchNorm uses batch statistics and records updates only in training. */
  public GraphContext withTraining(boolean training) {
    return new GraphContext(shared, path, training, device);
  }

  /** The same scope with ops placed on {@code device} (e.g. {@code /device:CPU:1}); variables are shared. */
  public GraphContext onDevice(String device) {
    return new GraphContext(shared, path, training, Objects.requireNonNull(device));
  }

  /** Ops builder for this scope (and device). */
  public Ops tf() {
    Ops tf = shared.opsFor(path);
    if (!device.isEmpty()) tf = tf.withDevice(parseDevice(device));
    return tf;
  }

  /**
   * Gets or creates a float variable {@code path/name} and returns its value (read via Identity).
   *
   * @throws IllegalStateException if the name exists with another shape or other flags
   */
  public Operand<TFloat32> variable(
      String name, Shape shape, Initializer initializer, boolean trainable, boolean weightDecay) {
    ModelVariable v = getOrCreate(name, shape, initializer, trainable, weightDecay);
    return tf().withName(name + "_read").identity(v.variable());
  }

  /** Gets or creates a variable and returns the ref handle itself, e.g. for Assign ops. */
  public ModelVariable getOrCreate(
      String name, Shape shape, Initializer initializer, boolean trainable, boolean weightDecay) {
    checkComponent(name);
    String fullName = path.isEmpty() ? name : path + "/" + name;
    synchronized (shared) {
      ModelVariable existing = shared.variables.get(fullName);
      if (existing != null) {
        if (!existing.shape().equals(shape)
            || existing.trainable() != trainable
            || existing.weightDecay() != weightDecay) {
          throw new IllegalStateException(
              "variable " + fullName + " exists as " + existing.shape() + " trainable="
                  + existing.trainable() + " weightDecay=" + existing.weightDecay()
                  + " but was requested as " + shape + " trainable=" + trainable
                  + " weightDecay=" + weightDecay);
        }
        return existing;
      }
      // Variables and their initializers live at the root with their full name, on no device:
      // towers on other devices read them.
      Ops init = shared.opsFor(path).withInitScope();
      Operand<TFloat32> initial =
          initializer.initialValue(init.withSubScope(name + "_init"), shape, seedFor(fullName));
      // The VariableV2 op gets exactly the full name (the checkpoint key), never a uniquified one.
      Variable<TFloat32> var =
          new Variable<>(
              shared.graph
                  .opBuilder("VariableV2", fullName, init.scope())
                  .setAttr("shape", shape)
                  .setAttr("dtype", org.tensorflow.proto.DataType.DT_FLOAT)
                  .build());
      init.withName(name + "_assign").assign(var, initial);
      ModelVariable created = new ModelVariable(fullName, shape, var, trainable, weightDecay);
      shared.variables.put(fullName, created);
      return created;
    }
  }

  /** Registers an op the train step must run (e.g. a BatchNorm moving-average update). */
  public void addUpdateOp(Op op) {
    synchronized (shared) {
      shared.updateOps.add(op);
    }
  }

  /**
   * Registers a moving statistic of {@code variable}: builds its single-tower update {@code
   * moving -= decay * (moving - batchValue)} (named {@code name}), adds it to {@link #updateOps()}
   * and records it in {@link #movingAverages()} so that multi-tower training can average the
   * towers' batch values first ({@code TrainingGraph}).
   */
  public MovingAverage addMovingAverage(String name, ModelVariable variable, Operand<TFloat32> batchValue, float decay) {
    Ops tf = tf();
    Operand<TFloat32> read = tf.identity(variable.variable());
    Op update = tf.withName(name).assignSub(variable.variable(), tf.math.mul(tf.math.sub(read, batchValue), tf.constant(decay)));
    MovingAverage m = new MovingAverage(variable, batchValue, decay, update);
    synchronized (shared) {
      shared.updateOps.add(update);
      shared.movingAverages.add(m);
    }
    return m;
  }

  /** Every moving statistic registered so far, in creation order. */
  public List<MovingAverage> movingAverages() {
    synchronized (shared) {
      return List.copyOf(shared.movingAverages);
    }
  }

  /** Every update op registered so far, in creation order. */
  public List<Op> updateOps() {
    synchronized (shared) {
      return List.copyOf(shared.updateOps);
    }
  }

  /** Every variable created so far, in creation order. */
  public List<ModelVariable> variables() {
    synchronized (shared) {
      return Collections.unmodifiableList(new ArrayList<>(shared.variables.values()));
    }
  }

  public List<ModelVariable> variables(Predicate<ModelVariable> filter) {
    return variables().stream().filter(filter).toList();
  }

  public List<ModelVariable> trainableVariables() {
    return variables(ModelVariable::trainable);
  }

  /** Kernels subject to L2 weight decay. */
  public List<ModelVariable> weightDecayVariables() {
    return variables(ModelVariable::weightDecay);
  }

  /** Total number of scalars in variables whose full name starts with {@code prefix} ("" for all). */
  public long parameterCount(String prefix, boolean trainableOnly) {
    long n = 0;
    for (ModelVariable v : variables()) {
      if (v.name().startsWith(prefix) && (!trainableOnly || v.trainable())) n += v.shape().size();
    }
    return n;
  }

  private static void checkComponent(String name) {
    if (name == null || !name.matches("[A-Za-z0-9.][A-Za-z0-9_.\\-]*")) {
      throw new IllegalArgumentException(
          "a scope or variable name must be one path component matching [A-Za-z0-9.][A-Za-z0-9_.-]*: '"
              + name + "'");
    }
  }

  /** Parses {@code /job:worker/replica:0/task:1/device:GPU:0} (any subset, any order). */
  static org.tensorflow.DeviceSpec parseDevice(String spec) {
    var b = org.tensorflow.DeviceSpec.newBuilder();
    for (String part : spec.split("/")) {
      if (part.isEmpty()) continue;
      String[] kv = part.split(":");
      try {
        switch (kv[0].toLowerCase(java.util.Locale.ROOT)) {
          case "job" -> b.job(kv[1]);
          case "replica" -> b.replica(Integer.parseInt(kv[1]));
          case "task" -> b.task(Integer.parseInt(kv[1]));
          case "device" -> {
            b.deviceType(org.tensorflow.DeviceSpec.DeviceType.valueOf(kv[1].toUpperCase(java.util.Locale.ROOT)));
            if (kv.length > 2 && !kv[2].equals("*")) b.deviceIndex(Integer.parseInt(kv[2]));
          }
          case "cpu", "gpu" -> {
            b.deviceType(org.tensorflow.DeviceSpec.DeviceType.valueOf(kv[0].toUpperCase(java.util.Locale.ROOT)));
            if (kv.length > 1) b.deviceIndex(Integer.parseInt(kv[1]));
          }
          default -> throw new IllegalArgumentException("unknown component '" + part + "'");
        }
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("bad device spec '" + spec + "': " + e.getMessage(), e);
      }
    }
    return b.build();
  }

  /** Stateless-RNG seed pair derived from the global seed and a name (stable across runs and JVMs). */
  public long[] seedFor(String name) {
    long h = 0xcbf29ce484222325L; // FNV-1a 64
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return new long[] {shared.seed, h};
  }
}
