package io.jfutures.impl.internal.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class ChildJvmOptionsTest {
  @Test
  void defaults_areTheSerialCollector_theTrim_andTheScaling() {
    List<String> expected = new ArrayList<>(List.of("-XX:+UseSerialGC"));
    NativeTrim.option().ifPresent(expected::add);
    expected.add("-XX:CompileThresholdScaling=5");
    assertEquals(expected, ChildJvmOptions.defaults(5, List.of("-Xmx64m", "-Dx=y")));
  }

  @Test
  void aCollectorInTheUsersOptions_leavesTheSerialCollectorOut() {
    for (String gc :
        List.of(
            "-XX:+UseG1GC",
            "-XX:+UseParallelGC",
            "-XX:+UseZGC",
            "-XX:+UseShenandoahGC",
            "-XX:+UseEpsilonGC",
            "-XX:-UseSerialGC",
            "-XX:+UseSerialGC")) {
      List<String> options = ChildJvmOptions.defaults(5, List.of("-Xmx64m", gc));
      assertFalse(options.contains("-XX:+UseSerialGC"), gc + ": " + options);
      assertTrue(options.contains("-XX:CompileThresholdScaling=5"), gc + ": " + options);
    }
  }

  @Test
  void optionsThatOnlyMentionACollector_keepTheSerialCollector() {
    for (String other :
        List.of(
            "-XX:+UseAdaptiveSizePolicyWithSystemGC",
            "-XX:+UseGCOverheadLimit",
            "-XX:+ExplicitGCInvokesConcurrent",
            "-Xlog:gc")) {
      assertTrue(ChildJvmOptions.defaults(20, List.of(other)).contains("-XX:+UseSerialGC"), other);
    }
  }
}
