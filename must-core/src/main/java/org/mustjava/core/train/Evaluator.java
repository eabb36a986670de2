package org.mustjava.core.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.exceptions.TFOutOfRangeException;
import org.tensorflow.op.Op;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * One pass over the full eval set: re-initialises the eval inputs, fetches what the metrics need
 * batch by batch until the input ends (OutOfRange), and aggregates. Eval task losses
 * ({@code losses/<task>} tensors) are averaged over batches, weighted by each batch's number of
 * examples, as {@code loss/<task>}.
 *
 * <p>Examples are counted on {@code inputs/example_valid} when the tensors have it (the eval graph
 * has already dropped padding rows from it, see {@link TaskInputs#EXAMPLE_VALID}), else on the
 * first fetched tensor with a batch dimension.
 *
 * <p>When the inputs skip corrupt records ({@link TaskInputs#CORRUPT_RECORDS_SKIPPED}), the pass's
 * count is the metric {@value #CORRUPT_RECORDS_SKIPPED}.
 */
public final class Evaluator {
  private Evaluator() {}

  /** The metric (and training summary) counting corrupt input records skipped. */
  public static final String CORRUPT_RECORDS_SKIPPED = "input/corrupt_records_skipped";

  /** Results of one pass. */
  public record Results(Map<String, Double> metrics, long batches, long examples) {}

  /**
   * @param tensors fetchable eval tensors by name ({@code inputs/...}, {@code head/name},
   *     {@code losses/...})
   * @param maxBatches stop after this many batches (0: until the input ends)
   */
  public static Results evaluate(Session session, TaskInputs inputs, Map<String, Operand<?>> tensors,
      List<EvalMetric> metrics, long maxBatches) {
    Set<String> required = new LinkedHashSet<>();
    for (EvalMetric m : metrics) {
      for (String name : m.requiredTensors()) {
        if (!tensors.containsKey(name)) {
          throw new IllegalArgumentException("metric '" + m.name() + "' needs tensor '" + name
              + "', which the eval graph does not have; it has " + new TreeSet<>(tensors.keySet()));
        }
        required.add(name);
      }
      m.reset();
    }
    List<String> lossNames = new ArrayList<>();
    for (String name : tensors.keySet()) if (name.startsWith("losses/")) lossNames.add(name);
    List<String> fetchNames = new ArrayList<>(required);
    fetchNames.addAll(lossNames);
    if (fetchNames.isEmpty()) throw new IllegalArgumentException("nothing to evaluate: no metric and no eval loss");
    String validName = "inputs/" + TaskInputs.EXAMPLE_VALID;
    if (tensors.containsKey(validName) && !fetchNames.contains(validName)) fetchNames.add(validName);
    String skippedName = "inputs/" + TaskInputs.CORRUPT_RECORDS_SKIPPED;
    boolean countSkipped = tensors.containsKey(skippedName);
    if (countSkipped && !fetchNames.contains(skippedName)) fetchNames.add(skippedName);
    long skipped = 0;
    for (Op init : inputs.initializers()) session.runner().addTarget(init).run();
    double[] lossSums = new double[lossNames.size()];
    long lossWeight = 0;
    long batches = 0;
    long examples = 0;
    while (maxBatches <= 0 || batches < maxBatches) {
      Session.Runner runner = session.runner();
      for (String name : fetchNames) runner.fetch(tensors.get(name));
      Result result;
      try {
        result = runner.run();
      } catch (TFOutOfRangeException end) {
        break;
      }
      try (result) {
        Map<String, Tensor> byName = new LinkedHashMap<>();
        for (int i = 0; i < fetchNames.size(); i++) byName.put(fetchNames.get(i), result.get(i));
        long batchExamples = batchExamples(byName, validName);
        if (countSkipped) {
          TInt64 perExample = (TInt64) byName.get(skippedName);
          for (long i = 0; i < perExample.size(); i++) skipped += perExample.getLong(i);
        }
        if (batchExamples > 0) {
          for (EvalMetric m : metrics) m.update(byName);
        }
        for (int i = 0; i < lossNames.size(); i++) {
          lossSums[i] += batchExamples * (double) ((TFloat32) byName.get(lossNames.get(i))).getFloat();
        }
        lossWeight += batchExamples;
        examples += batchExamples;
      }
      batches++;
    }
    if (batches == 0) throw new IllegalStateException("the eval input produced no batch");
    Map<String, Double> out = new LinkedHashMap<>();
    for (EvalMetric m : metrics) m.result().forEach((k, v) -> out.put(m.name() + "/" + k, v));
    for (int i = 0; i < lossNames.size(); i++) {
      out.put("loss/" + lossNames.get(i).substring("losses/".length()),
          lossWeight == 0 ? Double.NaN : lossSums[i] / lossWeight);
    }
    if (countSkipped) out.put(CORRUPT_RECORDS_SKIPPED, (double) skipped);
    return new Results(out, batches, examples);
  }

  /** Examples in one fetched batch (see the class comment); 1 when nothing has a batch dimension. */
  private static long batchExamples(Map<String, Tensor> fetched, String validName) {
    Tensor valid = fetched.get(validName);
    if (valid != null) return valid.shape().get(0);
    for (Tensor t : fetched.values()) if (t.shape().numDimensions() > 0) return t.shape().get(0);
    return 1;
  }
}
