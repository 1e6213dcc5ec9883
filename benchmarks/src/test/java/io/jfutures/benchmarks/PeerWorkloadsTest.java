package io.jfutures.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class PeerWorkloadsTest {

  @Test
  void line_asThePythonPeerPrintsIt() {
    PeerWorkloads.Result r =
        new PeerWorkloads.Result(113.14159, "ms", "runs=[1.0]", new LinkedHashMap<>());
    assertEquals(
        "cold_start_ms                       113.142 ms       [W1] runs=[1.0]",
        PeerWorkloads.line(Workload.W1, r));
    PeerWorkloads.Result none = new PeerWorkloads.Result(null, "tasks/s", "STALLED", Map.of());
    assertTrue(PeerWorkloads.line(Workload.W7, none).contains("            n/a tasks/s  [W7]"));
  }

  @Test
  void check_failsLoudly() {
    PeerWorkloads.check(true, "fine");
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> PeerWorkloads.check(false, "W4: wrong sum"));
    assertEquals("check failed: W4: wrong sum", e.getMessage());
  }

  @Test
  void parseProcStatus_readsKilobyteFields() {
    Map<String, Long> kb =
        PeerWorkloads.parseProcStatus(
            List.of(
                "Name:\tjava",
                "VmHWM:\t   46012 kB",
                "VmRSS:\t   45196 kB",
                "Threads:\t19",
                "garbage",
                "VmBad:\t  x kB"));
    assertEquals(Map.of("VmHWM", 46012L, "VmRSS", 45196L), kb);
  }

  @Test
  void sizes_matchThePythonPeer() {
    PeerWorkloads.Sizes full = PeerWorkloads.Sizes.FULL;
    assertEquals(5, full.coldPools());
    assertEquals(2_000, full.roundtripCalls());
    assertEquals(20_000, full.throughputTasks());
    assertEquals(1_000_000, full.mapItems());
    assertEquals(10_000, full.mapChunksize());
    assertEquals(27, full.fibN());
    assertEquals(20, full.payloadTasks());
    assertEquals(10 * 1024 * 1024, full.payloadBytes());
    assertEquals(200, full.recycleTasks());
    assertEquals(10, full.recycleMaxTasksPerChild());
    PeerWorkloads.Sizes quick = PeerWorkloads.Sizes.QUICK;
    assertEquals(3, quick.coldPools());
    assertEquals(200, quick.roundtripCalls());
    assertEquals(2_000, quick.throughputTasks());
    assertEquals(100_000, quick.mapItems());
    assertEquals(1_000, quick.mapChunksize());
    assertEquals(24, quick.fibN());
    assertEquals(3, quick.fibRepeats());
    assertEquals(2, quick.payloadTasks());
    assertEquals(20, quick.recycleTasks());
    assertEquals(2_000, quick.pipeRoundtrips());
  }

  @Test
  void commonParams_nameTheJvm() {
    Map<String, Object> common = PeerWorkloads.commonParams(PeerOptions.parse("--workers", "3"));
    assertEquals(3, common.get("workers"));
    assertEquals(Runtime.version().feature(), common.get("java_feature"));
    assertEquals("jfutures", common.get("peer"));
  }

  @Test
  void tasks_bodies() {
    assertEquals(7, Tasks.NOOP.apply(7));
    long max = 1_000_000 - 1;
    assertEquals(max * max, Tasks.SQUARE.apply(999_999));
    for (Map.Entry<Integer, Long> e : Tasks.FIB_VALUES.entrySet()) {
      assertEquals(e.getValue(), Tasks.FIB.apply(e.getKey()));
    }
    assertEquals(0L, Tasks.fib(0));
    assertEquals(1L, Tasks.fib(1));
    byte[] data = {1, 2, 3};
    assertTrue(Tasks.ECHO.apply(data).echoes(new byte[] {1, 2, 3}));
    assertEquals(new Tasks.IndexAndPid(4, ProcessHandle.current().pid()), Tasks.NOOP_PID.apply(4));
  }
}
