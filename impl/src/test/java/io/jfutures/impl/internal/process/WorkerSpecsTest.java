package io.jfutures.impl.internal.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jfutures.impl.internal.jvm.ChildJvmOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

final class WorkerSpecsTest {
  private static List<String> expected(boolean shortLived) {
    return ChildJvmOptions.defaults(
        shortLived ? WorkerSpecs.SHORT_LIVED_SCALING : ChildJvmOptions.COMPILE_THRESHOLD_SCALING,
        List.of());
  }

  @Test
  void defaultJvmOptions_raiseJitThresholdsMostForShortLivedWorkers() {
    assertEquals(
        expected(false), WorkerSpecs.defaultJvmOptions(0, List.of()), "no maxTasksPerChild");
    assertEquals(expected(true), WorkerSpecs.defaultJvmOptions(1, List.of()));
    assertEquals(
        expected(true), WorkerSpecs.defaultJvmOptions(WorkerSpecs.SHORT_LIVED_TASKS, List.of()));
    assertEquals(
        expected(false),
        WorkerSpecs.defaultJvmOptions(WorkerSpecs.SHORT_LIVED_TASKS + 1, List.of()));
    assertEquals(
        List.of("-XX:CompileThresholdScaling=20"),
        WorkerSpecs.defaultJvmOptions(1, List.of()).stream()
            .filter(o -> o.startsWith("-XX:CompileThresholdScaling"))
            .toList(),
        "one scaling, not two");
  }

  @Test
  void defaultJvmOptions_leaveTheCollectorToTheUser() {
    assertEquals(
        ChildJvmOptions.defaults(
            ChildJvmOptions.COMPILE_THRESHOLD_SCALING, List.of("-XX:+UseG1GC")),
        WorkerSpecs.defaultJvmOptions(0, List.of("-XX:+UseG1GC")));
  }
}
