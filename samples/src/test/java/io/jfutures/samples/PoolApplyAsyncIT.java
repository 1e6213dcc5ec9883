package io.jfutures.samples;

import static io.jfutures.samples.Awaits.awaitNoChildProcess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

final class PoolApplyAsyncIT {
  @Test
  void run_fiveTasksOnFourWorkers_resultsInOrder_oneCallbackEach() throws Exception {
    Narration narration = new Narration();
    PoolApplyAsync.Outcome outcome = PoolApplyAsync.run(4, 5, narration.out());
    awaitNoChildProcess();
    List<String> squares =
        outcome.results().stream().map(r -> r.split(" in ")[0]).collect(Collectors.toList());
    assertEquals(List.of("0*0=0", "1*1=1", "2*2=4", "3*3=9", "4*4=16"), squares);
    assertTrue(
        outcome.results().stream()
            .noneMatch(r -> r.endsWith("pid " + ProcessHandle.current().pid())),
        "computed in child JVMs: " + outcome.results());
    assertEquals(
        outcome.results().stream().sorted().collect(Collectors.toList()),
        outcome.callbacks().stream().sorted().collect(Collectors.toList()));
    assertEquals(List.of(0, 1, 4, 9, 16), outcome.mapped());
  }
}
