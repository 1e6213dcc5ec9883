package io.jfutures.impl.internal.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jfutures.impl.internal.jvm.NativeTrim;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class WorkerSpecsTest {
  private static List<String> expected(boolean shortLived) {
    List<String> options = new ArrayList<>(List.of("-XX:+UseSerialGC"));
    NativeTrim.option().ifPresent(options::add);
    if (shortLived) {
      options.add("-XX:CompileThresholdScaling=20");
    }
    return options;
  }

  @Test
  void defaultJvmOptions_raiseJitThresholdsOnlyForShortLivedWorkers() {
    assertEquals(expected(false), WorkerSpecs.defaultJvmOptions(0), "no maxTasksPerChild");
    assertEquals(expected(true), WorkerSpecs.defaultJvmOptions(1));
    assertEquals(expected(true), WorkerSpecs.defaultJvmOptions(WorkerSpecs.SHORT_LIVED_TASKS));
    assertEquals(expected(false), WorkerSpecs.defaultJvmOptions(WorkerSpecs.SHORT_LIVED_TASKS + 1));
  }
}
