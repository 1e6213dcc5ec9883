package io.jfutures.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Puts the results of both Python peers and their Java sides in one table: reads the rounds {@code
 * compare.sh} wrote to a results directory ({@code python_roundK.json} and {@code
 * jfutures_roundK.json} from {@code python_peer.py} and {@link PeerWorkloads}, {@code
 * python_mp_roundK.json} and {@code jfutures_mp_roundK.json} from {@code python_mp_peer.py} and
 * {@link MpPeerWorkloads}), takes each side's median over the rounds with its spread, and prints
 * (and writes to {@code table.md}) the floors, then a Markdown table with each workload's ratio and
 * target, then the load averages the rounds ran under.
 *
 * <p>The ratio is always jfutures / CPython, so above 1 means jfutures has the larger number:
 * better for rates (tasks/s, items/s, MiB/s), worse for times (ms, µs). Some targets are judged
 * against a reference instead of CPython's same workload (the raw pipe round trip A5, {@code java
 * -version}, plain threads): their target column says which, and what the value is against it.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.jfutures.benchmarks.Compare RESULTS_DIR
 * </pre>
 */
public final class Compare {
  private Compare() {}

  /** Which way a target points. */
  enum Bound {
    AT_MOST("<="),
    AT_LEAST(">=");

    private final String symbol;

    Bound(String symbol) {
      this.symbol = symbol;
    }

    boolean holds(double value, double threshold) {
      return this == AT_MOST ? value <= threshold : value >= threshold;
    }

    /** Time units are better lower; everything else (rates, speedups) higher. */
    static Bound betterFor(String unit) {
      return unit.equals("ms") || unit.equals("us") || unit.equals("MiB") ? AT_MOST : AT_LEAST;
    }
  }

  /**
   * What a target judges: jfutures' value divided by a reference's, or jfutures' value itself.
   *
   * @param ours whether the reference is one of jfutures' results (else CPython's)
   * @param name the reference's result name
   * @param param a numeric param of that result instead of its value, or null
   * @param label how the target column names it, as {@code A5}; "" for CPython's same workload
   */
  record Reference(boolean ours, String name, String param, String label) {
    static Reference peer(String name, String label) {
      return new Reference(false, name, null, label);
    }

    Double median(List<Map<String, Object>> peer, List<Map<String, Object>> mine) {
      List<Map<String, Object>> rounds = ours ? mine : peer;
      List<Double> values = new ArrayList<>();
      for (Map<String, Object> round : rounds) {
        values.add(param == null ? value(round, name) : Compare.param(round, name, param));
      }
      return medianOrNull(values);
    }
  }

  /** What a target constrains. */
  enum Kind {
    /** jfutures' value over the reference's. */
    RATIO,
    /** jfutures' own value. */
    ABSOLUTE,
    /** Nothing: the row is shown for reading the others against. */
    NONE
  }

