package org.mustjava.experiments.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.core.config.ConfigLoader;
import org.mustjava.core.config.ConfigRegistry;
import org.mustjava.core.config.Injector;
import org.mustjava.experiments.ExperimentRegistry;
import org.mustjava.experiments.RunContext;

/**
 * The paper-scale fine-tuning configs (experiments/common/finetune): with the dataset macros given,
 * every task's cell objects (task, trainer, schedule) build from their scope's bindings, with the
 * supplementary material's grids. No graph is built (ResNet-152 at 512-896 px is not for CPU tests).
 */
class PaperFineTuneConfigTest {
  static final Path TASKS = Path.of("..", "experiments", "common", "finetune", "paper_tasks.conf");
  @TempDir Path modelDir;

  @Test
  void everyPaperTaskBuildsWithTheSupplementaryGrids() throws Exception {
    ConfigRegistry registry = ConfigRegistry.fromServices();
    ExperimentRegistry.load(registry);
    ConfigLoader loader = new ConfigLoader(registry);
    loader.parseFile(TASKS);
    for (String macro : List.of("CIFAR100", "PASCAL_DET", "PASCAL_SEG", "ADE20K", "NYU", "DIODE")) {
      loader.parseBinding(macro + "_TRAIN = '/data/" + macro.toLowerCase() + "/train-*'");
      loader.parseBinding(macro + "_EVAL = '/data/" + macro.toLowerCase() + "/eval-*'");
    }
    loader.parseBinding("FineTuneGrid.pretrainings = [@random/Pretraining()]");
    loader.parseBinding("random/Pretraining.name = 'random'");
    Injector injector = new Injector(loader.build());
    FineTuneGrid grid = injector.create(FineTuneGrid.class);
    GridLayout layout = grid.layout();
    assertEquals(List.of("cifar100", "pascal_det", "pascal_seg", "ade20k", "nyu", "diode"),
        layout.tasks().stream().map(GridLayout.TaskColumn::name).toList());
    List<Double> lrs = List.of(0.005, 0.01, 0.02, 0.04, 0.08, 0.16, 0.32);
    assertEquals(lrs, layout.tasks().get(0).learningRates());
    assertEquals(List.of(5000L, 10000L, 20000L), layout.tasks().get(0).steps());
    assertEquals(List.of(10000L, 20000L, 40000L), layout.tasks().get(4).steps());
    assertEquals(List.of(0.01, 0.02, 0.04, 0.08, 0.16), layout.tasks().get(5).learningRates());
    assertEquals(List.of(20000L, 40000L, 80000L), layout.tasks().get(5).steps());
    assertEquals(7 * 3 * 4 + 7 * 3 + 5 * 3, layout.cells().size());

    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    List<String> configs = grid.buildFirstCells(new RunContext(modelDir, injector, quiet, quiet));
    assertEquals(6, configs.size());
    String cifar = configs.get(0);
    assertTrue(cifar.contains("cifar100/train/Pipeline.batch_size = 512"), cifar);
    assertTrue(cifar.contains("cifar100/train/Pipeline.image_size = 256"), cifar);
    assertTrue(cifar.contains("cifar100/Trainer.weight_decay = 1.0e-4"), cifar);
    assertTrue(cifar.contains("ResNet.depth = 152"), cifar);
    assertTrue(cifar.contains("# learning_rate = 0.005"), cifar);
    assertTrue(configs.get(1).contains("pascal_det/train/Pipeline.image_size = 896"), configs.get(1));
    assertTrue(configs.get(1).contains("pascal_det/train/Pipeline.batch_size = 32"), configs.get(1));
    assertTrue(configs.get(2).contains("pascal_seg/train/Pipeline.image_size = 512"), configs.get(2));
    assertTrue(configs.get(2).contains("pascal_seg/train/Pipeline.batch_size = 64"), configs.get(2));
    assertTrue(configs.get(3).contains("ade20k/SegmentationHead.num_classes = 150"), configs.get(3));
    assertTrue(configs.get(4).contains("nyu/train/Pipeline.image_size = 640"), configs.get(4));
    assertTrue(configs.get(5).contains("diode/train/Pipeline.image_size = 768"), configs.get(5));
  }
}
