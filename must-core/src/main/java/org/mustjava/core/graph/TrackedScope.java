package org.mustjava.core.graph;

import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Logger;
import org.tensorflow.DeviceSpec;
import org.tensorflow.ExecutionEnvironment;
import org.tensorflow.Graph;
import org.tensorflow.Operation;
import org.tensorflow.OperationBuilder;
import org.tensorflow.op.Ops;
import org.tensorflow.op.Scope;

/**
 * A graph {@link Scope} whose sub-scopes cost O(1) to create.
 *
 * <p>Why: TF Java 1.1.0's own scope ({@code OpScope}) learns the names in use below a new sub-scope
 * by walking every operation of the graph through JNI ({@code NameScope.importIdsFrom}), so a
 * graph with n scopes costs O(n x ops) to build: minutes for a ResNet-152 detector (docs/design.md
 * section 8). This scope keeps, per scope path, the counters of the names it handed out, and
 * checks each candidate op name against the graph ({@code Graph.operation(name)}, a hash lookup),
 * skipping names made by any other route (TF's base scope, {@code addGradients}, explicit names).
 * Root-level names are drawn from the graph's own base scope, so code that builds with
 * {@code Ops.create(graph)} beside it gets no clash either.
 *
 * <p>Op names are the same as TF's scope would give for the same sequence of calls on a graph
 * built only through these scopes. Device, control dependencies and init-scope semantics are
 * those of {@code OpScope}.
 */
public final class TrackedScope implements Scope {
  private static final Logger LOG = Logger.getLogger(TrackedScope.class.getName());

  private final Graph graph;
  /** Full path of this scope ("" at the root). */
  private final String prefix;
  /** Names handed out directly below {@link #prefix} (unused at the root, which uses the graph's). */
  private final Map<String, Integer> ids;
  /** Set by {@link #withName}: the base name of the next op instead of its type's default. */
  private final String opName;
  private final List<Operation> controlDependencies;
  private final DeviceSpec device;
  private final boolean init;

  private TrackedScope(Graph graph, String prefix, Map<String, Integer> ids, String opName,
      List<Operation> controlDependencies, DeviceSpec device, boolean init) {
    this.graph = graph;
    this.prefix = prefix;
    this.ids = ids;
    this.opName = opName;
    this.controlDependencies = controlDependencies;
    this.device = device;
    this.init = init;
  }

  /** The root scope of {@code graph}. */
  public static TrackedScope root(Graph graph) {
    return new TrackedScope(Objects.requireNonNull(graph), "", new HashMap<>(), null, List.of(),
        DeviceSpec.newBuilder().build(), false);
  }

  /**
   * The system property that, set to {@code true}, makes {@link #ops} return TF's own scopes: the
   * escape hatch should this scope ever disagree with TF's, and the baseline of {@code
   * tools/benchmark graphbuild}.
   */
  public static final String TF_SCOPES_PROPERTY = "must.tf_scopes";

  /**
   * An {@link Ops} whose scopes (and sub-scopes made with {@link Ops#withSubScope}) are {@link
   * TrackedScope}s. Falls back to TF's own scope, with a warning, if this TF Java version does not
   * let {@code Ops} be made from a scope (its constructor is package-private in 1.1.0), or when
   * {@link #TF_SCOPES_PROPERTY} is set.
   */
  public static Ops ops(Graph graph) {
    Constructor<Ops> constructor = OpsConstructor.INSTANCE;
    if (constructor == null || Boolean.getBoolean(TF_SCOPES_PROPERTY)) return Ops.create(graph);
    try {
      return constructor.newInstance(root(graph));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot make Ops from a TrackedScope", e);
    }
  }

  private static final class OpsConstructor {
    static final Constructor<Ops> INSTANCE = find();

    private static Constructor<Ops> find() {
      try {
        Constructor<Ops> c = Ops.class.getDeclaredConstructor(Scope.class);
        c.setAccessible(true);
        return c;
      } catch (ReflectiveOperationException | RuntimeException e) {
        LOG.warning("TF Java's Ops(Scope) constructor is not accessible (" + e
            + "): graph building uses TF's own scopes, whose cost grows with the graph's size");
        return null;
      }
    }
  }

  @Override
  public ExecutionEnvironment env() {
    return graph;
  }

  @Override
  public TrackedScope withSubScope(String childScopeName) {
    checkName(childScopeName);
    String base = opName != null ? opName : childScopeName;
    return child(qualify(uniqueName(base)));
  }

  @Override
  public TrackedScope withName(String name) {
    checkName(name);
    return new TrackedScope(graph, prefix, ids, name, controlDependencies, device, init);
  }

  @Override
  public TrackedScope withNameAsSubScope(String defaultName) {
    return child(makeOpName(defaultName));
  }

  @Override
  public TrackedScope withDevice(DeviceSpec newDevice) {
    return new TrackedScope(graph, prefix, ids, opName, controlDependencies, newDevice, init);
  }

  @Override
  public TrackedScope withInitScope() {
    return new TrackedScope(graph, prefix, ids, opName, List.of(), device, true);
  }

  @Override
  public String makeOpName(String defaultName) {
    checkName(defaultName);
    String base = opName != null ? opName : defaultName;
    String name = qualify(uniqueName(base));
    // Names made by other routes (explicit names, addGradients, other scopes of this path) are
    // skipped: what the graph already holds is the truth.
    while (graph.operation(name) != null) name = qualify(uniqueName(base));
    return name;
  }

  @Override
  public String makeUnique(String id) {
    return uniqueName(id);
  }

  @Override
  public void refreshNames() {
    // Nothing to import: makeOpName consults the graph itself.
  }

  @Override
  public Scope withControlDependencyOps(Iterable<Operation> controls) {
    List<Operation> kept = new ArrayList<>();
    for (Operation op : controls) {
      graph.checkInput(op);
      if (init && !graph.isInitializer(op)) {
        throw new IllegalArgumentException("Init scope can not have non-init control dependency.");
      }
      if (init || !graph.isInitializer(op)) kept.add(op);
    }
    return new TrackedScope(graph, prefix, ids, opName, List.copyOf(kept), device, init);
  }

  @Override
  public OperationBuilder apply(OperationBuilder builder) {
    builder.setDevice(device.toString());
    for (Operation control : controlDependencies) {
      if (init || !graph.isInitializer(control)) builder.addControlInput(control);
    }
    return builder;
  }

  @Override
  public String getDeviceString() {
    return device.toString();
  }

  @Override
  public boolean isInit() {
    return init;
  }

  /** The path of this scope ("" at the root). */
  public String path() {
    return prefix;
  }

  // Every path is entered once (its last component was made unique at its parent's level), so a
  // child's counters start empty.
  private TrackedScope child(String path) {
    return new TrackedScope(graph, path, new HashMap<>(), null, controlDependencies, device, init);
  }

  /** A name unique among those handed out at this scope's level (TF's "a", "a_1", ... scheme). */
  private String uniqueName(String base) {
    if (prefix.isEmpty()) return graph.baseScope().makeUnique(base);
    synchronized (ids) {
      Integer used = ids.get(base);
      ids.put(base, used == null ? 1 : used + 1);
      return used == null ? base : base + "_" + used;
    }
  }

  private String qualify(String name) {
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  private static void checkName(String name) {
    if (name == null || !Scope.isValidOpName(name) || name.indexOf('/') >= 0) {
      throw new IllegalArgumentException("invalid name: '" + name
          + "' (a name must match [A-Za-z0-9.][A-Za-z0-9_.\\-]* and contain no '/')");
    }
  }
}
