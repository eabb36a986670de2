package org.mustjava.core.summary;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.SessionLog;
import org.tensorflow.proto.Summary;
import org.tensorflow.proto.SummaryMetadata;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * TensorBoard summaries (scalars, images, text) for one run directory such as
 * {@code MODEL_DIR/student/train}, written by an {@link EventFileWriter}.
 */
public final class SummaryWriter implements AutoCloseable {
  private final EventFileWriter events;

  public SummaryWriter(Path directory) throws IOException {
    this.events = new EventFileWriter(directory);
  }

  public Path path() {
    return events.path();
  }

  public void scalar(String tag, double value, long step) throws IOException {
    write(step, Summary.Value.newBuilder().setTag(tag).setSimpleValue((float) value));
  }

  public void scalars(Map<String, ? extends Number> values, long step) throws IOException {
    Summary.Builder s = Summary.newBuilder();
    values.forEach((tag, v) -> s.addValue(Summary.Value.newBuilder().setTag(tag).setSimpleValue(v.floatValue())));
    events.write(Event.newBuilder().setWallTime(EventFileWriter.wallTime()).setStep(step).setSummary(s).build());
  }

  public void image(String tag, PngImages.Png png, long step) throws IOException {
    Summary.Image image = Summary.Image.newBuilder()
        .setHeight(png.height())
        .setWidth(png.width())
        .setColorspace(png.channels()) // 1 = grey, 3 = RGB
        .setEncodedImageString(ByteString.copyFrom(png.bytes()))
        .build();
    write(step, Summary.Value.newBuilder().setTag(tag).setImage(image));
  }

  /**
   * Text for TensorBoard's text plugin (a string tensor with the {@code text} plugin metadata);
   * rendered as Markdown.
   */
  public void text(String tag, String markdown, long step) throws IOException {
    TensorProto tensor = TensorProto.newBuilder()
        .setDtype(DataType.DT_STRING)
        .setTensorShape(TensorShapeProto.getDefaultInstance())
        .addStringVal(ByteString.copyFrom(markdown, StandardCharsets.UTF_8))
        .build();
    SummaryMetadata meta = SummaryMetadata.newBuilder()
        .setPluginData(SummaryMetadata.PluginData.newBuilder().setPluginName("text"))
        .build();
    write(step, Summary.Value.newBuilder().setTag(tag).setMetadata(meta).setTensor(tensor));
  }

  /** Text shown verbatim (as a Markdown code block), e.g. the operative config. */
  public void preformattedText(String tag, String text, long step) throws IOException {
    StringBuilder md = new StringBuilder();
    for (String line : text.split("\n", -1)) md.append("    ").append(line).append('\n');
    text(tag, md.toString(), step);
  }

  /**
   * Marks a (re)start at {@code step}: TensorBoard then discards events of an earlier run of the
   * same directory with larger steps (those a resumed run recomputes).
   */
  public void sessionStart(long step) throws IOException {
    events.write(Event.newBuilder().setWallTime(EventFileWriter.wallTime()).setStep(step)
        .setSessionLog(SessionLog.newBuilder().setStatus(SessionLog.SessionStatus.START)).build());
  }

  public void flush() throws IOException {
    events.flush();
  }

  @Override
  public void close() throws IOException {
    events.close();
  }

  private void write(long step, Summary.Value.Builder value) throws IOException {
    events.write(Event.newBuilder().setWallTime(EventFileWriter.wallTime()).setStep(step)
        .setSummary(Summary.newBuilder().addValue(value)).build());
  }
}
