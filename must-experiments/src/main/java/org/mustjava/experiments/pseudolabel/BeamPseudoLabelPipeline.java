package org.mustjava.experiments.pseudolabel;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.TFRecordIO;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Pseudo-labelling as an Apache Beam pipeline ({@code PseudoLabel.engine = 'beam'}): Beam's
 * TFRecordIO reads the input files, {@link LabelBatchesFn} labels them, TFRecordIO writes as many
 * shards as there are input files ({@code <prefix>-00000-of-0000n}, records in no particular
 * order), and the per-bundle label statistics are combined into one JSON file. Everything is
 * written below {@code outputDir}, which the stage then publishes; Beam itself writes to temporary
 * files there and renames them when a shard is complete.
 */
final class BeamPseudoLabelPipeline {
  /** The combined statistics (JSON of task -> {@link TaskStatistics}, not yet summarised). */
  static final String STATISTICS_FILE = "label_stats_unsummarised.json";
  private static final Type STATS_TYPE = new TypeToken<LinkedHashMap<String, TaskStatistics>>() {}.getType();

  private BeamPseudoLabelPipeline() {}

  /**
   * Builds and runs the pipeline; returns when it is done.
   *
   * @param options Beam pipeline options ({@code --runner=DirectRunner}, {@code --targetParallelism=2}, ...)
   * @param inputs the input files, absolute
   * @param inputPatterns the configured patterns, for error messages
   */
  static void run(List<String> options, List<Path> inputs, String inputPatterns, List<SavedModelTeacher> teachers,
      Path modelDir, int batchSize, Path outputDir, String outputPrefix) {
    PipelineOptions opts;
    try {
      opts = PipelineOptionsFactory.fromArgs(options.toArray(String[]::new)).withValidation().create();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("PseudoLabel.beam_options " + options + ": " + e.getMessage(), e);
    }
    Pipeline p = Pipeline.create(opts);
    PCollectionTuple labelled = p
        .apply("InputFiles", Create.of(inputs.stream().map(f -> f.toAbsolutePath().toString()).toList())
            .withCoder(StringUtf8Coder.of()))
        .apply(FileIO.matchAll())
        .apply(FileIO.readMatches())
        .apply(TFRecordIO.readFiles())
        .apply("Label", ParDo.of(new LabelBatchesFn(teachers, modelDir, batchSize, inputPatterns))
            .withOutputTags(LabelBatchesFn.RECORDS, TupleTagList.of(LabelBatchesFn.STATISTICS)));
    labelled.get(LabelBatchesFn.RECORDS).setCoder(ByteArrayCoder.of())
        .apply("WriteShards", TFRecordIO.write().to(outputDir.resolve(outputPrefix).toString())
            .withNumShards(inputs.size()));
    labelled.get(LabelBatchesFn.STATISTICS).setCoder(StringUtf8Coder.of())
        .apply("CombineStatistics", Combine.globally(new MergeStatistics()))
        .apply("WriteStatistics", TextIO.write().to(outputDir.resolve(STATISTICS_FILE).toString()).withoutSharding());
    PipelineResult.State state = p.run().waitUntilFinish();
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException("the pseudo-labelling pipeline ended " + state + " (runner options " + options + ")");
    }
  }

  /** Sums statistics JSON (task -> statistics) of bundles; associative and commutative, as Combine needs. */
  static final class MergeStatistics implements SerializableFunction<Iterable<String>, String> {
    private static final Gson GSON = new Gson();

    @Override
    public String apply(Iterable<String> parts) {
      return GSON.toJson(merge(parts), STATS_TYPE);
    }

    static Map<String, TaskStatistics> merge(Iterable<String> parts) {
      Map<String, TaskStatistics> total = new LinkedHashMap<>();
      for (String part : parts) {
        Map<String, TaskStatistics> m = GSON.fromJson(part, STATS_TYPE);
        for (var e : m.entrySet()) total.merge(e.getKey(), e.getValue(), (a, b) -> {
          a.add(b);
          return a;
        });
      }
      return total;
    }
  }
}
