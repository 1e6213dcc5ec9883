package io.jfutures.impl.internal.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jfutures.impl.internal.jvm.ChildJvmOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

final class WorkerSpecsTest {
  @Test
  void defaultJvmOptions_scaleEveryJitThresholdOnlyForShortLivedWorkers() {
    List<String> longLived = ChildJvmOptions.longLived(List.of());
    List<String> shortLived = ChildJvmOptions.shortLived(List.of());
    assertEquals(longLived, WorkerSpecs.defaultJvmOptions(0, List.of()), "no maxTasksPerChild");
    assertEquals(shortLived, WorkerSpecs.defaultJvmOptions(1, List.of()));
    assertEquals(
        shortLived, WorkerSpecs.defaultJvmOptions(WorkerSpecs.SHORT_LIVED_TASKS, List.of()));
    assertEquals(
        longLived, WorkerSpecs.defaultJvmOptions(WorkerSpecs.SHORT_LIVED_TASKS + 1, List.of()));
  }

  @Test
  void defaultJvmOptions_leaveTheCollectorToTheUser() {
    assertEquals(
        ChildJvmOptions.longLived(List.of("-XX:+UseG1GC")),
        WorkerSpecs.defaultJvmOptions(0, List.of("-XX:+UseG1GC")));
  }
}
