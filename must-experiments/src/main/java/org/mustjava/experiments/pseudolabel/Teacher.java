package org.mustjava.experiments.pseudolabel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.mustjava.data.labels.LabelType;
import java.util.TreeSet;
import org.mustjava.core.export.FrozenTeacher;
import org.tensorflow.Result;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;

/**
 * A loaded {@link SavedModelTeacher}: the {@link FrozenTeacher} with its signature checked against
 * the configuration, and the resolved input (name, type, size, batch size).
 */
public final class Teacher implements AutoCloseable {
  private final SavedModelTeacher config;
  private final FrozenTeacher frozen;
  private final String inputName;
  private final boolean uint8Input;
  private final int inputSize;
  private final int fixedBatchSize;

  private Teacher(SavedModelTeacher config, FrozenTeacher frozen, String inputName, boolean uint8Input, int inputSize,
      int fixedBatchSize) {
    this.config = config;
    this.frozen = frozen;
    this.inputName = inputName;
    this.uint8Input = uint8Input;
    this.inputSize = inputSize;
    this.fixedBatchSize = fixedBatchSize;
  }

  /**
   * Loads the teachers in order, each SavedModel directory once: teachers on the same directory
   * (e.g. the heads of one multi-task export) share its session and, optimised, one graph.
   * {@code onLoaded} gets each teacher as it is loaded (the stages log its optimisation). On an
   * error the teachers loaded so far are closed.
   */
  static List<Teacher> loadAll(List<SavedModelTeacher> configs, Path modelDir,
      java.util.function.BiConsumer<SavedModelTeacher, Teacher> onLoaded) {
    Map<String, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < configs.size(); i++) {
      SavedModelTeacher c = configs.get(i);
      groups.computeIfAbsent(c.resolve(modelDir) + "\n" + c.optimize(), k -> new ArrayList<>()).add(i);
    }
    Teacher[] loaded = new Teacher[configs.size()];
    try {
      for (List<Integer> group : groups.values()) {
        SavedModelTeacher first = configs.get(group.get(0));
        Path dir = first.resolve(modelDir);
        List<FrozenTeacher.SignatureChoice> choices = new ArrayList<>();
        for (int i : group) {
          SavedModelTeacher c = configs.get(i);
          choices.add(new FrozenTeacher.SignatureChoice(c.signature(), c.task().name()));
        }
        String who = group.size() == 1 ? first.description()
            : "teachers " + group.stream().map(i -> configs.get(i).task().name()).toList() + " on '" + first.directory() + "'";
        List<FrozenTeacher> frozen;
        try {
          // The signatures are checked before the graph is optimised, and the teachers made after.
          frozen = FrozenTeacher.loadAll(dir, choices, first.optimize(), signatures -> {
            for (int k = 0; k < group.size(); k++) {
              try {
                checkSignature(configs.get(group.get(k)), signatures.get(k));
              } catch (IllegalArgumentException e) {
                throw new SignatureMismatch(e);
              }
            }
          });
        } catch (SignatureMismatch e) {
          throw e.getCause(); // names the teacher already
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(who + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
          throw new IllegalArgumentException(who + ": cannot load the SavedModel in " + dir + ": " + e.getMessage(), e);
        }
        for (int k = 0; k < group.size(); k++) {
          SavedModelTeacher c = configs.get(group.get(k));
          try {
            loaded[group.get(k)] = check(c, frozen.get(k));
          } catch (RuntimeException e) {
            for (int j = k; j < frozen.size(); j++) frozen.get(j).close();
            throw e;
          }
        }
      }
      List<Teacher> out = new ArrayList<>();
      for (int i = 0; i < loaded.length; i++) {
        out.add(loaded[i]);
        onLoaded.accept(configs.get(i), loaded[i]);
      }
      return out;
    } catch (RuntimeException | Error e) {
      for (Teacher t : loaded) if (t != null) t.close();
      throw e;
    }
  }

  /** A teacher's signature did not fit its configuration (carried out of {@link FrozenTeacher#loadAll}). */
  private static final class SignatureMismatch extends RuntimeException {
    SignatureMismatch(IllegalArgumentException cause) {
      super(cause);
    }

    @Override
    public synchronized IllegalArgumentException getCause() {
      return (IllegalArgumentException) super.getCause();
    }
  }

  /** What {@link #checkSignature} resolved: the image input. */
  private record Input(String name, boolean uint8, int size, int fixedBatchSize) {}

  private static Teacher check(SavedModelTeacher config, FrozenTeacher frozen) {
    Input in = checkSignature(config, frozen.signature());
    return new Teacher(config, frozen, in.name(), in.uint8(), in.size(), in.fixedBatchSize());
  }

