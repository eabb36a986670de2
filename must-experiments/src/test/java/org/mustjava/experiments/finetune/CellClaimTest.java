package org.mustjava.experiments.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Claims on grid cells: exclusive, released by their owner only, stale ones of dead processes taken over. */
class CellClaimTest {
  @TempDir Path dir;

  @Test
  void claimIsExclusiveUntilReleased() throws Exception {
    Path file = CellClaim.fileFor(dir.resolve("0.01_100"));
    assertEquals(dir.resolve("0.01_100.claim"), file);
    Optional<CellClaim> first = CellClaim.tryAcquire(file);
    assertTrue(first.isPresent());
    String text = Files.readString(file);
    assertTrue(text.contains("pid=" + ProcessHandle.current().pid() + "\n"), text);
    assertTrue(text.contains("host=") && text.contains("time=") && text.contains("token="), text);
    // This process is alive, so its claim is not stale: nobody else gets the cell.
    assertTrue(CellClaim.tryAcquire(file).isEmpty());
    first.get().close();
    assertFalse(Files.exists(file));
    try (CellClaim again = CellClaim.tryAcquire(file).orElseThrow()) {
      assertTrue(Files.exists(again.file()));
      assertTrue(again.tookOverFrom().isEmpty());
    }
    assertFalse(Files.exists(file));
  }

  @Test
  void releaseLeavesAnotherOwnersClaimAlone() throws Exception {
    Path file = dir.resolve("c.claim");
    CellClaim claim = CellClaim.tryAcquire(file).orElseThrow();
    Files.writeString(file, CellClaim.describeThisProcess()); // e.g. removed by hand and claimed by someone else
    claim.close();
    assertTrue(Files.exists(file), "a claim that is no longer ours must survive our release");
  }

  @Test
  void staleClaimOfDeadLocalProcessIsTakenOver() throws Exception {
    Process dead = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertTrue(dead.waitFor(60, TimeUnit.SECONDS));
    long pid = dead.pid();
    Path file = dir.resolve("cell.claim");
    String mine = CellClaim.describeThisProcess();
    String host = mine.lines().filter(l -> l.startsWith("host=")).findFirst().orElseThrow();
    String stale = "pid=" + pid + "\nstart=\n" + host + "\ntime=2026-01-01T00:00:00Z\ntoken=dead\n";
    Files.writeString(file, stale);
    assertTrue(CellClaim.isStale(stale, CellClaim.DEFAULT_REMOTE_TIMEOUT, Instant.now()));
    try (CellClaim claim = CellClaim.tryAcquire(file).orElseThrow()) {
      assertTrue(claim.tookOverFrom().orElseThrow().contains("pid=" + pid), claim.tookOverFrom().toString());
      assertTrue(Files.readString(file).contains("pid=" + ProcessHandle.current().pid() + "\n"));
    }
    // Nothing left behind but what the test wrote: no aside or temporary files.
    try (var files = Files.list(dir)) {
      assertEquals(List.of(), files.toList());
    }
  }

  @Test
  void claimOfAnotherHostIsTakenOverOnlyWhenItsHeartbeatStopped() throws Exception {
    Path file = dir.resolve("cell.claim");
    String host = "host=some-other-machine-" + System.nanoTime();
    String live = "pid=1\nstart=\n" + host + "\ntime=" + Instant.now() + "\ntoken=x\n";
    Files.writeString(file, live);
    assertTrue(CellClaim.tryAcquire(file).isEmpty(), "a remote claim with a recent heartbeat is held");
    assertEquals(live, Files.readString(file));
    String silent = "pid=1\nstart=\n" + host + "\ntime=" + Instant.now().minus(Duration.ofMinutes(11)) + "\ntoken=x\n";
    assertFalse(CellClaim.isStale(silent, Duration.ofMinutes(12), Instant.now()));
    Files.writeString(file, silent);
    try (CellClaim claim = CellClaim.tryAcquire(file, Duration.ofMinutes(10)).orElseThrow()) {
      assertTrue(claim.tookOverFrom().orElseThrow().contains(host), claim.tookOverFrom().toString());
    }
  }

  @Test
  void heartbeatRefreshesTheClaimUntilReleased() throws Exception {
    Path file = dir.resolve("cell.claim");
    try (CellClaim claim = CellClaim.tryAcquire(file, Duration.ofMillis(500)).orElseThrow()) {
      String first = Files.readString(file);
      String changed = first;
      for (int i = 0; i < 100 && changed.equals(first); i++) {
        Thread.sleep(50);
        changed = Files.readString(file);
      }
      assertFalse(changed.equals(first), "the heartbeat (every 50 ms) did not refresh the claim");
      assertEquals(first.replaceFirst("(?m)^time=.*$", ""), changed.replaceFirst("(?m)^time=.*$", ""),
          "only the time changes");
      assertTrue(CellClaim.tryAcquire(file, Duration.ofMillis(500)).isEmpty());
    }
    assertFalse(Files.exists(file), "released");
    Thread.sleep(200);
    assertFalse(Files.exists(file), "no heartbeat after release");
  }

  @Test
  void pidReusedByAnotherProcessCountsAsDead() throws Exception {
    // This process's pid with a start time that is not this process's: the holder died and its pid was reused.
    String text = CellClaim.describeThisProcess().replaceFirst("start=[^\n]*", "start=2001-01-01T00:00:00Z");
    assertTrue(CellClaim.isStale(text, CellClaim.DEFAULT_REMOTE_TIMEOUT, Instant.now()));
    assertFalse(CellClaim.isStale(CellClaim.describeThisProcess(), CellClaim.DEFAULT_REMOTE_TIMEOUT, Instant.now()));
  }

  @Test
  void concurrentClaimantsGetTheCellOnce() throws Exception {
    int threads = 8;
    for (int round = 0; round < 20; round++) {
      Path file = dir.resolve("cell-" + round + ".claim");
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Optional<CellClaim>>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(pool.submit(() -> {
          go.await();
          return CellClaim.tryAcquire(file);
        }));
      }
      go.countDown();
      int won = 0;
      for (Future<Optional<CellClaim>> r : results) if (r.get().isPresent()) won++;
      pool.shutdown();
      assertEquals(1, won, "round " + round);
    }
  }
}
