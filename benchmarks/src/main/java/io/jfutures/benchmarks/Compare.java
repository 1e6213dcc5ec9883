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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Puts the results of {@code python_peer.py} and {@link PeerWorkloads} side by side: reads the
 * rounds {@code compare.sh} wrote to a results directory ({@code python_roundK.json} and {@code
 * jfutures_roundK.json}), takes each side's median over the rounds, and prints (and writes to
 * {@code table.md}) a Markdown table with the ratio and the target of each workload.
 *
 * <p>The ratio is always jfutures / CPython, so above 1 means jfutures has the larger number:
 * better for rates (tasks/s, items/s, MiB/s), worse for times (ms, µs). Each target says which way
 * it points.
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
  }

  /** What a target constrains: the ratio jfutures / CPython, or jfutures' own value. */
  enum Kind {
    RATIO,
    ABSOLUTE,
    NONE
  }

  /**
   * One row of the table.
   *
   * @param workload jfutures' workload; its result name and unit
   * @param peer the result name in CPython's JSON, or null if CPython has none
   * @param note what the first column adds to the workload's name, or ""
   * @param kind what the target constrains
   * @param bound which way the target points
   * @param threshold the target on JDK 17 to 24
   * @param thresholdJdk25 the target on JDK 25 and later
   */
  record Target(
      Workload workload,
      String peer,
      String note,
      Kind kind,
      Bound bound,
      double threshold,
      double thresholdJdk25) {

    static Target ratio(Workload workload, Bound bound, double threshold) {
      return new Target(
          workload, workload.resultName(), "", Kind.RATIO, bound, threshold, threshold);
    }

    /** jfutures' result name. */
    String ours() {
      return workload.resultName();
    }

    /** The first column, as {@code W3 throughput_tasks_per_s (tasks/s)}. */
    String label() {
      return workload.id() + " " + workload.resultName() + note + " (" + workload.unit() + ")";
    }

    /** The threshold that applies when jfutures ran on JDK {@code javaFeature}. */
    double thresholdFor(int javaFeature) {
      return javaFeature >= 25 ? thresholdJdk25 : threshold;
    }

    /** The target column: {@code <= 1.3x} for a ratio, {@code jfutures >= 1.9} otherwise. */
    String describe(int javaFeature) {
      double t = thresholdFor(javaFeature);
      String unit = workload.unit();
      switch (kind) {
        case RATIO:
          return bound.symbol + " " + trim(t) + "x";
        case ABSOLUTE:
          return "jfutures " + bound.symbol + " " + trim(t) + (unit.equals("x") ? "" : " " + unit);
        default:
          return "-";
      }
    }
  }

  /** The targets: jfutures vs CPython 3.11 (spawn), 2 workers. */
  static final List<Target> TARGETS =
      List.of(
          new Target(Workload.W1, "cold_start_ms", "", Kind.RATIO, Bound.AT_MOST, 1.3, 1.0),
          Target.ratio(Workload.W2, Bound.AT_MOST, 0.25),
          Target.ratio(Workload.W3, Bound.AT_LEAST, 10),
          Target.ratio(Workload.W4, Bound.AT_LEAST, 4),
          new Target(Workload.W5, "cpu_speedup", "", Kind.ABSOLUTE, Bound.AT_LEAST, 1.9, 1.9),
          Target.ratio(Workload.W6, Bound.AT_LEAST, 2),
          new Target(
              Workload.W7,
              "pool_recycle_tasks_per_s",
              " vs CPython W7b",
              Kind.RATIO,
              Bound.AT_LEAST,
              1.5,
              1.5),
          Target.ratio(Workload.W8, Bound.AT_LEAST, 2),
          new Target(Workload.RSS, null, "", Kind.ABSOLUTE, Bound.AT_MOST, 48, 48),
          new Target(Workload.A5, "pipe_roundtrip_us", "", Kind.NONE, Bound.AT_MOST, 0, 0));

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
   */
  record Row(
      Target target,
      Double cpython,
      Double jfutures,
      Double ratio,
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
    if (peer.isEmpty() && ours.isEmpty()) {
      System.err.println("Compare: no python_round*.json or jfutures_round*.json in " + dir);
      System.exit(1);
    }
    String table = render(rows(peer, ours), peer, ours);
    System.out.print(table);
    Files.writeString(dir.resolve("table.md"), table);
  }

  private static final Pattern ROUND_FILE = Pattern.compile("(python|jfutures)_round(\\d+)\\.json");

  /** Reads {@code <side>_roundK.json}, in round order. */
  static List<Map<String, Object>> readRounds(Path dir, String side) throws IOException {
    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files =
          listing
              .filter(
                  p -> {
                    Matcher m = ROUND_FILE.matcher(p.getFileName().toString());
                    return m.matches() && m.group(1).equals(side);
                  })
              .sorted((a, b) -> Integer.compare(roundOf(a), roundOf(b)))
              .collect(Collectors.toList());
    }
    List<Map<String, Object>> rounds = new ArrayList<>();
    for (Path f : files) {
      rounds.add(asMap(Json.parse(Files.readString(f)), f.toString()));
    }
    return rounds;
  }

  private static int roundOf(Path p) {
    Matcher m = ROUND_FILE.matcher(p.getFileName().toString());
    return m.matches() ? Integer.parseInt(m.group(2)) : 0;
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

  /** Judges {@code target} on the two medians. */
  static Row row(Target target, List<Map<String, Object>> peer, List<Map<String, Object>> ours) {
    int feature = javaFeature(ours);
    List<Double> peerRounds = values(peer, target.peer());
    List<Double> ourRounds = values(ours, target.ours());
    Double cpython = target.peer() == null ? null : medianOrNull(peerRounds);
    Double jfutures = medianOrNull(ourRounds);
    Double ratio = cpython != null && jfutures != null && cpython != 0 ? jfutures / cpython : null;
    double threshold = target.thresholdFor(feature);
    Verdict met;
    switch (target.kind()) {
      case RATIO:
        met =
            ratio == null
                ? Verdict.UNKNOWN
                : target.bound().holds(ratio, threshold) ? Verdict.YES : Verdict.NO;
        break;
      case ABSOLUTE:
        met =
            jfutures == null
                ? Verdict.UNKNOWN
                : target.bound().holds(jfutures, threshold) ? Verdict.YES : Verdict.NO;
        break;
      default:
        met = Verdict.NONE;
    }
    return new Row(
        target,
        cpython,
        jfutures,
        ratio,
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
   * The Markdown table (rows that neither side measured left out), a legend, and the per-round
   * values when there are several rounds.
   */
  static String render(
      List<Row> rows, List<Map<String, Object>> peer, List<Map<String, Object>> ours) {
    StringBuilder out = new StringBuilder();
    int feature = javaFeature(ours);
    out.append(
        String.format(
            Locale.ROOT,
            "jfutures on JDK %d vs CPython; %d CPython round(s), %d jfutures round(s);"
                + " each cell is the median over rounds%n%n",
            feature,
            peer.size(),
            ours.size()));
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
              r.target().peer() == null ? "-" : formatValue(r.cpython()),
              formatValue(r.jfutures()),
              r.ratio() == null ? "n/a" : String.format(Locale.ROOT, "%.2fx", r.ratio()),
              r.targetText(),
              r.met()));
    }
    out.append(
        "\nratio = jfutures / CPython: above 1 is better for rates (/s) and worse for times"
            + " (ms, us); targets with <= are times, >= are rates. W5 and idle RSS are judged on"
            + " jfutures' own value. n/a: a side has no value (CPython's W7 ProcessPoolExecutor"
            + " deadlocks on 3.11, gh-115634, so W7 is compared with CPython's W7b Pool).\n");
    appendSpeedupBesideTheMachine(out, ours);
    if (Math.max(peer.size(), ours.size()) > 1) {
      out.append("\nper-round values (CPython | jfutures):\n");
      for (Row r : rows) {
        if (!r.measured()) {
          continue;
        }
        out.append(
            String.format(
                Locale.ROOT,
                "  %-52s %s | %s%n",
                r.target().label(),
                formatRounds(r.cpythonRounds()),
                formatRounds(r.jfuturesRounds())));
      }
    }
    return out.toString();
  }

  /**
   * W5 beside what the machine gives: per jfutures round, the speedup with tasks as long as
   * CPython's, and that of plain threads running the same batches, which no pool can beat.
   */
  private static void appendSpeedupBesideTheMachine(
      StringBuilder out, List<Map<String, Object>> ours) {
    List<Double> machine = new ArrayList<>();
    List<Double> longTasks = new ArrayList<>();
    for (Map<String, Object> round : ours) {
      machine.add(param(round, "cpu_speedup", "machine_speedup"));
      longTasks.add(param(round, "cpu_speedup", "long_speedup"));
    }
    if (machine.stream().allMatch(Objects::isNull)) {
      return;
    }
    out.append(
        String.format(
            Locale.ROOT,
            "%nW5 beside the machine, per jfutures round: the pool with tasks as long as CPython's"
                + " (fib(34)) %s; plain threads of one JVM on the same batches %s.%n",
            formatRounds(longTasks),
            formatRounds(machine)));
  }

  private static String formatRounds(List<Double> values) {
    return values.stream().map(Compare::formatValue).collect(Collectors.joining(", ", "[", "]"));
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