  /**
   * One row of the table.
   *
   * @param id the workload's id, as {@code W3} or {@code Q2}
   * @param ours jfutures' result name
   * @param peer the result name in CPython's JSON shown beside it, or null if CPython has none
   * @param unit the value's unit
   * @param note what the first column adds to the workload's name, or ""
   * @param kind what the target constrains
   * @param bound which way the target points
   * @param threshold the target on JDK 17 to 24
   * @param thresholdJdk25 the target on JDK 25 and later
   * @param reference what a ratio target divides by; null for {@code peer}
   * @param referenceJdk25 the same on JDK 25 and later, or null for {@code reference}
   * @param source the issue that set the target
   */
  record Target(
      String id,
      String ours,
      String peer,
      String unit,
      String note,
      Kind kind,
      Bound bound,
      double threshold,
      double thresholdJdk25,
      Reference reference,
      Reference referenceJdk25,
      String source) {

    /** A ratio to CPython's same workload. */
    static Target ratio(String id, String name, String unit, Bound bound, double t, String source) {
      return new Target(id, name, name, unit, "", Kind.RATIO, bound, t, t, null, null, source);
    }

    /** The default: at least as good as CPython's same workload (issue 17). */
    static Target atPar(String id, String name, String unit) {
      return ratio(id, name, unit, Bound.betterFor(unit), 1, "#17");
    }

    /** A ratio to a reference, CPython's same workload shown beside it. */
    static Target against(
        String id, String name, String peer, String unit, Bound b, double t, Reference ref) {
      return new Target(id, name, peer, unit, "", Kind.RATIO, b, t, t, ref, null, "#14/#15");
    }

    /** Ours only: a value of ours at most {@code limit}, on every JDK (issue 17). */
    static Target oursAtMost(String id, String name, String unit, double limit) {
      return new Target(
          id, name, null, unit, "", Kind.ABSOLUTE, Bound.AT_MOST, limit, limit, null, null, "#17");
    }

    static Target ratio(Workload w, Bound bound, double threshold) {
      return ratio(w.id(), w.resultName(), w.unit(), bound, threshold, "#17");
    }

    /** The first column, as {@code W3 throughput_tasks_per_s (tasks/s)}. */
    String label() {
      return id + " " + ours + note + " (" + unit + ")";
    }

    double thresholdFor(int javaFeature) {
      return javaFeature >= 25 ? thresholdJdk25 : threshold;
    }

    Reference referenceFor(int javaFeature) {
      Reference r = javaFeature >= 25 && referenceJdk25 != null ? referenceJdk25 : reference;
      return r != null ? r : peer == null ? null : Reference.peer(peer, "");
    }

    /** The target column: {@code <= 1.3x}, {@code <= 1.5x A5}, {@code jfutures >= 1.9}, or -. */
    String describe(int javaFeature) {
      String t = trim(thresholdFor(javaFeature));
      switch (kind) {
        case RATIO:
          String label = referenceFor(javaFeature).label();
          return bound.symbol + " " + t + "x" + (label.isEmpty() ? "" : " " + label);
        case ABSOLUTE:
          return "jfutures " + bound.symbol + " " + t + (unit.equals("x") ? "" : " " + unit);
        default:
          return "-";
      }
    }
  }

  private static final Reference A5 = Reference.peer("pipe_roundtrip_us", "A5");
  private static final Reference JAVA_VERSION_17 =
      new Reference(false, "start_java17_ms", "cpu_ms_median", "java -version CPU");
  private static final Reference JAVA_VERSION_25 =
      new Reference(false, "start_java25_ms", "cpu_ms_median", "java -version CPU");
  private static final Reference F0 =
      new Reference(true, "java_version_ms", null, "java -version (F0)");

  /** The executors' targets (issue 17): jfutures vs CPython 3.11 (spawn), 2 workers. */
  static final List<Target> EXECUTOR_TARGETS =
      List.of(
          new Target(
              "W1",
              "cold_start_ms",
              "cold_start_ms",
              "ms",
              "",
              Kind.RATIO,
              Bound.AT_MOST,
              1.3,
              1.1,
              null,
              null,
              "#17"),
          Target.ratio(Workload.W2, Bound.AT_MOST, 0.25),
          Target.ratio(Workload.W3, Bound.AT_LEAST, 12),
          Target.ratio(Workload.W4, Bound.AT_LEAST, 5),
          new Target(
              "W5",
              "cpu_speedup",
              "cpu_speedup",
              "x",
              "",
              Kind.RATIO,
              Bound.AT_LEAST,
              0.9,
              0.9,
              new Reference(true, "cpu_speedup", "machine_short_speedup", "plain threads"),
              null,
              "#17"),
          Target.ratio(Workload.W6, Bound.AT_LEAST, 2),
          new Target(
              "W7",
              "recycle_tasks_per_s",
              "pool_recycle_tasks_per_s",
              "tasks/s",
              " vs CPython W7b",
              Kind.RATIO,
              Bound.AT_LEAST,
              1.0,
              1.0,
              null,
              null,
              "#17"),
          Target.ratio(Workload.W8, Bound.AT_LEAST, 2.5),
          new Target(
              "WS",
              "worker_start_cpu_ms",
              null,
              "ms",
              "",
              Kind.RATIO,
              Bound.AT_MOST,
              1.25,
              1.25,
              JAVA_VERSION_17,
              JAVA_VERSION_25,
              "#17"),
          Target.oursAtMost("RSS", "idle_worker_rss_mib", "MiB", 40),
          Target.oursAtMost("RSSI", "idle_worker_rss_settled_mib", "MiB", 40),
          Target.oursAtMost("RSSP", "parent_rss_per_worker_mib", "MiB", 5),
          new Target(
              "A5",
              "pipe_roundtrip_us",
              "pipe_roundtrip_us",
              "us",
              "",
              Kind.NONE,
              Bound.AT_MOST,
              0,
              0,
              null,
              null,
              ""));

