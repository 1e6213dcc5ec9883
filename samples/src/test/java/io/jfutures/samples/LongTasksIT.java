package io.jfutures.samples;

import static io.jfutures.samples.Awaits.awaitNoChildProcess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.samples.LongTasks.TaskRun;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class LongTasksIT {

  @AfterEach
  void noChildLeft() {
    awaitNoChildProcess();
  }

  @Test
  void run_fourAtOnceThenTheFifth() throws Exception {
    Narration narration = new Narration();
    List<TaskRun> runs = LongTasks.run(4, 5, TestTimeouts.LONG_TASK, narration.out());
    String text = narration.text();

    assertEquals(
        List.of(1, 2, 3, 4, 5), runs.stream().map(TaskRun::task).collect(Collectors.toList()));
    for (TaskRun run : runs) {
      assertTrue(run.pid() > 0, run.toString());
      assertNotEquals(Workers.pid(), run.pid(), "ran in a child JVM: " + run);
      assertFalse(run.end().isBefore(run.start()), run.toString());
    }
    List<TaskRun> byStart =
        runs.stream().sorted(Comparator.comparing(TaskRun::start)).collect(Collectors.toList());
    List<TaskRun> firstFour = byStart.subList(0, 4);
    TaskRun fifth = byStart.get(4);

    List<Long> pids = firstFour.stream().map(TaskRun::pid).distinct().collect(Collectors.toList());
    assertEquals(4, pids.size(), "four workers: " + runs);
    Instant lastStart = firstFour.get(3).start();
    Instant firstEnd = firstFour.stream().map(TaskRun::end).min(Instant::compareTo).orElseThrow();
    assertTrue(lastStart.isBefore(firstEnd), "the four overlap: " + runs);
    assertFalse(fifth.start().isBefore(firstEnd), "the fifth waited for a worker: " + runs);
    assertTrue(pids.contains(fifth.pid()), "the fifth reused a worker: " + runs);
    assertTrue(text.contains("4 tasks started before the first one ended"), text);
  }
}
