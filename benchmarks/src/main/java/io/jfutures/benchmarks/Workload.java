package io.jfutures.benchmarks;

import java.util.List;
import java.util.Locale;

/**
 * The workloads {@link PeerWorkloads} runs, with the ids, result names and units of {@code
 * python_peer.py}, plus {@link #RSS} and the others marked ours only, which the Python peer does
 * not have.
 */
enum Workload {
  W1("W1", "cold_start_ms", "ms"),
  W2("W2", "roundtrip_us", "us"),
  W3("W3", "throughput_tasks_per_s", "tasks/s"),
  W4("W4", "map_chunked_items_per_s", "items/s"),
  W5("W5", "cpu_speedup", "x"),
  W6("W6", "payload_mb_per_s", "MiB/s"),
  W7("W7", "recycle_tasks_per_s", "tasks/s"),
  W8("W8", "pool_map_items_per_s", "items/s"),
  /** Ours only: the resident set of a worker that has run one task. */
  RSS("RSS", "idle_worker_rss_mib", "MiB"),
  /** Ours only: the resident set of a worker that has run one task and then idled for a while. */
  RSSI("RSSI", "idle_worker_rss_settled_mib", "MiB"),
  /** Ours only: how much the parent's resident set grows per idle worker. */
  RSSP("RSSP", "parent_rss_per_worker_mib", "MiB"),
  /** Ours only: a worker's CPU from launch to the end of its first task, all its threads. */
  WS("WS", "worker_start_cpu_ms", "ms"),
  A5("A5", "pipe_roundtrip_us", "us");

  /**
   * Ids and names of {@code python_peer.py} that have no Java counterpart here; {@code --only}
   * accepts and skips them, so one selection can be passed to both programs.
   */
  static final List<String> PYTHON_ONLY =
      List.of(
          "W7b",
          "pool_recycle_tasks_per_s",
          "A1",
          "start_python3_path_ms",
          "A2",
          "start_python_exe_ms",
          "A2S",
          "start_python_nosite_ms",
          "A3",
          "start_java17_ms",
          "A4",
          "start_java25_ms",
          "A5s",
          "pipe_roundtrip_same_cpu_us",
          "A5x",
          "pipe_roundtrip_cross_cpu_us");

  private final String id;
  private final String resultName;
  private final String unit;

  Workload(String id, String resultName, String unit) {
    this.id = id;
    this.resultName = resultName;
    this.unit = unit;
  }

  /** The short id, as {@code W3}. */
  String id() {
    return id;
  }

  /** The key of this workload's entry in the JSON results, as {@code throughput_tasks_per_s}. */
  String resultName() {
    return resultName;
  }

  /** The unit of the value. */
  String unit() {
    return unit;
  }

  /** Whether this measures the machine rather than the pool ({@code --only anchors}). */
  boolean isAnchor() {
    return id.startsWith("A");
  }

  /** Whether this uses a process pool (its params name the launcher). */
  boolean usesPool() {
    return !isAnchor();
  }

  /** Whether {@code token} (any case) names this workload by id or result name. */
  boolean matches(String token) {
    String t = token.toLowerCase(Locale.ROOT);
    return t.equals(id.toLowerCase(Locale.ROOT)) || t.equals(resultName.toLowerCase(Locale.ROOT));
  }
}
