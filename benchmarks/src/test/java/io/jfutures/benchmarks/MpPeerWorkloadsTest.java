package io.jfutures.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

final class MpPeerWorkloadsTest {

  @Test
  void line_asThePythonPeerPrintsIt() {
    assertEquals(
        "array_sum_child_1e4_ms                     18.789 ms       [V2]",
        MpPeerWorkloads.line(
            "V2", new MpPeerWorkloads.Result("array_sum_child_1e4_ms", 18.7886, "ms", Map.of())));
    assertEquals(
        "array_sum_child_1e6_ms                        n/a ms       [V2]",
        MpPeerWorkloads.line(
            "V2",
            new MpPeerWorkloads.Result("array_sum_child_1e6_ms", Double.NaN, "ms", Map.of())));
  }
}
