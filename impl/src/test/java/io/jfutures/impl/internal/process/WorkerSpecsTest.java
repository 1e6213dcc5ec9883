package io.jfutures.impl.internal.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class WorkerSpecsTest {
  private static List<String> expected(boolean shortLived) {
    List<String> options = new ArrayList<>(List.of("-XX:+UseSerialGC"));
    WorkerSpecs.nativeTrim(Runtime.version()).ifPresent(options::add);
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

  @Test
  void theNativeTrim_isAskedOnlyOfAJdkThatKnowsIt() {
    for (String known : List.of("17.0.9", "17.0.15+6", "21.0.1", "22", "25.0.1+8-LTS")) {
      assertEquals(
          "-XX:TrimNativeHeapInterval=" + WorkerSpecs.NATIVE_TRIM_MILLIS,
          WorkerSpecs.nativeTrim(Runtime.Version.parse(known)).orElse(null),
          known);
    }
    for (String unknown : List.of("17", "17.0.8", "18.0.2", "20.0.2", "21")) {
      assertFalse(WorkerSpecs.nativeTrim(Runtime.Version.parse(unknown)).isPresent(), unknown);
    }
  }

  @Test
  void thisJdk_knowsTheTrim() {
    // The JDKs this project builds and tests on (17.0.15 and 25) both have it: a worker's option
    // list that lost it would go unnoticed by the other test.
    assertTrue(WorkerSpecs.nativeTrim(Runtime.version()).isPresent(), Runtime.version().toString());
  }
}