  /** Checks the signature against the configuration; the errors name the teacher and the tensor. */
  private static Input checkSignature(SavedModelTeacher config, Signature sig) {
    String who = config.description() + ", signature '" + sig.key() + "'";
    Map<String, Signature.TensorDescription> inputs = sig.getInputs();
    String inputName = config.inputName();
    if (inputName.isEmpty()) {
      if (inputs.size() != 1) {
        throw new IllegalArgumentException(who + " has inputs " + new TreeSet<>(inputs.keySet())
            + ": set SavedModelTeacher.input_name to the image input");
      }
      inputName = inputs.keySet().iterator().next();
    } else if (!inputs.containsKey(inputName)) {
      throw new IllegalArgumentException(who + " has no input '" + inputName + "'; it has " + new TreeSet<>(inputs.keySet()));
    } else if (inputs.size() != 1) {
      throw new IllegalArgumentException(who + " takes inputs " + new TreeSet<>(inputs.keySet())
          + "; a teacher is fed images only");
    }
    Signature.TensorDescription in = inputs.get(inputName);
    String inWho = who + ": input '" + inputName + "'";
    if (in.dataType != DataType.DT_FLOAT && in.dataType != DataType.DT_UINT8) {
      throw new IllegalArgumentException(inWho + " is " + in.dataType + ", expected DT_FLOAT or DT_UINT8 images");
    }
    Shape s = in.shape;
    int size = config.inputSize();
    int batch = 0;
    if (s != null && !s.isUnknown()) {
      if (s.numDimensions() != 4 || (s.size(3) != 3 && s.size(3) != -1)) {
        throw new IllegalArgumentException(inWho + " has shape " + s + ", expected [batch, height, width, 3]");
      }
      long h = s.size(1);
      long w = s.size(2);
      if (h > 0 || w > 0) {
        if (h != w) throw new IllegalArgumentException(inWho + " has shape " + s + ": only square inputs are supported");
        if (size == 0) size = (int) h;
        if (size != h) {
          throw new IllegalArgumentException(inWho + " has shape " + s + " but SavedModelTeacher.input_size is " + size);
        }
      }
      if (s.size(0) > 0) batch = (int) s.size(0);
    }
    if (size == 0) {
      throw new IllegalArgumentException(inWho + " has no static size (" + s + "): set SavedModelTeacher.input_size");
    }
    Map<String, Signature.TensorDescription> outs = sig.getOutputs();
    for (Map.Entry<String, String> o : config.outputs().entrySet()) {
      Signature.TensorDescription d = outs.get(o.getValue());
      String outWho = who + ": output '" + o.getKey() + "' = '" + o.getValue() + "'";
      if (d == null) {
        throw new IllegalArgumentException(who + " has no output '" + o.getValue() + "' (for '" + o.getKey()
            + "'); it has " + new TreeSet<>(outs.keySet()) + " (set SavedModelTeacher.outputs)");
      }
      OutputSpec spec = PseudoLabelers.of(config.task()).outputSpec(o.getKey());
      spec.checkDeclared(outWho, d.dataType, d.shape);
    }
    return new Input(inputName, in.dataType == DataType.DT_UINT8, size, batch);
  }

  public SavedModelTeacher config() {
    return config;
  }

  public LabelType task() {
    return config.task();
  }

  /** What graph optimisation did, for the log. */
  public String optimization() {
    return frozen.optimization();
  }

  /** S: images are resized to S x S. */
  public int inputSize() {
    return inputSize;
  }

  /** True if the model takes uint8 0..255 pixels (no normalisation). */
  public boolean uint8Input() {
    return uint8Input;
  }

  /** The batch size the input is fixed to, or 0 for any. */
  public int fixedBatchSize() {
    return fixedBatchSize;
  }

  /** Where an {@code h x w} image lands in this teacher's input. */
  public InputGeometry geometry(int height, int width) {
    return InputGeometry.of(height, width, inputSize, config.keepAspect());
  }

  /**
   * Runs the teacher on a batch of {@code batchSize} preprocessed images and returns its outputs by
   * meaning, checked (rank, type, batch size) against what they mean; the caller closes them.
   */
  public Outputs run(Tensor images, int batchSize) {
    Result r = frozen.run(Map.of(inputName, images));
    try {
      Map<String, Tensor> byMeaning = new LinkedHashMap<>();
      for (Map.Entry<String, String> o : config.outputs().entrySet()) {
        Tensor t = r.get(o.getValue()).orElseThrow(() -> new IllegalStateException(
            config.description() + ": output '" + o.getValue() + "' missing from the result"));
        PseudoLabelers.of(config.task()).outputSpec(o.getKey()).checkActual(
            config.description() + ": output '" + o.getKey() + "' = '" + o.getValue() + "'", t, batchSize);
        byMeaning.put(o.getKey(), t);
      }
      return new Outputs(r, byMeaning);
    } catch (RuntimeException e) {
      r.close();
      throw e;
    }
  }

  /** A teacher's outputs for one batch, by meaning ({@code logits}, {@code boxes}, ...). */
  public static final class Outputs implements AutoCloseable {
    private final Result result;
    private final Map<String, Tensor> byMeaning;

    Outputs(Result result, Map<String, Tensor> byMeaning) {
      this.result = result;
      this.byMeaning = byMeaning;
    }

    public Tensor get(String meaning) {
      return byMeaning.get(meaning);
    }

    public boolean has(String meaning) {
      return byMeaning.containsKey(meaning);
    }

    public Set<String> meanings() {
      return byMeaning.keySet();
    }

    @Override
    public void close() {
      result.close();
    }
  }

  @Override
  public void close() {
    frozen.close();
  }
}
