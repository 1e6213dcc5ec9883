package io.jfutures.samples;

import static io.jfutures.samples.Awaits.awaitNoChildProcess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.samples.Recycling.Run;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class RecyclingIT {

  @AfterEach
  void noChildLeft() {
    awaitNoChildProcess();
  }

  @Test
  void run_newPidEveryTwoTasks() throws Exception {
    Narration narration = new Narration();
    List<Run> runs = Recycling.run(8, 2, narration.out());
    String text = narration.text();

    assertEquals(
        List.of(1, 2, 3, 4, 5, 6, 7, 8), runs.stream().map(Run::task).collect(Collectors.toList()));
    assertEquals(
        List.of(1, 2, 1, 2, 1, 2, 1, 2),
        runs.stream().map(Run::nthInWorker).collect(Collectors.toList()),
        "each worker's count starts again: " + runs);
    for (int i = 0; i < runs.size(); i += 2) {
      assertEquals(runs.get(i).pid(), runs.get(i + 1).pid(), "two tasks per worker: " + runs);
      if (i > 0) {
        assertNotEquals(runs.get(i - 1).pid(), runs.get(i).pid(), "a new worker: " + runs);
      }
    }
    List<Long> pids = runs.stream().map(Run::pid).distinct().collect(Collectors.toList());
    assertEquals(4, pids.size(), runs.toString());
    assertTrue(pids.stream().allMatch(pid -> pid > 0 && pid != Workers.pid()), runs.toString());
    assertTrue(text.contains("8 tasks used 4 worker JVMs"), text);
  }

  @Test
  void run_oneTaskPerChild() throws Exception {
    List<Run> runs = Recycling.run(3, 1, new Narration().out());
    assertEquals(3, runs.stream().map(Run::pid).distinct().count(), runs.toString());
    assertTrue(runs.stream().allMatch(r -> r.nthInWorker() == 1), runs.toString());
  }
}
