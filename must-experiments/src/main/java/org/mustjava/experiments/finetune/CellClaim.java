package org.mustjava.experiments.finetune;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.mustjava.core.io.AtomicFiles;

/**
 * A claim on one grid cell, so that several launchers started on the same grid (processes on one
 * machine, or machines sharing the model directory) share its cells without clobbering each other.
 *
 * <p>The claim is a file beside the cell's directory, {@code <cell>.claim}, holding who claimed it:
 * <pre>
 * pid=4242
 * start=2026-12-03T09:41:07.120Z      (the process's start time: a reused pid is not mistaken for it)
 * host=worker-3
 * time=2026-12-03T09:52:11.004Z
 * token=6f1c...                        (this claim; release deletes only its own file)
 * </pre>
 * It is created atomically, complete: written to a private temporary file, then hard-linked to
 * the claim's name, which fails when the name exists (the exclusivity of {@code CREATE_NEW}, but
 * never visible half-written). On a file system without hard links it is created with
 * {@code CREATE_NEW} and then written; a claim read empty or unparsable counts as held.
 *
 * <p><b>Stale claims.</b> A claim whose host is this machine and whose process is no longer alive
 * (no process with that pid and start time: killed, crashed, machine rebooted) is stale. A claim
 * from another host cannot be checked that way: its holder refreshes {@code time} (a heartbeat every
 * tenth of {@code remoteTimeout}), and it is stale once {@code time} is older than
 * {@code remoteTimeout} by this machine's clock (machines sharing a grid need roughly synchronised
 * clocks). A stale claim is taken over: renamed aside under a unique name (only one taker's rename
 * succeeds), checked to be the claim that was judged stale (if a live claim was moved by a race, it
 * is linked back), deleted, and the cell claimed anew.
 */
