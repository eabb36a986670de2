package org.mustjava.experiments.finetune;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mustjava.core.checkpoint.CheckpointVariable;
import org.mustjava.core.checkpoint.RestoreReport;
import org.mustjava.core.config.Config;
import org.mustjava.core.config.ConfigLoader;
import org.mustjava.core.config.ConfigRegistry;
import org.mustjava.core.config.Injector;
import org.mustjava.core.train.StepListener;
import org.mustjava.experiments.ExperimentRegistry;
import org.mustjava.experiments.RunContext;
import org.mustjava.experiments.stages.SyntheticDataStage;

/**
 * A launcher process for the grid tests: {@code MODEL_DIR data|grid SLEEP_MS [BINDING]...} runs the
 * data stage or the fine-tuning grid of {@code tiny-grid.conf} in {@code MODEL_DIR}, printing
 * {@code INIT} when a cell starts fresh, {@code STEP <n>} after every step and
 * {@code CHECKPOINT <n>} after every commit on stdout, and sleeping {@code SLEEP_MS} per step so
 * that a test can kill it mid-cell. The grid's own log goes to stderr.
 */
public final class GridWorkerMain {
  static final Path CONFIG = Path.of("src", "test", "resources", "finetune", "tiny-grid.conf");

  private GridWorkerMain() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
    run(Path.of(args[0]), args[1], Long.parseLong(args[2]), Arrays.asList(args).subList(3, args.length), out, System.err);
    out.println("DONE");
  }

  static void run(Path modelDir, String what, long sleepMs, List<String> bindings, PrintStream out, PrintStream err)
      throws Exception {
    ConfigRegistry registry = ConfigRegistry.fromServices();
    ExperimentRegistry.load(registry); // the config names the launcher's experiment too
    ConfigLoader loader = new ConfigLoader(registry);
    loader.parseFile(CONFIG);
    for (String b : bindings) loader.parseBinding(b);
    Config config = loader.build();
    Injector injector = new Injector(config);
    RunContext context = new RunContext(modelDir, injector, out, err);
    if (what.equals("data")) {
      injector.create(SyntheticDataStage.class).run(context);
      return;
    }
    FineTuneGrid grid = injector.create(FineTuneGrid.class);
    grid.addListener(new StepListener() {
      @Override
      public void onInitialised(List<CheckpointVariable> model, Optional<RestoreReport> restored) {
        out.println("INIT");
      }

      @Override
      public void onStep(long step, Map<String, Double> losses, double learningRate) {
        out.println("STEP " + step);
        if (sleepMs > 0) {
          try {
            Thread.sleep(sleepMs);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }

      @Override
      public void onCheckpoint(long step) {
        out.println("CHECKPOINT " + step);
      }
    });
    grid.run(context);
  }
}
