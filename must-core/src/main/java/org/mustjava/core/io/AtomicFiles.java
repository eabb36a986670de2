package org.mustjava.core.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so that a reader (or a rerun after a crash) sees either the complete new content or
 * nothing new: the bytes go to a hidden temporary file in the same directory, which is synced and
 * then renamed over the target in one atomic step.
 *
 * <p>Temporary names start with a dot and end in {@code .tmp}, so glob patterns such as
 * {@code train-*} never pick up a half-written file.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Atomically replaces {@code target} with {@code bytes}. */
  public static void write(Path target, byte[] bytes) throws IOException {
    write(target, out -> out.write(bytes));
  }

  /** Atomically replaces {@code target} with {@code text} encoded as UTF-8. */
  public static void writeString(Path target, String text) throws IOException {
    write(target, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Atomically replaces {@code target} with what {@code body} writes to the stream it is given. If
   * {@code body} throws, the temporary file is deleted and {@code target} is left untouched.
   */
  public static void write(Path target, IOConsumer<OutputStream> body) throws IOException {
    Path tmp = createTempSibling(target);
    boolean done = false;
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
        // The body may close what it is given (writers wrapping the stream often do); the file
        // must stay open until it is synced, so closing only flushes.
        body.accept(new FilterOutputStream(out) {
          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
          }

          @Override
          public void close() throws IOException {
            out.flush();
          }
        });
        out.flush();
        ch.force(true);
      }
      commit(tmp, target);
      done = true;
    } finally {
      if (!done) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /**
   * Creates an empty hidden temporary file next to {@code target} (creating the parent directories
   * if needed) and returns it. The caller fills it and passes it to {@link #commit}.
   */
  public static Path createTempSibling(Path target) throws IOException {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    Files.createDirectories(dir);
    String base = "." + abs.getFileName() + ".";
    while (true) {
      Path tmp = dir.resolve(base + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
      try {
        return Files.createFile(tmp);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // Astronomically unlikely; try another name.
      }
    }
  }

  /** Renames a finished temporary file over {@code target} atomically and syncs the directory. */
  public static void commit(Path tmp, Path target) throws IOException {
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    syncDirectory(target.toAbsolutePath().getParent());
  }

  /** Makes a rename durable on POSIX systems; a no-op where directories cannot be opened. */
  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Not supported on this platform (e.g. Windows): the rename itself is still atomic.
    }
  }
}
