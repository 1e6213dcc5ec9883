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
    assertEquals(">= 12x", w3.targetText());
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
                List.of(round(17, "throughput_tasks_per_s", 12_000.0)))
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
    assertEquals("<= 1.1x", on25.targetText());
    assertEquals(Verdict.NO, on25.met());
    assertEquals(
        Verdict.YES,
        rows(peer, List.of(round(25, "cold_start_ms", 110.0))).get("cold_start_ms").met());
  }

  @Test
  void recycle_comparesWithCpythonPool() {
    Row w7 =
        rows(
                List.of(round(0, "recycle_tasks_per_s", null, "pool_recycle_tasks_per_s", 250.0)),
                List.of(round(17, "recycle_tasks_per_s", 240.0)))
            .get("recycle_tasks_per_s");
    assertEquals(250.0, w7.cpython());
    assertEquals(0.96, w7.ratio(), 1e-9);
    assertEquals(Verdict.NO, w7.met());
  }

  @Test
  void speedup_isJudgedAgainstPlainThreads_andRssOnJfuturesAlone() {
    Map<String, Object> ours = round(17, "cpu_speedup", 1.5, "idle_worker_rss_mib", 41.0);
    params(ours, "cpu_speedup").put("machine_short_speedup", 1.6);
    Map<String, Row> rows = rows(List.of(round(0, "cpu_speedup", 1.95)), List.of(ours));
    Row w5 = rows.get("cpu_speedup");
    assertEquals(1.5 / 1.95, w5.ratio(), 1e-9);
    assertEquals(1.5 / 1.6, w5.judged(), 1e-9);
    assertEquals(Verdict.YES, w5.met());
    assertEquals(">= 0.9x plain threads", w5.targetText());
    Row rss = rows.get("idle_worker_rss_mib");
    assertNull(rss.cpython());
    assertNull(rss.ratio());
    assertEquals(Verdict.NO, rss.met());
    assertEquals("jfutures <= 40 MiB", rss.targetText());
  }

  @Test
  void workerStart_isJudgedAgainstJavaVersionOnItsJdk() {
    Map<String, Object> peer = round(0, "start_java17_ms", 90.0, "start_java25_ms", 80.0);
    params(peer, "start_java17_ms").put("cpu_ms_median", 100.0);
    params(peer, "start_java25_ms").put("cpu_ms_median", 110.0);
    Row on17 =
        rows(List.of(peer), List.of(round(17, "worker_start_cpu_ms", 120.0)))
            .get("worker_start_cpu_ms");
    assertEquals(1.2, on17.judged(), 1e-9);
    assertEquals(Verdict.YES, on17.met());
    Row on25 =
        rows(List.of(peer), List.of(round(25, "worker_start_cpu_ms", 150.0)))
            .get("worker_start_cpu_ms");
    assertEquals(150.0 / 110.0, on25.judged(), 1e-9);
    assertEquals(Verdict.NO, on25.met());
  }

  @Test
  void toolbox_roundTripsAreJudgedAgainstA5_andTheRestAtPar() {
    Map<String, Row> rows =
        rows(
            List.of(
                round(
                    0,
                    "pipe_roundtrip_us",
                    20.0,
                    "queue_pingpong_us",
                    80.0,
                    "queue_bounded_items_per_s",
                    100_000.0)),
            List.of(round(17, "queue_pingpong_us", 40.0, "queue_bounded_items_per_s", 90_000.0)));
    Row q2 = rows.get("queue_pingpong_us");
    assertEquals(0.5, q2.ratio(), 1e-9);
    assertEquals(2.0, q2.judged(), 1e-9);
    assertEquals(Verdict.NO, q2.met());
    assertEquals("<= 1.5x A5", q2.targetText());
    Row q1c = rows.get("queue_bounded_items_per_s");
    assertEquals(">= 1x", q1c.targetText());
    assertEquals(Verdict.NO, q1c.met());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> params(Map<String, Object> round, String name) {
    return (Map<String, Object>) ((Map<String, Object>) round.get(name)).get("params");
  }

  @Test
  void missingValues_areNotApplicable() {
    Map<String, Row> rows = rows(List.of(round(0)), List.of(round(17, "payload_mb_per_s", null)));
    assertEquals(Verdict.UNKNOWN, rows.get("payload_mb_per_s").met());
    assertNull(rows.get("payload_mb_per_s").ratio());
    assertEquals(Verdict.UNKNOWN, rows.get("cpu_speedup").met());
    assertEquals(Verdict.UNKNOWN, rows.get("event_pingpong_us").met());
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
                    round(17, "throughput_tasks_per_s", 90_000.0),
                    round(17, "throughput_tasks_per_s", null),
                    round(17, "throughput_tasks_per_s", 102_000.0)))
            .get("throughput_tasks_per_s");
    assertEquals(8000.0, w3.cpython());
    assertEquals(96_000.0, w3.jfutures());
    assertEquals(12.0, w3.ratio(), 1e-9);
    assertEquals(Arrays.asList(90_000.0, null, 102_000.0), w3.jfuturesRounds());
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
        table.contains(
            "| W1 cold_start_ms (ms) | 110.0 [100.0-120.0] | 120.0 [110.0-130.0] | 1.09x"
                + " | <= 1.3x (#17) | yes |"),
        table);
    assertTrue(
        table.contains(
            "| RSS idle_worker_rss_mib (MiB) | - | n/a | n/a | jfutures <= 40 MiB (#17) | n/a |"),
        table);
    assertTrue(
        table.contains("| W7 recycle_tasks_per_s vs CPython W7b (tasks/s) | n/a | n/a |"), table);
    assertTrue(
        table.contains(
            "| W5 cpu_speedup (x) | n/a | n/a | n/a | >= 0.9x plain threads (#17) | n/a |"),
        table);
    assertTrue(table.contains("ratio = jfutures / CPython"), table);
    long tableRows = table.lines().filter(l -> l.startsWith("| ")).count();
    assertEquals(Compare.EXECUTOR_TARGETS.size() + 2, tableRows); // + header and separator
  }

  @Test
  void render_setsW5BesideThePlainThreadsSpeedup() {
    Map<String, Object> ours = round(17, "cpu_speedup", 1.2);
    @SuppressWarnings("unchecked")
    Map<String, Object> params =
        (Map<String, Object>) ((Map<String, Object>) ours.get("cpu_speedup")).get("params");
    params.put("long_speedup", 1.45);
    params.put("machine_speedup", 1.6);
    params.put("machine_short_speedup", 1.7);
    List<Map<String, Object>> peer = List.of(round(0, "cpu_speedup", 1.9));
    String table = Compare.render(Compare.rows(peer, List.of(ours)), peer, List.of(ours));
    assertTrue(
        table.contains(
            "plain threads of one JVM on the same batches [1.70]; with tasks as long as"
                + " CPython's (fib(34)) the pool [1.45] and plain threads [1.60]"),
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
        table.contains("| W2 roundtrip_us (us) | 240.0 | 48.00 | 0.20x | <= 0.25x (#17) | yes |"),
        table);
    assertEquals(3, table.lines().filter(l -> l.startsWith("| ")).count(), table);
    assertTrue(!table.contains("["), table);
  }

  @Test
  void readRounds_inRoundOrder(@TempDir Path dir) throws IOException {
    for (int k : new int[] {10, 2, 1}) {
      Files.writeString(
          dir.resolve("python_round" + k + ".json"),
          Json.write(round(0, "cold_start_ms", (double) k)));
    }
    Files.writeString(
        dir.resolve("python_mp_round2.json"), Json.write(round(0, "queue_pingpong_us", 80.0)));
    Files.writeString(dir.resolve("jfutures_round1.json"), Json.write(round(17)));
    Files.writeString(dir.resolve("table.md"), "not json");
    List<Map<String, Object>> python = Compare.readRounds(dir, "python");
    assertEquals(List.of(1.0, 2.0, 10.0), Compare.values(python, "cold_start_ms"));
    assertEquals(Arrays.asList(null, 80.0, null), Compare.values(python, "queue_pingpong_us"));
    assertEquals(1, Compare.readRounds(dir, "jfutures").size());
  }

  @Test
  void theClusterTable_givesTheClustersCostAgainstTheLocalPool(@TempDir Path dir)
      throws IOException {
    for (int k = 1; k <= 3; k++) {
      Map<String, Object> round = new java.util.LinkedHashMap<>();
      round.put("H1_local", Map.of("value", 200.0 * k, "unit", "us"));
      round.put("H1_cluster", Map.of("value", 600.0 * k, "unit", "us"));
      round.put("H2_local", Map.of("value", 10_000.0, "unit", "/s"));
      round.put("H2_cluster", Map.of("value", 2_500.0, "unit", "/s"));
      Files.writeString(dir.resolve("cluster_round" + k + ".json"), Json.write(round));
    }
    String table = Compare.renderCluster(Compare.readRounds(dir, "cluster"));
    assertTrue(
        table.contains(
            "| H1 one task at a time, submit to result (us) | 400.0 [200.0-600.0] |"
                + " 1,200 [600.0-1,800] | 3.00x the time |"),
        table);
    assertTrue(
        table.contains(
            "| H2 5,000 tiny tasks at once (tasks/s) | 10,000 [10,000-10,000] |"
                + " 2,500 [2,500-2,500] | 0.25x the rate |"),
        table);
    assertTrue(!table.contains("H3"), "a workload not measured is left out: " + table);
  }

  @Test
  void loadAverages_fromMeta() {
    assertEquals(
        "\nLoad average (1 min) before each run, round and side: 1 python 0.52; 1 jfutures 1.10\n",
        Compare.loadAverages(
            List.of(
                "date: x",
                "round 1 python load 0.52 0.40 0.30",
                "round 1 jfutures load 1.10 0.5 0.4")));
  }

  @Test
  void formatCell_addsTheSpreadOverRounds() {
    assertEquals("2.00 [1.00-3.00]", Compare.formatCell(2.0, Arrays.asList(1.0, null, 3.0, 2.0)));
    assertEquals("2.00", Compare.formatCell(2.0, Arrays.asList(2.0, null)));
  }
}
