package io.jfutures.impl;

import static io.jfutures.impl.Awaits.awaitGone;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** maxTasksPerChild: workers exit cleanly and are replaced, with any backlog, without deadlock. */
final class RecyclingIT {

  @Test
  void maxTasksPerChild_backlogOnOneWorker_pidChangesEveryNTasks() throws Exception {
    List<Long> order = new ArrayList<>();
    try (ProcessPoolExecutor pool =
        ProcessPoolExecutor.newBuilder().maxWorkers(1).maxTasksPerChild(2).build()) {
      // All submitted at once: CPython 3.11 to 3.13 deadlocks here (gh-115634).
      List<CompletableFuture<Long>> fs = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        fs.add(pool.submit(() -> ProcessHandle.current().pid()));
      }
      for (CompletableFuture<Long> f : fs) {
        order.add(f.get(60, SECONDS));
      }
    }
    for (int i = 0; i < 10; i += 2) {
      assertEquals(order.get(i), order.get(i + 1), "tasks " + i + " and " + (i + 1) + ": " + order);
    }
    Set<Long> distinct = new LinkedHashSet<>(order);
    assertEquals(5, distinct.size(), order.toString());
    awaitGone(new ArrayList<>(distinct));
  }

  @Test
  void maxTasksPerChild_twoWorkers_notCountedAsBroken() throws Exception {
    Set<Long> pids = new LinkedHashSet<>();
    try (ProcessPoolExecutor pool =
        ProcessPoolExecutor.newBuilder().maxWorkers(2).maxTasksPerChild(3).build()) {
      List<CompletableFuture<Long>> fs = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        fs.add(pool.submit(() -> ProcessHandle.current().pid()));
      }
      for (CompletableFuture<Long> f : fs) {
        pids.add(f.get(60, SECONDS));
      }
      assertEquals(42, pool.submit(() -> 42).get(60, SECONDS));
      // A short-lived worker compiles less; a user's own setting, given later, would win.
      List<String> args =
          pool.submit(() -> List.of(ProcessHandle.current().info().arguments().orElseThrow()))
              .get(60, SECONDS);
      assertTrue(args.contains("-XX:CompileThresholdScaling=20"), args.toString());
    }
    assertTrue(pids.size() >= 8, "24 tasks, 3 per worker: " + pids.size() + " workers");
    awaitGone(new ArrayList<>(pids));
  }
}
