package org.mustjava.experiments.stages;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One launcher's claim on one stage while it runs it: an OS lock on {@code
 * MODEL_DIR/.locks/<name>.lock}, released on {@link #close()} or by the OS when the process dies
 * (so a killed run leaves no stale claim). Several launchers on one model directory (e.g. sharing
 * a fine-tuning grid) thereby never run the same stage at once; the lock file itself stays.
 */
final class StageLock implements AutoCloseable {
  static final String DIRECTORY = ".locks";

  private final FileChannel channel;
  private final FileLock lock;

  private StageLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** The claim, or empty if another launcher (or another run in this JVM) holds it. */
  static Optional<StageLock> tryAcquire(Path modelDir, String stage) throws IOException {
    Path file = modelDir.resolve(DIRECTORY).resolve(stage + ".lock");
    Files.createDirectories(file.getParent());
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      FileLock lock = channel.tryLock();
      if (lock != null) return Optional.of(new StageLock(channel, lock));
    } catch (OverlappingFileLockException e) {
      // Held by this JVM: the same as held by another process.
    }
    channel.close();
    return Optional.empty();
  }

  /** Whether another launcher holds the claim now; creates nothing (for planning and dry runs). */
  static boolean heldElsewhere(Path modelDir, String stage) throws IOException {
    Path file = modelDir.resolve(DIRECTORY).resolve(stage + ".lock");
    if (!Files.isRegularFile(file)) return false;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      FileLock lock = channel.tryLock(0, Long.MAX_VALUE, true);
      if (lock == null) return true;
      lock.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return true;
    }
  }

  /** Waits for the claim (polling: a JVM cannot block on a lock it holds itself in another channel). */
  static StageLock acquire(Path modelDir, String stage) throws IOException, InterruptedException {
    while (true) {
      Optional<StageLock> lock = tryAcquire(modelDir, stage);
      if (lock.isPresent()) return lock.get();
      Thread.sleep(500);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
