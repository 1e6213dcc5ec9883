package io.jfutures.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class MpPeerWorkloadsTest {

  @Test
  void pattern_asThePythonPeers() {
    byte[] p = MpPeerWorkloads.pattern(260);
    assertEquals(260, p.length);
    assertArrayEquals(
        new byte[] {
          (byte) 250, (byte) 251, (byte) 252, (byte) 253, (byte) 254, (byte) 255, 0, 1, 2, 3
        },
        Arrays.copyOfRange(p, 250, 260));
  }

  @Test
  void crc32_asZlibs() {
    // zlib.crc32(pattern(n)) in python_mp_peer.py
    assertEquals(1961098049L, MpPeerWorkloads.crc32(MpPeerWorkloads.pattern(1000)));
    assertEquals(722589585L, MpPeerWorkloads.crc32(MpPeerWorkloads.pattern(10 << 20)));
  }

  @Test
  void s2_isTheSumOfSquares() {
    for (int n : new int[] {0, 1, 2, 10, 1_000, 10_000}) {
      long sum = 0;
      for (long i = 0; i < n; i++) {
        sum += i * i;
      }
      assertEquals(sum, MpPeerWorkloads.s2(n), "n = " + n);
    }
  }

  @Test
  void squares_areM1sEntriesInOrder() {
    Map<Integer, Integer> m = MpPeerWorkloads.squares(4);
    assertEquals(Map.of(0, 0, 1, 1, 2, 4, 3, 9), m);
    assertEquals(List.of(0, 1, 2, 3), List.copyOf(m.keySet()));
  }

  /** A toolbox-only run names its JDK, so that the comparison judges and titles it by that JDK. */
  @Test
  void anEntry_carriesTheJdkItRanOn() {
    Map<String, Object> entry =
        MpPeerWorkloads.entry(new MpPeerWorkloads.Result("x_ms", 1.5, "ms", Map.of("n", 3)), 2);
    @SuppressWarnings("unchecked")
    Map<String, Object> params = (Map<String, Object>) entry.get("params");
    assertEquals(Runtime.version().feature(), params.get("java_feature"));
    assertEquals(2, params.get("warmup_runs"));
    assertEquals(3, params.get("n"));
    assertEquals(Runtime.version().feature(), Compare.javaFeature(List.of(Map.of("x_ms", entry))));
  }

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
