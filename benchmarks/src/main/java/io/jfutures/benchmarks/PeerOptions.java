package io.jfutures.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The command line of {@link PeerWorkloads}, which follows {@code python_peer.py}'s.
 *
 * @param workers the number of workers, N
 * @param quick whether to use the {@code --quick} sizes
 * @param json where to write the results, if anywhere
 * @param selected the workloads to run, in their standard order
 * @param skipped the {@code --only} entries that only the Python peer has, as given
 * @param warmupRuns how many untimed runs of each body precede the timed one, on top of the peer's
 *     warm-up (JIT warm-up, as JMH's warm-up iterations); 0 for none
 * @param help whether {@code --help} was given (then nothing runs)
 */
record PeerOptions(
    int workers,
    boolean quick,
    Optional<String> json,
    List<Workload> selected,
    List<String> skipped,
    int warmupRuns,
    boolean help) {

  /** The default of {@code --warmup-runs}. */
  static final int DEFAULT_WARMUP_RUNS = 10;

  static final String USAGE =
      String.join(
          "\n",
          "usage: PeerWorkloads [--workers N] [--quick] [--json PATH] [--only NAME[,NAME...]]",
          "                     [--warmup-runs N | --no-jit-warmup]",
          "  --workers N      workers per pool (default 2)",
          "  --quick          smaller sizes, for a smoke test",
          "  --json PATH      also write {name: {value, unit, params}} to PATH",
          "  --only LIST      ids or names: W1..W8, WS, RSS, RSSI, RSSP, A5, anchors; Python-only"
              + " ones (W7b, A1..A4, A5s, A5x) are skipped",
          "  --warmup-runs N  untimed runs of each body before the timed one, for the JIT"
              + " (default "
              + DEFAULT_WARMUP_RUNS
              + "; W7 does at most 1)",
          "  --no-jit-warmup  the same as --warmup-runs 0 (to see whether warm-up matters)");

  /** Copies the lists. */
  PeerOptions {
    selected = List.copyOf(selected);
    skipped = List.copyOf(skipped);
  }

  /**
   * Parses the arguments; {@code --opt value} and {@code --opt=value} are both accepted.
   *
   * @throws IllegalArgumentException on an unknown option, a missing or bad value, or an unknown
   *     workload; the message says which
   */
  static PeerOptions parse(String... args) {
    int workers = 2;
    boolean quick = false;
    String json = null;
    String only = null;
    int warmupRuns = DEFAULT_WARMUP_RUNS;
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg;
      String inline = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        inline = arg.substring(eq + 1);
      }
      switch (name) {
        case "--workers":
          workers =
              number(name, inline != null ? inline : valueAfter(args, i++, name), 1, "at least 1");
          break;
        case "--json":
          json = inline != null ? inline : valueAfter(args, i++, name);
          if (json.isEmpty()) {
            throw new IllegalArgumentException("--json needs a path");
          }
          break;
        case "--only":
          only = inline != null ? inline : valueAfter(args, i++, name);
          break;
        case "--quick":
          quick = noValue(name, inline);
          break;
        case "--warmup-runs":
          warmupRuns =
              number(name, inline != null ? inline : valueAfter(args, i++, name), 0, "0 or more");
          break;
        case "--no-jit-warmup":
          noValue(name, inline);
          warmupRuns = 0;
          break;
        case "-h":
        case "--help":
          help = true;
          break;
        default:
          throw new IllegalArgumentException("unknown argument '" + arg + "'");
      }
    }
    List<String> skipped = new ArrayList<>();
    List<Workload> selected = select(only, skipped);
    return new PeerOptions(
        workers, quick, Optional.ofNullable(json), selected, skipped, warmupRuns, help);
  }

  /** Parses the number {@code v} given to option {@code name}; it must be {@code min} or more. */
  private static int number(String name, String v, int min, String bound) {
    int n;
    try {
      n = Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " needs a number, got '" + v + "'");
    }
    if (n < min) {
      throw new IllegalArgumentException(name + " must be " + bound + ", got " + n);
    }
    return n;
  }

  private static String valueAfter(String[] args, int i, String name) {
    if (i + 1 >= args.length) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    return args[i + 1];
  }

  private static boolean noValue(String name, String inline) {
    if (inline != null) {
      throw new IllegalArgumentException(name + " takes no value");
    }
    return true;
  }

  /**
   * Returns the workloads {@code only} names, in their standard order; all of them when {@code
   * only} is null or blank. Entries that name a Python-only workload go to {@code skipped}.
   */
  static List<Workload> select(String only, List<String> skipped) {
    if (only == null || only.isBlank()) {
      return List.of(Workload.values());
    }
    Set<Workload> chosen = EnumSet.noneOf(Workload.class);
    List<String> unknown = new ArrayList<>();
    for (String raw : only.split(",")) {
      String token = raw.trim();
      if (token.isEmpty()) {
        continue;
      }
      if (token.equalsIgnoreCase("anchors")) {
        Arrays.stream(Workload.values()).filter(Workload::isAnchor).forEach(chosen::add);
        continue;
      }
      Optional<Workload> match =
          Arrays.stream(Workload.values()).filter(w -> w.matches(token)).findFirst();
      if (match.isPresent()) {
        chosen.add(match.get());
      } else if (Workload.PYTHON_ONLY.stream().anyMatch(token::equalsIgnoreCase)) {
        skipped.add(token);
      } else {
        unknown.add(token.toLowerCase(Locale.ROOT));
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "unknown workload(s) "
              + unknown
              + "; known: "
              + Arrays.stream(Workload.values())
                  .map(w -> w.id() + "=" + w.resultName())
                  .collect(Collectors.joining(", "))
              + ", anchors");
    }
    return List.copyOf(chosen);
  }
}
