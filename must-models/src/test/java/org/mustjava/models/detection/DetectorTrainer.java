package org.mustjava.models.detection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.graph.Initializers;
import org.mustjava.core.graph.ModelVariable;
import org.mustjava.models.ModelOutput;
import org.mustjava.models.MultiTaskModel;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.train.ApplyMomentum;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Test harness: a detection model's training graph (placeholders for images and labels, total
 * loss, gradients of every trainable variable, plain momentum SGD on the ref variables, the update
 * ops) and an inference graph sharing the same variables.
 */
final class DetectorTrainer implements AutoCloseable {
  final Graph graph = new Graph();
  final Session session;
  final GraphContext ctx;
  final Operand<TFloat32> images;
  final Operand<TFloat32> boxes;
  final Operand<TInt32> classes;
  final Operand<TInt32> numBoxes;
  final Operand<TFloat32> learningRate;
  final ModelOutput train;
  final ModelOutput eval;
  final Output<?>[] gradients;
  final List<ModelVariable> trainable;
  private final Op trainStep;

  DetectorTrainer(MultiTaskModel model, int batch, int size, int maxBoxes, long seed, float momentum) {
    ctx = GraphContext.create(graph, seed);
    Ops tf = ctx.tf();
    images = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(batch, size, size, 3)));
    boxes = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(batch, maxBoxes, 4)));
    classes = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(batch, maxBoxes)));
    numBoxes = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(batch)));
    learningRate = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    Map<String, Operand<?>> labels = new LinkedHashMap<>();
    labels.put("image", images);
    labels.put("boxes", boxes);
    labels.put("box_classes", classes);
    labels.put("num_boxes", numBoxes);
    train = model.build(ctx, images, labels);
    trainable = ctx.trainableVariables();
    Output<?>[] xs = new Output<?>[trainable.size()];
    // Differentiate with respect to the variables' reads (ref outputs cannot be differentiated).
    Map<String, Operand<TFloat32>> reads = new LinkedHashMap<>();
    for (int i = 0; i < xs.length; i++) {
      String readName = trainable.get(i).name() + "_read";
      xs[i] = graph.operation(readName).output(0);
      reads.put(readName, null);
    }
    gradients = graph.addGradients(train.totalLoss().asOutput(), xs);
    List<Op> updates = new ArrayList<>(ctx.updateOps());
    GraphContext slots = ctx.scope("momentum_slots");
    for (int i = 0; i < xs.length; i++) {
      ModelVariable v = trainable.get(i);
      ModelVariable slot = slots.getOrCreate(v.name().replace('/', '.'), v.shape(), Initializers.zeros(), false, false);
      @SuppressWarnings("unchecked")
      Operand<TFloat32> g = (Operand<TFloat32>) gradients[i];
      updates.add(tf.train.applyMomentum(v.variable(), slot.variable(), learningRate, g, tf.constant(momentum),
          ApplyMomentum.useLocking(false)));
    }
    trainStep = tf.withControlDependencies(updates).noOp();
    eval = model.build(ctx.withTraining(false), images, null);
    session = new Session(graph);
    session.initialize();
  }

  /** One training step; returns the named loss values after the step's forward pass. */
  Map<String, Float> step(float lr, float[][][][] imageData, float[][][] boxData, int[][] classData, int[] counts) {
    Session.Runner r = session.runner();
    try (TFloat32 im = org.tensorflow.types.TFloat32.tensorOf(org.tensorflow.ndarray.StdArrays.ndCopyOf(imageData));
        TFloat32 bx = TFloat32.tensorOf(org.tensorflow.ndarray.StdArrays.ndCopyOf(boxData));
        TInt32 cl = TInt32.tensorOf(org.tensorflow.ndarray.StdArrays.ndCopyOf(classData));
        TInt32 nb = TInt32.vectorOf(counts);
        TFloat32 rate = TFloat32.scalarOf(lr)) {
      r.feed(images, im).feed(boxes, bx).feed(classes, cl).feed(numBoxes, nb).feed(learningRate, rate);
      List<String> names = new ArrayList<>();
      for (var head : train.heads().values()) {
        for (var e : head.losses().entrySet()) {
          names.add(e.getKey());
          r.fetch(e.getValue());
        }
      }
      names.add("total");
      r.fetch(train.totalLoss());
      r.addTarget(trainStep);
      Map<String, Float> out = new LinkedHashMap<>();
      try (var result = r.run()) {
        for (int i = 0; i < names.size(); i++) out.put(names.get(i), ((TFloat32) result.get(i)).getFloat());
      }
      return out;
    }
  }

  /** Runs the inference graph on images; fetches the given eval predictions of head {@code head}. */
  List<GraphTestSupport.Value> predict(String head, float[][][][] imageData, String... names) {
    Session.Runner r = session.runner();
    try (TFloat32 im = TFloat32.tensorOf(org.tensorflow.ndarray.StdArrays.ndCopyOf(imageData))) {
      r.feed(images, im);
      for (String n : names) r.fetch(eval.prediction(head, n));
      List<GraphTestSupport.Value> values = new ArrayList<>();
      try (var result = r.run()) {
        for (int i = 0; i < names.length; i++) values.add(GraphTestSupport.toValue(result.get(i)));
      }
      return values;
    }
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
