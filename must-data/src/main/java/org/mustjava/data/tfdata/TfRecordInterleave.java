package org.mustjava.data.tfdata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.mustjava.core.io.Compression;
import org.mustjava.core.io.TFRecordReader;
import org.mustjava.data.tfrecord.TFRecordFiles;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.FunctionDefLibrary;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NameAttrList;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * TFRecord files read through a dataset of file names: {@code InterleaveDataset} opens one
 * {@code TFRecordDataset} per file name element and interleaves the records of {@code cycleLength}
 * files at a time. Because the file names are themselves a dataset, they can be shuffled inside the
 * graph, and reshuffled every epoch, before any file is opened.
 *
 * <p>The per-file function returns a dataset (a {@code DT_VARIANT} tensor), which TF Java 1.1.0
 * cannot build: {@code ConcreteFunction.create} maps every output dtype to a tensor class and
 * fails with "No tensor type has been registered for data type DT_VARIANT". So the function is
 * written here directly as a {@code FunctionDef} proto (three inputs, one {@code TFRecordDataset}
 * node, one output), added to the graph's function library with {@link Graph#importGraphDef} (a
 * GraphDef holding only the library; importing it again is a no-op for an identical definition),
 * and named in the {@code f} attribute as an {@link AttrValue} with a {@code func} value. No
 * {@code ConcreteFunction} object is ever needed.
 *
 * <p>The function uses the version-1 {@code TFRecordDataset} kernel (file name, compression, buffer
 * size), which also means each file carries its own compression: plain and GZIP files can be mixed.
 */
public final class TfRecordInterleave {
  /** The name of the per-file reader function in the graph's library. */
  public static final String READER_FUNCTION = "must_data_read_tfrecord_file";

  private TfRecordInterleave() {}

  /**
   * The file names as a dataset of {@code (file name, compression type)} string pairs, in the given
   * order, for {@link #records}. {@link Compression#AUTO} detects each file's compression now.
   */
  public static RawDataset fileNames(Ops tf, List<Path> files, Compression compression) {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no TFRecord files given");
    }
    String[] names = new String[files.size()];
    String[] compressions = new String[files.size()];
    for (int i = 0; i < files.size(); i++) {
      Path f = files.get(i);
      names[i] = f.toAbsolutePath().toString();
      compressions[i] = (compression == Compression.AUTO ? detect(f) : compression).tfName();
    }
    List<Class<? extends TType>> types = List.of(TString.class, TString.class);
    List<Shape> shapes = List.of(Shape.scalar(), Shape.scalar());
    Operand<? extends TType> handle = tf.data.tensorSliceDataset(
        List.of(tf.constant(StandardCharsets.UTF_8, names), tf.constant(StandardCharsets.UTF_8, compressions)),
        shapes);
    return new RawDataset(handle, types, shapes);
  }

  /**
   * The records of the files that {@code fileNames} (from {@link #fileNames}, possibly shuffled or
   * repeated) yields: {@code cycleLength} files are open at a time and {@code blockLength} records
   * are taken from each in turn; a new file replaces one that ends. With {@code cycleLength = 1}
   * the files are read one after the other, in order.
   */
  public static RawDataset records(
      Ops tf, RawDataset fileNames, long cycleLength, long blockLength, long bufferBytes) {
    if (cycleLength < 1 || blockLength < 1) {
      throw new IllegalArgumentException(
          "cycle and block length must be >= 1, got " + cycleLength + " and " + blockLength);
    }
    if (!fileNames.types().equals(List.of(TString.class, TString.class))) {
      throw new IllegalArgumentException("expected (file name, compression) elements, got " + fileNames.types());
    }
    addReaderFunction((Graph) tf.scope().env());
    Operation interleave = tf.scope().opBuilder("InterleaveDataset", "InterleaveTfRecordFiles")
        .addInput(fileNames.handle().asOutput())
        .addInputList(new org.tensorflow.Output<?>[] {tf.constant(bufferBytes).asOutput()})
        .addInput(tf.constant(cycleLength).asOutput())
        .addInput(tf.constant(blockLength).asOutput())
        .setAttr("f", AttrValue.newBuilder().setFunc(NameAttrList.newBuilder().setName(READER_FUNCTION)).build())
        .setAttr("Targuments", new DataType[] {DataType.DT_INT64})
        .setAttr("output_types", new DataType[] {DataType.DT_STRING})
        .setAttr("output_shapes", new Shape[] {Shape.scalar()})
        .build();
    @SuppressWarnings("unchecked")
    Operand<? extends TType> handle = (Operand<? extends TType>) interleave.output(0);
    return new RawDataset(handle, List.of(TString.class), List.of(Shape.scalar()));
  }

  /** (file name, compression type, buffer size) to the file's records as a dataset. */
  static FunctionDef readerFunction() {
    return FunctionDef.newBuilder()
        .setSignature(OpDef.newBuilder()
            .setName(READER_FUNCTION)
            .addInputArg(arg("filename", DataType.DT_STRING))
            .addInputArg(arg("compression_type", DataType.DT_STRING))
            .addInputArg(arg("buffer_size", DataType.DT_INT64))
            .addOutputArg(arg("records", DataType.DT_VARIANT)))
        .addNodeDef(NodeDef.newBuilder()
            .setName("reader")
            .setOp("TFRecordDataset")
            .addInput("filename")
            .addInput("compression_type")
            .addInput("buffer_size"))
        .putRet("records", "reader:handle:0")
        .build();
  }

  private static void addReaderFunction(Graph graph) {
    graph.importGraphDef(GraphDef.newBuilder()
        .setLibrary(FunctionDefLibrary.newBuilder().addFunction(readerFunction()))
        .build());
  }

  private static OpDef.ArgDef arg(String name, DataType type) {
    return OpDef.ArgDef.newBuilder().setName(name).setType(type).build();
  }

  private static Compression detect(Path f) {
    if (TFRecordFiles.placeholdersAllowed() && !java.nio.file.Files.exists(f)) {
      return Compression.NONE; // a stand-in name in a graph-only build: never read
    }
    try {
      return TFRecordReader.detectCompression(f);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open TFRecord file " + f, e);
    }
  }
}