  /**
   * The toolbox's targets: those issues 14 and 15 set, and for every other workload of {@code
   * python_mp_peer.py} at least CPython's own (issue 17).
   */
  static final List<Target> TOOLBOX_TARGETS =
      List.of(
          Target.atPar("G1", "crew_overhead_1_ms", "ms"),
          Target.atPar("G1", "crew_overhead_4_ms", "ms"),
          Target.against(
              "P1", "process_start_join_ms", "process_start_join_ms", "ms", Bound.AT_MOST, 1.3, F0),
          Target.against(
              "P1s",
              "process_start_join_standby_ms",
              "process_start_join_ms",
              "ms",
              Bound.AT_MOST,
              1.3,
              F0),
          Target.atPar("P2", "process_start_join_8_ms", "ms"),
          Target.ratio("Q1", "queue_int_items_per_s", "items/s", Bound.AT_LEAST, 3, "#14"),
          Target.atPar("Q1b", "queue_bytes1k_items_per_s", "items/s"),
          Target.atPar("Q1c", "queue_bounded_items_per_s", "items/s"),
          Target.against(
              "Q2", "queue_pingpong_us", "queue_pingpong_us", "us", Bound.AT_MOST, 1.5, A5),
          Target.atPar("Q3", "queue_4to1_items_per_s", "items/s"),
          Target.atPar("J1", "joinable_queue_items_per_s", "items/s"),
          Target.against(
              "C1", "pipe_pingpong_us", "pipe_pingpong_us", "us", Bound.AT_MOST, 1.5, A5),
          Target.atPar("C2", "pipe_bytes_mib_per_s", "MiB/s"),
          Target.atPar("C2p", "pipe_oneway_bytes_mib_per_s", "MiB/s"),
          Target.atPar("M1", "manager_dict_ops_per_s", "ops/s"),
          Target.against(
              "M1b",
              "manager_dict_putall_getall_ops_per_s",
              "manager_dict_ops_per_s",
              "ops/s",
              Bound.AT_LEAST,
              3,
              Reference.peer("manager_dict_ops_per_s", "CPython M1")),
          Target.atPar("M2", "manager_list_append_ops_per_s", "ops/s"),
          Target.against("M3", "manager_call_us", "manager_call_us", "us", Bound.AT_MOST, 1.5, A5),
          Target.atPar("M4", "manager_start_ms", "ms"),
          Target.atPar("V1", "value_lock_incr_per_s", "incr/s"),
          Target.against(
              "V1",
              "value_atomic_incr_per_s",
              "value_lock_incr_per_s",
              "incr/s",
              Bound.AT_LEAST,
              10,
              Reference.peer("value_lock_incr_per_s", "CPython V1 locked")),
          Target.atPar("V2", "array_sum_child_1e4_ms", "ms"),
          Target.atPar("V2", "array_sum_child_1e5_ms", "ms"),
          Target.atPar("V2", "array_sum_child_1e6_ms", "ms"),
          Target.atPar("V3", "shm_write_mib_per_s", "MiB/s"),
          Target.atPar("V3", "shm_read_mib_per_s", "MiB/s"),
          Target.ratio("L1", "lock_acquire_per_s", "acq/s", Bound.AT_LEAST, 1, "#15"),
          Target.ratio("L1r", "rlock_acquire_per_s", "acq/s", Bound.AT_LEAST, 1, "#15"),
          Target.atPar("L2", "semaphore_pingpong_us", "us"),
          Target.against(
              "L3", "event_pingpong_us", "event_pingpong_us", "us", Bound.AT_MOST, 1.5, A5),
          Target.ratio("L4", "barrier_rounds_per_s", "rounds/s", Bound.AT_LEAST, 2, "#15"),
          Target.against(
              "L5", "condition_pingpong_us", "condition_pingpong_us", "us", Bound.AT_MOST, 1.5, A5),
          Target.ratio("PL1", "pool_apply_async_tasks_per_s", "tasks/s", Bound.AT_LEAST, 5, "#14"),
          Target.ratio(
              "PL2", "pool_imap_unordered_items_per_s", "items/s", Bound.AT_LEAST, 2, "#14"),
          Target.atPar("PL3", "pool_starmap_items_per_s", "items/s"));