public final class CellClaim implements AutoCloseable {
  /** How long a claim of another host lives without a heartbeat, unless told otherwise. */
  public static final Duration DEFAULT_REMOTE_TIMEOUT = Duration.ofMinutes(10);
  private static final String HOST = hostName();
  private static final ScheduledExecutorService HEARTBEATS = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "cell-claim-heartbeat");
    t.setDaemon(true);
    return t;
  });

  private final Path file;
  private final Optional<String> tookOverFrom;
  private String text;
  private boolean released;
  private ScheduledFuture<?> heartbeat;

  private CellClaim(Path file, String text, Optional<String> tookOverFrom) {
    this.file = file;
    this.text = text;
    this.tookOverFrom = tookOverFrom;
  }

  /** The claim file of a cell directory: {@code <cell>.claim} beside it. */
  public static Path fileFor(Path cellDirectory) {
    return cellDirectory.resolveSibling(cellDirectory.getFileName() + ".claim");
  }

  /** {@link #tryAcquire(Path, Duration)} with {@link #DEFAULT_REMOTE_TIMEOUT}. */
  public static Optional<CellClaim> tryAcquire(Path file) throws IOException {
    return tryAcquire(file, DEFAULT_REMOTE_TIMEOUT);
  }

  /**
   * Claims {@code file} for this process; empty when a live holder has it. The claim's heartbeat
   * runs until {@link #close}.
   *
   * @param remoteTimeout when a claim of another host without a heartbeat counts as stale
   */
  public static Optional<CellClaim> tryAcquire(Path file, Duration remoteTimeout) throws IOException {
    Files.createDirectories(file.getParent());
    String stale = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      String text = describeThisProcess();
      if (create(file, text)) {
        CellClaim claim = new CellClaim(file, text, Optional.ofNullable(stale));
        long periodMs = Math.max(1, remoteTimeout.toMillis() / 10);
        claim.heartbeat = HEARTBEATS.scheduleAtFixedRate(claim::refresh, periodMs, periodMs, TimeUnit.MILLISECONDS);
        return Optional.of(claim);
      }
      String held;
      try {
        held = Files.readString(file, StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        continue; // released meanwhile: try again
      }
      if (!isStale(held, remoteTimeout, Instant.now())) return Optional.empty();
      if (!moveAsideIfUnchanged(file, held)) return Optional.empty();
      stale = held.strip().replace('\n', ' ');
    }
    return Optional.empty();
  }

  /** Who holds {@code file} (its text), or empty when nobody does. */
  public static Optional<String> holder(Path file) throws IOException {
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip().replace('\n', ' '));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** The description of the stale claim this one replaced, if any (for the log). */
  public Optional<String> tookOverFrom() {
    return tookOverFrom;
  }

  public Path file() {
    return file;
  }

  /** The heartbeat: refreshes {@code time} while the file is still this claim's. */
  private synchronized void refresh() {
    if (released) return;
    try {
      if (!Files.readString(file, StandardCharsets.UTF_8).equals(text)) return; // no longer ours
      String updated = text.replaceFirst("(?m)^time=.*$", "time=" + Instant.now());
      AtomicFiles.writeString(file, updated);
      text = updated;
    } catch (IOException e) {
      // Gone (taken over after a long stall, or removed by hand) or unreadable: the next beat retries.
    }
  }

  /** Stops the heartbeat and deletes the claim file if it is still this claim's. */
  @Override
  public synchronized void close() throws IOException {
    if (released) return;
    released = true;
    if (heartbeat != null) heartbeat.cancel(false);
    try {
      if (Files.readString(file, StandardCharsets.UTF_8).equals(text)) Files.deleteIfExists(file);
    } catch (NoSuchFileException e) {
      // Already gone (removed by hand): nothing to release.
    }
  }

  private static boolean create(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      Files.createLink(file, tmp);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (UnsupportedOperationException | IOException e) {
      if (Files.exists(file)) return false;
      // No hard links here: CREATE_NEW, then the content.
      try {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return true;
      } catch (FileAlreadyExistsException taken) {
        return false;
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Renames a stale claim aside, checks it is the one judged stale, deletes it. */
  private static boolean moveAsideIfUnchanged(Path file, String judged) throws IOException {
    Path aside = file.resolveSibling("." + file.getFileName() + ".stale." + UUID.randomUUID());
    try {
      Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException e) {
      return true; // another taker moved it first; claiming may still succeed
    }
    if (!Files.readString(aside, StandardCharsets.UTF_8).equals(judged)) {
      // A live claim created after the stale one was read: give it back.
      try {
        Files.createLink(file, aside);
      } catch (FileAlreadyExistsException e) {
        // Someone claimed meanwhile; the cell has a holder either way.
      }
      Files.deleteIfExists(aside);
      return false;
    }
    Files.delete(aside);
    return true;
  }

  static String describeThisProcess() {
    ProcessHandle self = ProcessHandle.current();
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("pid", Long.toString(self.pid()));
    fields.put("start", self.info().startInstant().map(Instant::toString).orElse(""));
    fields.put("host", HOST);
    fields.put("time", Instant.now().toString());
    fields.put("token", UUID.randomUUID().toString());
    StringBuilder sb = new StringBuilder();
    fields.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
    return sb.toString();
  }

  /**
   * Whether a claim is stale: its holder is a process of this host that no longer runs, or it is a
   * claim of another host whose last heartbeat is older than {@code remoteTimeout}.
   */
  static boolean isStale(String claimText, Duration remoteTimeout, Instant now) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String line : claimText.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) fields.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
    }
    if (!HOST.equals(fields.get("host"))) {
      try {
        return Instant.parse(fields.getOrDefault("time", "")).plus(remoteTimeout).isBefore(now);
      } catch (DateTimeParseException e) {
        return false; // half-written or foreign: treat as held
      }
    }
    long pid;
    try {
      pid = Long.parseLong(fields.getOrDefault("pid", ""));
    } catch (NumberFormatException e) {
      return false; // half-written or foreign: treat as held
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isEmpty() || !process.get().isAlive()) return true;
    String start = fields.getOrDefault("start", "");
    Optional<Instant> actual = process.get().info().startInstant();
    // A different start time: the pid was reused by another process after the holder died.
    return !start.isEmpty() && actual.isPresent() && !actual.get().toString().equals(start);
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      String env = System.getenv("HOSTNAME");
      return env != null && !env.isBlank() ? env : "localhost";
    }
  }
}
