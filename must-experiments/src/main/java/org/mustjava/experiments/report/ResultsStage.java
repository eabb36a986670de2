package org.mustjava.experiments.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.mustjava.core.io.AtomicFiles;
import org.mustjava.experiments.RunContext;
import org.mustjava.experiments.stages.Stage;

/**
 * Writes the experiment's results table from its fine-tuning grids (design.md section 5):
 * {@code MODEL_DIR/results.md} ({@link ResultsMarkdown}), {@code results.csv} ({@link ResultsCsv})
 * and {@code results.png} ({@link ResultsChart}), and prints the table on standard output. It reads
 * only the grids' files ({@code grid.json}, {@code cell.json}), so it is cheap and always rewritten.
 *
 * <pre>
 * Stages.stages = [..., @FineTuneGrid(), @Results()]
 * Results.grids = ['finetune']      # the default: FineTuneGrid's default directory
 * Results.directory = ''             # the default: the files at the top of the model directory
 * </pre>
 *
 * Several tables in one model directory (experiments/mini/table*.conf share their teachers, pseudo
 * labels and students that way) each name a directory of their own, e.g. {@code 'table3/results'}.
 */
public final class ResultsStage implements Stage {
  public static final String MARKDOWN = "results.md";
  public static final String CSV = "results.csv";
  public static final String PNG = "results.png";
  private final List<String> grids;
  private final String directory;

  /**
   * @param grids directories of {@code FineTuneGrid} stages below the model directory, merged into one table
   * @param directory where the files go, relative to the model directory; {@code ''}: the model
   *     directory itself (the stage is then named {@code results})
   */
  @Configurable("Results")
  public ResultsStage(@Default("['finetune']") List<String> grids, @Default("''") String directory) {
    if (grids.isEmpty()) throw new IllegalArgumentException("Results.grids is empty");
    if (Path.of(directory).isAbsolute() || directory.contains("..")) {
      throw new IllegalArgumentException("Results.directory must be a relative directory name: '" + directory + "'");
    }
    this.grids = List.copyOf(grids);
    this.directory = directory;
  }

  @Override
  public String name() {
    return directory.isEmpty() ? "results" : directory;
  }

  @Override
  public void run(RunContext context) throws Exception {
    List<Path> dirs = new ArrayList<>();
    for (String g : grids) dirs.add(context.modelDir().resolve(g));
    ResultsTable table = ResultsTable.read(dirs);
    Path out = context.modelDir().resolve(directory);
    Path md = out.resolve(MARKDOWN);
    AtomicFiles.writeString(md, ResultsMarkdown.format(table));
    AtomicFiles.writeString(out.resolve(CSV), ResultsCsv.format(table));
    ResultsChart.write(table, out.resolve(PNG));
    context.err().println("results: wrote " + md + ", " + CSV + " and " + PNG);
    context.out().println();
    context.out().print(ResultsMarkdown.resultsTable(table));
    context.out().println();
    context.out().print(ResultsMarkdown.cellsTable(table));
  }
}
