package io.jfutures.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.benchmarks.Compare.Row;
import io.jfutures.benchmarks.Compare.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class CompareTest {

  /** One round's results: alternating names and values; the unit is taken from the name. */
  private static Map<String, Object> round(int javaFeature, Object... nameValue) {
    Map<String, Object> round = new LinkedHashMap<>();
    for (int i = 0; i < nameValue.length; i += 2) {
      String name = (String) nameValue[i];
      Map<String, Object> params = new LinkedHashMap<>();
      params.put("java_feature", javaFeature);
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("value", nameValue[i + 1]);
      entry.put("unit", name.endsWith("_ms") ? "ms" : name.endsWith("_us") ? "us" : "tasks/s");
      entry.put("params", params);
      round.put(name, entry);
    }
    return round;
  }

  private static Map<String, Row> rows(
      List<Map<String, Object>> peer, List<Map<String, Object>> ours) {
    return Compare.byName(Compare.rows(peer, ours));
  }

  @Test
  void ratio_isJfuturesOverCpython() {
    Map<String, Row> rows =
        rows(
            List.of(round(0, "throughput_tasks_per_s", 8000.0, "roundtrip_us", 240.0)),
            List.of(round(17, "throughput_tasks_per_s", 100_000.0, "roundtrip_us", 48.0)));
    Row w3 = rows.get("throughput_tasks_per_s");
    assertEquals(12.5, w3.ratio(), 1e-9);
    assertEquals(Verdict.YES, w3.met());
    assertEquals(">= 10x", w3.targetText());
    Row w2 = rows.get("roundtrip_us");
    assertEquals(0.2, w2.ratio(), 1e-9);
    assertEquals(Verdict.YES, w2.met());
    assertEquals("<= 0.25x", w2.targetText());
  }

  @Test
  void lowerIsBetter_failsAboveTheBound() {
    Row w2 =
        rows(List.of(round(0, "roundtrip_us", 200.0)), List.of(round(17, "roundtrip_us", 60.0)))
            .get("roundtrip_us");
    assertEquals(0.3, w2.ratio(), 1e-9);
    assertEquals(Verdict.NO, w2.met());
  }

  @Test
  void boundIsInclusive() {
    Row w3 =
        rows(
                List.of(round(0, "throughput_tasks_per_s", 1000.0)),
                List.of(round(17, "throughput_tasks_per_s", 10_000.0)))
            .get("throughput_tasks_per_s");
    assertEquals(Verdict.YES, w3.met());
  }

  @Test
  void coldStart_targetDependsOnTheJdk() {
    List<Map<String, Object>> peer = List.of(round(0, "cold_start_ms", 100.0));
    Row on17 = rows(peer, List.of(round(17, "cold_start_ms", 120.0))).get("cold_start_ms");
    assertEquals("<= 1.3x", on17.targetText());
    assertEquals(Verdict.YES, on17.met());
    Row on25 = rows(peer, List.of(round(25, "cold_start_ms", 120.0))).get("cold_start_ms");
    assertEquals("<= 1x", on25.targetText());
    assertEquals(Verdict.NO, on25.met());
    assertEquals(
        Verdict.YES,
        rows(peer, List.of(round(25, "cold_start_ms", 99.0))).get("cold_start_ms").met());
  }

  @Test
  void recycle_comparesWithCpythonPool() {
    Row w7 =
        rows(
                List.of(round(0, "recycle_tasks_per_s", null, "pool_recycle_tasks_per_s", 250.0)),
                List.of(round(17, "recycle_tasks_per_s", 400.0)))
            .get("recycle_tasks_per_s");
    assertEquals(250.0, w7.cpython());
    assertEquals(1.6, w7.ratio(), 1e-9);
    assertEquals(Verdict.YES, w7.met());
  }

  @Test
  void speedupAndRss_areJudgedOnJfuturesAlone() {
    Map<String, Row> rows =
        rows(
            List.of(round(0, "cpu_speedup", 1.95)),
            List.of(round(17, "cpu_speedup", 1.85, "idle_worker_rss_mib", 44.0)));
    Row w5 = rows.get("cpu_speedup");
    assertEquals(Verdict.NO, w5.met());
    assertEquals(1.85 / 1.95, w5.ratio(), 1e-9);
    assertEquals("jfutures >= 1.9", w5.targetText());
    Row rss = rows.get("idle_worker_rss_mib");
    assertNull(rss.cpython());
    assertNull(rss.ratio());
    assertEquals(Verdict.YES, rss.met());
    assertEquals("jfutures <= 48 MiB", rss.targetText());
  }

  @Test
  void missingValues_areNotApplicable() {
    Map<String, Row> rows = rows(List.of(round(0)), List.of(round(17, "payload_mb_per_s", null)));
    assertEquals(Verdict.UNKNOWN, rows.get("payload_mb_per_s").met());
    assertNull(rows.get("payload_mb_per_s").ratio());
    assertEquals(Verdict.UNKNOWN, rows.get("cpu_speedup").met());
    assertEquals(Verdict.NONE, rows.get("pipe_roundtrip_us").met());
  }

  @Test
  void medianOverRounds_ignoresNulls() {
    Row w3 =
        rows(
                List.of(
                    round(0, "throughput_tasks_per_s", 7000.0),
                    round(0, "throughput_tasks_per_s", 9000.0),
                    round(0, "throughput_tasks_per_s", 8000.0)),
                List.of(
                    round(17, "throughput_tasks_per_s", 70_000.0),
                    round(17, "throughput_tasks_per_s", null),
                    round(17, "throughput_tasks_per_s", 90_000.0)))
            .get("throughput_tasks_per_s");
    assertEquals(8000.0, w3.cpython());
    assertEquals(80_000.0, w3.jfutures());
    assertEquals(10.0, w3.ratio(), 1e-9);
    assertEquals(Arrays.asList(70_000.0, null, 90_000.0), w3.jfuturesRounds());
    assertEquals(Verdict.YES, w3.met());
  }

  @Test
  void javaFeature_defaultsTo17() {
    assertEquals(17, Compare.javaFeature(List.of()));
    assertEquals(25, Compare.javaFeature(List.of(round(25, "cold_start_ms", 1.0))));
  }

  @Test
  void formatValue() {
    assertEquals("n/a", Compare.formatValue(null));
    assertEquals("2.49 M", Compare.formatValue(2_490_000.0));
    assertEquals("7,193", Compare.formatValue(7193.4));
    assertEquals("113.1", Compare.formatValue(113.12));
    assertEquals("1.93", Compare.formatValue(1.934));
  }

  @Test
  void render_hasOneRowPerTargetAndTheLegend() {
    List<Map<String, Object>> peer =
        List.of(round(0, "cold_start_ms", 100.0), round(0, "cold_start_ms", 120.0));
    Map<String, Object> all = new LinkedHashMap<>();
    for (Workload w : Workload.values()) {
      all.putAll(round(17, w.resultName(), null));
    }
    all.putAll(round(17, "cold_start_ms", 110.0));
    List<Map<String, Object>> ours = List.of(all, round(17, "cold_start_ms", 130.0));
    String table = Compare.render(Compare.rows(peer, ours), peer, ours);
    assertTrue(
        table.contains(
            "| workload | CPython | jfutures | ratio (jfutures/CPython) | target | met? |"),
        table);
    assertTrue(
        table.contains("| W1 cold_start_ms (ms) | 110.0 | 120.0 | 1.09x | <= 1.3x | yes |"), table);
    assertTrue(
        table.contains(
            "| RSS idle_worker_rss_mib (MiB) | - | n/a | n/a | jfutures <= 48 MiB | n/a |"),
        table);
    assertTrue(
        table.contains("| W7 recycle_tasks_per_s vs CPython W7b (tasks/s) | n/a | n/a |"), table);
    assertTrue(
        table.contains("| W5 cpu_speedup (x) | n/a | n/a | n/a | jfutures >= 1.9 | n/a |"), table);
    assertTrue(table.contains("ratio = jfutures / CPython"), table);
    assertTrue(table.contains("per-round values"), table);
    long tableRows = table.lines().filter(l -> l.startsWith("| ")).count();
    assertEquals(Compare.TARGETS.size() + 2, tableRows); // + header and separator
  }

  @Test
  void render_setsW5BesideThePlainThreadsSpeedup() {
    Map<String, Object> ours = round(17, "cpu_speedup", 1.2);
    @SuppressWarnings("unchecked")
    Map<String, Object> params =
        (Map<String, Object>) ((Map<String, Object>) ours.get("cpu_speedup")).get("params");
    params.put("long_speedup", 1.45);
    params.put("machine_speedup", 1.6);
    List<Map<String, Object>> peer = List.of(round(0, "cpu_speedup", 1.9));
    String table = Compare.render(Compare.rows(peer, List.of(ours)), peer, List.of(ours));
    assertTrue(
        table.contains("(fib(34)) [1.45]; plain threads of one JVM on the same batches [1.60]"),
        table);

    List<Map<String, Object>> without = List.of(round(17, "cpu_speedup", 1.2));
    String old = Compare.render(Compare.rows(peer, without), peer, without);
    assertTrue(!old.contains("W5 beside the machine"), old);
  }

  @Test
  void render_leavesOutWhatNeitherSideMeasured() {
    List<Map<String, Object>> peer = List.of(round(0, "roundtrip_us", 240.0));
    List<Map<String, Object>> ours = List.of(round(17, "roundtrip_us", 48.0));
    String table = Compare.render(Compare.rows(peer, ours), peer, ours);
    assertTrue(
        table.contains("| W2 roundtrip_us (us) | 240.0 | 48.00 | 0.20x | <= 0.25x | yes |"), table);
    assertEquals(3, table.lines().filter(l -> l.startsWith("| ")).count(), table);
    assertTrue(!table.contains("per-round"), table);
  }

  @Test
  void readRounds_inRoundOrder(@TempDir Path dir) throws IOException {
    for (int k : new int[] {10, 2, 1}) {
      Files.writeString(
          dir.resolve("python_round" + k + ".json"),
          Json.write(round(0, "cold_start_ms", (double) k)));
    }
    Files.writeString(dir.resolve("jfutures_round1.json"), Json.write(round(17)));
    Files.writeString(dir.resolve("table.md"), "not json");
    List<Map<String, Object>> python = Compare.readRounds(dir, "python");
    assertEquals(List.of(1.0, 2.0, 10.0), Compare.values(python, "cold_start_ms"));
    assertEquals(1, Compare.readRounds(dir, "jfutures").size());
  }
}
