package io.jfutures.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class PeerOptionsTest {

  @Test
  void parse_defaults() {
    PeerOptions o = PeerOptions.parse();
    assertEquals(2, o.workers());
    assertFalse(o.quick());
    assertEquals(Optional.empty(), o.json());
    assertEquals(List.of(Workload.values()), o.selected());
    assertEquals(List.of(), o.skipped());
    assertEquals(PeerOptions.DEFAULT_WARMUP_RUNS, o.warmupRuns());
    assertFalse(o.help());
  }

  @Test
  void parse_everything() {
    PeerOptions o =
        PeerOptions.parse(
            "--workers",
            "4",
            "--quick",
            "--json",
            "out.json",
            "--only",
            "W3,w1",
            "--no-jit-warmup");
    assertEquals(4, o.workers());
    assertTrue(o.quick());
    assertEquals(Optional.of("out.json"), o.json());
    assertEquals(List.of(Workload.W1, Workload.W3), o.selected());
    assertEquals(0, o.warmupRuns());
  }

  @Test
  void parse_warmupRuns() {
    assertEquals(2, PeerOptions.parse("--warmup-runs", "2").warmupRuns());
    assertEquals(0, PeerOptions.parse("--warmup-runs=0").warmupRuns());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> PeerOptions.parse("--warmup-runs", "-1"));
    assertTrue(e.getMessage().contains("--warmup-runs must be 0 or more"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> PeerOptions.parse("--warmup-runs", "x"));
    assertTrue(e.getMessage().contains("'x'"), e.getMessage());
  }

  @Test
  void parse_equalsForm() {
    PeerOptions o = PeerOptions.parse("--workers=3", "--json=r.json", "--only=cold_start_ms");
    assertEquals(3, o.workers());
    assertEquals(Optional.of("r.json"), o.json());
    assertEquals(List.of(Workload.W1), o.selected());
  }

  @Test
  void parse_help() {
    assertTrue(PeerOptions.parse("--help").help());
    assertTrue(PeerOptions.parse("-h").help());
  }

  @Test
  void parse_badWorkers() {
    assertThrows(IllegalArgumentException.class, () -> PeerOptions.parse("--workers"));
    assertThrows(IllegalArgumentException.class, () -> PeerOptions.parse("--workers", "two"));
    assertThrows(IllegalArgumentException.class, () -> PeerOptions.parse("--workers", "0"));
    assertThrows(IllegalArgumentException.class, () -> PeerOptions.parse("--workers=-1"));
  }

  @Test
  void parse_unknownArgument() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PeerOptions.parse("--fast"));
    assertTrue(e.getMessage().contains("--fast"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> PeerOptions.parse("--quick=yes"));
    assertThrows(IllegalArgumentException.class, () -> PeerOptions.parse("--json", ""));
    assertThrows(IllegalArgumentException.class, () -> PeerOptions.parse("--json"));
  }

  @Test
  void select_idsAndNamesInStandardOrder() {
    assertEquals(
        List.of(Workload.W2, Workload.W8, Workload.RSS),
        PeerOptions.select(" rss , POOL_MAP_ITEMS_PER_S,W2,W2", new java.util.ArrayList<>()));
  }

  @Test
  void select_anchors() {
    assertEquals(
        List.of(Workload.W1, Workload.A5),
        PeerOptions.select("anchors,W1", new java.util.ArrayList<>()));
  }

  @Test
  void select_pythonOnlyIsSkipped() {
    List<String> skipped = new java.util.ArrayList<>();
    assertEquals(List.of(Workload.W7), PeerOptions.select("W7,W7b,A5x,start_java25_ms", skipped));
    assertEquals(List.of("W7b", "A5x", "start_java25_ms"), skipped);
    PeerOptions o = PeerOptions.parse("--only", "W7b");
    assertEquals(List.of(), o.selected());
    assertEquals(List.of("W7b"), o.skipped());
  }

  @Test
  void select_blankMeansAll() {
    assertEquals(List.of(Workload.values()), PeerOptions.select(" ", new java.util.ArrayList<>()));
    assertEquals(List.of(Workload.values()), PeerOptions.select(null, new java.util.ArrayList<>()));
  }

  @Test
  void select_unknownListsTheKnown() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> PeerOptions.parse("--only", "W1,W9,bogus"));
    assertTrue(e.getMessage().contains("[w9, bogus]"), e.getMessage());
    assertTrue(e.getMessage().contains("W3=throughput_tasks_per_s"), e.getMessage());
  }

  @Test
  void workloads_namesAndUnitsMatchThePythonPeer() {
    assertEquals("cold_start_ms", Workload.W1.resultName());
    assertEquals("roundtrip_us", Workload.W2.resultName());
    assertEquals("throughput_tasks_per_s", Workload.W3.resultName());
    assertEquals("map_chunked_items_per_s", Workload.W4.resultName());
    assertEquals("cpu_speedup", Workload.W5.resultName());
    assertEquals("payload_mb_per_s", Workload.W6.resultName());
    assertEquals("recycle_tasks_per_s", Workload.W7.resultName());
    assertEquals("pool_map_items_per_s", Workload.W8.resultName());
    assertEquals("pipe_roundtrip_us", Workload.A5.resultName());
    assertEquals("MiB/s", Workload.W6.unit());
    assertEquals("tasks/s", Workload.W3.unit());
    assertEquals("us", Workload.W2.unit());
    assertTrue(Workload.A5.isAnchor());
    assertFalse(Workload.RSS.isAnchor());
  }
}