  /** Every row, executors first. */
  static final List<Target> TARGETS =
      Stream.concat(EXECUTOR_TARGETS.stream(), TOOLBOX_TARGETS.stream())
          .collect(Collectors.toUnmodifiableList());

  /** Whether a target was met. */
  enum Verdict {
    YES("yes"),
    NO("NO"),
    UNKNOWN("n/a"),
    NONE("-");

    private final String text;

    Verdict(String text) {
      this.text = text;
    }

    @Override
    public String toString() {
      return text;
    }
  }

  /**
   * A computed row.
   *
   * @param cpython CPython's median, or null
   * @param jfutures jfutures' median, or null
   * @param ratio jfutures / CPython, or null
   * @param judged what the target judged: jfutures over its reference, or jfutures' value; or null
   */
  record Row(
      Target target,
      Double cpython,
      Double jfutures,
      Double ratio,
      Double judged,
      String targetText,
      Verdict met,
      List<Double> cpythonRounds,
      List<Double> jfuturesRounds,
      boolean measured) {}

  /** Reads the results directory and prints the table; also writes it to {@code table.md}. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: Compare RESULTS_DIR");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    List<Map<String, Object>> peer = readRounds(dir, "python");
    List<Map<String, Object>> ours = readRounds(dir, "jfutures");
    List<Map<String, Object>> cluster = readRounds(dir, "cluster");
    if (peer.isEmpty() && ours.isEmpty() && cluster.isEmpty()) {
      System.err.println("Compare: no python_*, jfutures_* or cluster_*round*.json in " + dir);
      System.exit(1);
    }
    Path meta = dir.resolve("meta.txt");
    List<String> metaLines = Files.exists(meta) ? Files.readAllLines(meta) : List.of();
    String table =
        (peer.isEmpty() && ours.isEmpty() ? "" : render(rows(peer, ours), peer, ours))
            + (cluster.isEmpty() ? "" : renderCluster(cluster))
            + loadAverages(metaLines);
    System.out.print(table);
    Files.writeString(dir.resolve("table.md"), table);
  }

  private static final Pattern ROUND_FILE =
      Pattern.compile("(python|jfutures|cluster)(_mp)?_round(\\d+)\\.json");

  /**
   * Reads {@code <side>_roundK.json} and {@code <side>_mp_roundK.json}, one merged map per round,
   * in round order.
   */
  static List<Map<String, Object>> readRounds(Path dir, String side) throws IOException {
    Map<Integer, Map<String, Object>> rounds = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files = listing.sorted().collect(Collectors.toList());
    }
    for (Path f : files) {
      Matcher m = ROUND_FILE.matcher(f.getFileName().toString());
      if (m.matches() && m.group(1).equals(side)) {
        Map<String, Object> results = asMap(Json.parse(Files.readString(f)), f.toString());
        Map<String, Object> round =
            rounds.computeIfAbsent(Integer.parseInt(m.group(3)), k -> new LinkedHashMap<>());
        results.forEach(round::putIfAbsent); // A5 is in both peers: the executors' is kept
      }
    }
    return new ArrayList<>(rounds.values());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object o, String what) {
    if (!(o instanceof Map)) {
      throw new IllegalArgumentException(what + ": expected a JSON object");
    }
    return (Map<String, Object>) o;
  }

  /** The value of result {@code name} in one round, or null if absent or null. */
  static Double value(Map<String, Object> round, String name) {
    if (name == null || !(round.get(name) instanceof Map)) {
      return null;
    }
    Object v = asMap(round.get(name), name).get("value");
    return v instanceof Number ? ((Number) v).doubleValue() : null;
  }

  /** The numeric param {@code param} of result {@code name} in one round, or null. */
  static Double param(Map<String, Object> round, String name, String param) {
    if (!(round.get(name) instanceof Map)) {
      return null;
    }
    Object params = asMap(round.get(name), name).get("params");
    if (!(params instanceof Map)) {
      return null;
    }
    Object v = asMap(params, "params").get(param);
    return v instanceof Number ? ((Number) v).doubleValue() : null;
  }

  /** Each round's value of {@code name}, nulls included. */
  static List<Double> values(List<Map<String, Object>> rounds, String name) {
    List<Double> values = new ArrayList<>();
    for (Map<String, Object> r : rounds) {
      values.add(value(r, name));
    }
    return values;
  }

  /** The median of the non-null values, or null if there are none. */
  static Double medianOrNull(List<Double> values) {
    List<Double> present = values.stream().filter(Objects::nonNull).collect(Collectors.toList());
    return present.isEmpty() ? null : Stats.median(present);
  }

  /** The JDK feature version jfutures ran on (from its params), or 17 if unknown. */
  static int javaFeature(List<Map<String, Object>> ours) {
    for (Map<String, Object> round : ours) {
      for (Object entry : round.values()) {
        if (entry instanceof Map) {
          Object params = asMap(entry, "entry").get("params");
          if (params instanceof Map) {
            Object f = asMap(params, "params").get("java_feature");
            if (f instanceof Number) {
              return ((Number) f).intValue();
            }
          }
        }
      }
    }
    return 17;
  }

  /** Judges {@code target} on the medians. */
  static Row row(Target target, List<Map<String, Object>> peer, List<Map<String, Object>> ours) {
    int feature = javaFeature(ours);
    List<Double> peerRounds = values(peer, target.peer());
    List<Double> ourRounds = values(ours, target.ours());
    Double cpython = target.peer() == null ? null : medianOrNull(peerRounds);
    Double jfutures = medianOrNull(ourRounds);
    Double ratio = cpython != null && jfutures != null && cpython != 0 ? jfutures / cpython : null;
    Double judged = null;
    switch (target.kind()) {
      case RATIO:
        Double reference = target.referenceFor(feature).median(peer, ours);
        judged =
            reference != null && jfutures != null && reference != 0 ? jfutures / reference : null;
        break;
      case ABSOLUTE:
        judged = jfutures;
        break;
      default:
        break;
    }
    Verdict met =
        target.kind() == Kind.NONE
            ? Verdict.NONE
            : judged == null
                ? Verdict.UNKNOWN
                : target.bound().holds(judged, target.thresholdFor(feature))
                    ? Verdict.YES
                    : Verdict.NO;
    return new Row(
        target,
        cpython,
        jfutures,
        ratio,
        judged,
        target.describe(feature),
        met,
        peerRounds,
        ourRounds,
        present(peer, target.peer()) || present(ours, target.ours()));
  }

  /** Whether any round has an entry {@code name}, even with a null value. */
  static boolean present(List<Map<String, Object>> rounds, String name) {
    return name != null && rounds.stream().anyMatch(r -> r.containsKey(name));
  }

  /** One row per target. */
  static List<Row> rows(List<Map<String, Object>> peer, List<Map<String, Object>> ours) {
    return TARGETS.stream().map(t -> row(t, peer, ours)).collect(Collectors.toList());
  }

  /**
   * The floors, the Markdown table (rows that neither side measured left out) with each cell's
   * median and, over several rounds, its spread, a legend, and W5 beside the machine.
   */
  static String render(
      List<Row> rows, List<Map<String, Object>> peer, List<Map<String, Object>> ours) {
    StringBuilder out = new StringBuilder();
    int feature = javaFeature(ours);
    out.append(
        String.format(
            Locale.ROOT,
            "jfutures on JDK %d vs CPython; %d CPython round(s), %d jfutures round(s);"
                + " each cell is the median over rounds%s%n%n",
            feature,
            peer.size(),
            ours.size(),
            Math.max(peer.size(), ours.size()) > 1 ? ", with [min-max] over rounds" : ""));
    appendFloors(out, peer, ours, feature);
    out.append("| workload | CPython | jfutures | ratio (jfutures/CPython) | target | met? |\n");
    out.append("| --- | ---: | ---: | ---: | --- | --- |\n");
    for (Row r : rows) {
      if (!r.measured()) {
        continue;
      }
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %s | %s | %s |%n",
              r.target().label(),
              r.target().peer() == null ? "-" : formatCell(r.cpython(), r.cpythonRounds()),
              formatCell(r.jfutures(), r.jfuturesRounds()),
              r.ratio() == null ? "n/a" : String.format(Locale.ROOT, "%.2fx", r.ratio()),
              describeTarget(r),
              r.met()));
    }
    out.append(
        "\nratio = jfutures / CPython: above 1 is better for rates (/s) and worse for times"
            + " (ms, us). A target with a reference (A5, java -version, plain threads, another"
            + " CPython workload) is judged on jfutures / that reference, shown after the colon;"
            + " targets marked #17 without a number of their own ask for at least CPython's."
            + " n/a: a side has no value (CPython's W7 ProcessPoolExecutor deadlocks on 3.11,"
            + " gh-115634, so W7 is compared with CPython's W7b Pool).\n");
    appendSpeedupBesideTheMachine(out, ours);
    return out.toString();
  }

  /** The cluster workloads of {@link ClusterWorkloads}: id, label, and whether lower is better. */
  private static final List<String[]> CLUSTER_ROWS =
      List.of(
          new String[] {"H1", "H1 one task at a time, submit to result (us)", "time"},
          new String[] {"H2", "H2 5,000 tiny tasks at once (tasks/s)", "rate"},
          new String[] {"H3", "H3 map over 200,000 ints, chunks of 1,000 (items/s)", "rate"});

  /**
   * The overhead of a loopback cluster of two Hazelcast members against a local pool of two child
   * JVMs, measured in the same run by {@link ClusterWorkloads}.
   */
  static String renderCluster(List<Map<String, Object>> rounds) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "%nA cluster of 2 Hazelcast members on loopback (a client's BackendExecutor) against a"
                + " local process pool of 2 child JVMs, the same run; %d round(s), medians%s%n%n",
            rounds.size(),
            rounds.size() > 1 ? " with [min-max]" : ""));
    out.append("| workload | local process pool | loopback cluster | cluster / local |\n");
    out.append("| --- | ---: | ---: | ---: |\n");
    for (String[] row : CLUSTER_ROWS) {
      List<Double> local = values(rounds, row[0] + "_local");
      List<Double> cluster = values(rounds, row[0] + "_cluster");
      Double l = medianOrNull(local);
      Double c = medianOrNull(cluster);
      if (l == null && c == null) {
        continue;
      }
      String ratio =
          l == null || c == null || l == 0
              ? "n/a"
              : String.format(Locale.ROOT, "%.2fx the %s", c / l, row[2]);
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %s |%n",
              row[1],
              formatCell(l, local),
              formatCell(c, cluster),
              ratio));
    }
    return out.toString();
  }

  private static String describeTarget(Row r) {
    String text =
        r.targetText() + (r.target().source().isEmpty() ? "" : " (" + r.target().source() + ")");
    boolean ownReference =
        r.target().kind() == Kind.RATIO && !r.target().referenceFor(17).label().isEmpty();
    return ownReference && r.judged() != null
        ? text + ": " + String.format(Locale.ROOT, "%.2fx", r.judged())
        : text;
  }

  /**
   * The floors a start is read against, medians over rounds: {@code java -version} (CPU, from the
   * Python peer's A3 or A4; wall, from our F0), a jfutures worker from launch to its first result,
   * and a CPython spawn child (A6) and bare interpreter (A2).
   */
  private static void appendFloors(
      StringBuilder out,
      List<Map<String, Object>> peer,
      List<Map<String, Object>> ours,
      int feature) {
    Reference javaCpu = feature >= 25 ? JAVA_VERSION_25 : JAVA_VERSION_17;
    Double jvmCpu = javaCpu.median(peer, ours);
    Double jvmWall = medianOrNull(values(ours, "java_version_ms"));
    Double worker = medianOrNull(values(ours, "worker_start_cpu_ms"));
    Double mpChild =
        new Reference(false, "start_python_mp_child_ms", "cpu_ms_median", "").median(peer, ours);
    Double python =
        new Reference(false, "start_python_exe_ms", "cpu_ms_median", "").median(peer, ours);
    if (Stream.of(jvmCpu, jvmWall, worker, mpChild, python).allMatch(Objects::isNull)) {
      return;
    }
    out.append("Floors (medians over rounds, CPU of one start unless said):\n");
    out.append(
        String.format(
            Locale.ROOT,
            "- `java -version` on JDK %d: %s ms CPU; %s ms wall (F0)%n",
            feature,
            formatValue(jvmCpu),
            formatValue(jvmWall)));
    out.append(
        String.format(
            Locale.ROOT,
            "- a jfutures worker, launch to its first result (WS): %s ms CPU%s%n",
            formatValue(worker),
            worker != null && jvmCpu != null
                ? String.format(Locale.ROOT, " = %.2fx `java -version`", worker / jvmCpu)
                : ""));
    out.append(
        String.format(
            Locale.ROOT,
            "- a CPython spawn child (A6, interpreter and multiprocessing imports): %s ms CPU;"
                + " `python -c pass` (A2): %s ms CPU%n%n",
            formatValue(mpChild),
            formatValue(python)));
  }

  /**
   * W5 beside what the machine gives: per jfutures round, plain threads of one JVM on the same
   * fib(27) batches, and the speedups with tasks as long as CPython's.
   */
  private static void appendSpeedupBesideTheMachine(
      StringBuilder out, List<Map<String, Object>> ours) {
    List<Double> machineShort = new ArrayList<>();
    List<Double> machine = new ArrayList<>();
    List<Double> longTasks = new ArrayList<>();
    for (Map<String, Object> round : ours) {
      machineShort.add(param(round, "cpu_speedup", "machine_short_speedup"));
      machine.add(param(round, "cpu_speedup", "machine_speedup"));
      longTasks.add(param(round, "cpu_speedup", "long_speedup"));
    }
    if (machine.stream().allMatch(Objects::isNull)) {
      return;
    }
    out.append(
        String.format(
            Locale.ROOT,
            "%nW5 beside the machine, per jfutures round: plain threads of one JVM on the same"
                + " batches %s; with tasks as long as CPython's (fib(34)) the pool %s and plain"
                + " threads %s.%n",
            formatRounds(machineShort),
            formatRounds(longTasks),
            formatRounds(machine)));
  }

  /**
   * The load averages {@code compare.sh} recorded before each run ({@code round K SIDE load A B C}
   * lines of {@code meta.txt}).
   */
  static String loadAverages(List<String> metaLines) {
    List<String> loads =
        metaLines.stream()
            .filter(l -> l.matches("round \\d+ \\S+ load .*"))
            .map(l -> l.replaceFirst("round (\\d+) (\\S+) load (\\S+).*", "$1 $2 $3"))
            .collect(Collectors.toList());
    return loads.isEmpty()
        ? ""
        : "\nLoad average (1 min) before each run, round and side: "
            + String.join("; ", loads)
            + "\n";
  }

  private static String formatRounds(List<Double> values) {
    return values.stream().map(Compare::formatValue).collect(Collectors.joining(", ", "[", "]"));
  }

  /** A cell: the median, and over several rounds their spread, as {@code 113.1 [98.20-130.5]}. */
  static String formatCell(Double median, List<Double> rounds) {
    List<Double> present = rounds.stream().filter(Objects::nonNull).collect(Collectors.toList());
    if (median == null || present.size() < 2) {
      return formatValue(median);
    }
    double min = present.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    double max = present.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    return formatValue(median) + " [" + formatValue(min) + "-" + formatValue(max) + "]";
  }

  /** Formats a value for the table: {@code 2.49 M}, {@code 7,193}, {@code 113.1}, {@code 1.93}. */
  static String formatValue(Double v) {
    if (v == null) {
      return "n/a";
    }
    double a = Math.abs(v);
    if (a >= 1e6) {
      return String.format(Locale.ROOT, "%.2f M", v / 1e6);
    }
    if (a >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    if (a >= 100) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? String.format(Locale.ROOT, "%.0f", d) : Double.toString(d);
  }

  /** For tests: the rows keyed by the jfutures result name. */
  static Map<String, Row> byName(List<Row> rows) {
    Map<String, Row> map = new LinkedHashMap<>();
    rows.forEach(r -> map.put(r.target().ours(), r));
    return map;
  }
}
