package org.mustjava.core.summary;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.mustjava.core.io.Compression;
import org.mustjava.core.io.TFRecordWriter;
import org.tensorflow.proto.Event;

/**
 * Appends {@code Event} protos to a TensorBoard event file ({@code events.out.tfevents.*}) in TFRecord
 * framing. The file starts with the {@code brain.Event:2} version record, as TensorFlow's writer
 * does. Event files are logs read while they grow, so they are written in place (not atomically);
 * {@link #flush()} makes what was written visible, and readers tolerate a truncated last record.
 *
 * <p>Not thread-safe.
 */
public final class EventFileWriter implements AutoCloseable {
  private static final AtomicLong COUNTER = new AtomicLong();
  private final TFRecordWriter records;

  /** Creates a new event file in {@code directory} (created if needed). */
  public EventFileWriter(Path directory) throws IOException {
    Files.createDirectories(directory);
    long now = System.currentTimeMillis() / 1000;
    // Unique per process and writer, so a resumed run never appends to or clobbers an old file.
    String name = "events.out.tfevents." + now + "." + hostName() + "." + ProcessHandle.current().pid()
        + "." + COUNTER.incrementAndGet();
    this.records = TFRecordWriter.createInPlace(directory.resolve(name), Compression.NONE);
    write(Event.newBuilder().setWallTime(wallTime()).setFileVersion("brain.Event:2").build());
    flush();
  }

  public Path path() {
    return records.path();
  }

  public void write(Event event) throws IOException {
    records.write(event.toByteArray());
  }

  public void flush() throws IOException {
    records.flush();
  }

  @Override
  public void close() throws IOException {
    records.close();
  }

  static double wallTime() {
    return System.currentTimeMillis() / 1000.0;
  }

  private static String hostName() {
    try {
      String h = InetAddress.getLocalHost().getHostName();
      return h.replaceAll("[^A-Za-z0-9._-]", "_");
    } catch (IOException e) {
      return "localhost";
    }
  }
}
