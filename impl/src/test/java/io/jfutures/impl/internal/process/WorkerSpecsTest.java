package io.jfutures.impl.internal.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

final class WorkerSpecsTest {
  private static final List<String> LONG_LIVED = List.of("-XX:+UseSerialGC");
  private static final List<String> SHORT_LIVED =
      List.of("-XX:+UseSerialGC", "-XX:CompileThresholdScaling=20");

  @Test
  void defaultJvmOptions_raiseJitThresholdsOnlyForShortLivedWorkers() {
    assertEquals(LONG_LIVED, WorkerSpecs.defaultJvmOptions(0), "no maxTasksPerChild");
    assertEquals(SHORT_LIVED, WorkerSpecs.defaultJvmOptions(1));
    assertEquals(SHORT_LIVED, WorkerSpecs.defaultJvmOptions(WorkerSpecs.SHORT_LIVED_TASKS));
    assertEquals(LONG_LIVED, WorkerSpecs.defaultJvmOptions(WorkerSpecs.SHORT_LIVED_TASKS + 1));
  }
}
