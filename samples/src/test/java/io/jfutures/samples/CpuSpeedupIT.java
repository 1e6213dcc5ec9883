package io.jfutures.samples;

import static io.jfutures.samples.Awaits.awaitNoChildProcess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Checks the results only: the speedup depends on the machine, so it is printed, not asserted. */
final class CpuSpeedupIT {

  @AfterEach
  void noChildLeft() {
    awaitNoChildProcess();
  }

  @Test
  void run_sameResultsOnOneAndTwoWorkers() throws Exception {
    List<Integer> inputs = List.of(24, 21, 23, 22);
    Narration narration = new Narration();
    CpuSpeedup.Result result = CpuSpeedup.run(inputs, 2, narration.out());

    List<Long> expected = List.of(46_368L, 10_946L, 28_657L, 17_711L);
    assertEquals(expected, inputs.stream().map(CpuSpeedup::fib).collect(Collectors.toList()));
    assertEquals(inputs, result.inputs());
    assertEquals(2, result.workers());
    assertEquals(expected, result.oneWorker());
    assertEquals(expected, result.manyWorkers());
    assertTrue(result.oneWorkerTime().toNanos() > 0 && result.manyWorkersTime().toNanos() > 0);
    assertTrue(result.speedup() > 0, result.toString());
    assertTrue(narration.text().contains("speedup of 2 workers over 1"));
  }
}
