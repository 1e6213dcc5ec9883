package io.jfutures.impl.internal.jvm;

import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The JVM options jfutures starts its child JVMs with, before the user's own: a pool's workers and
 * a {@code JvmProcess} alike (the {@code -X} options are part of their class archives' key). The
 * user's options come after these and win; where theirs would clash instead of winning (a second
 * garbage collector) or would combine with ours (a JIT threshold scaling, which the per-method one
 * below multiplies), the user's replaces ours. Stateless.
 *
 * <ul>
 *   <li>The collector ({@link #collector}): {@code -XX:+UseG1GC} on JDK 17, {@code
 *       -XX:+UseSerialGC} on later JDKs. A class archive holds ready-made heap objects (the module
 *       graph, interned strings) that save a starting JVM its module system's set-up, and JDK 17
 *       maps them only under G1: a worker started in 150-162 ms of CPU with the serial collector
 *       and 144-153 with G1, its idle RSS 38.3-38.4 MiB against 39.3-39.6 (issue 17, session 16).
 *       From JDK 18 the serial collector loads them too, and is the smaller and sooner: on JDK 25
 *       157 ms against 160-161, 44.3 MiB against 45.7.
 *   <li>{@code -XX:TrimNativeHeapInterval=5000} where the JDK has it ({@link NativeTrim}).
 *   <li>{@code -Xms64m} ({@link #INITIAL_HEAP_MIB}), unless the user's options size the heap.
 *   <li>{@code -Djava.nio.channels.spi.SelectorProvider=} the parent's own provider, when that is
 *       the JDK's (no provider service on the parent's class path) and the user's options name none
 *       ({@link #selectorProvider}). A child's first channel otherwise looks the provider up as a
 *       service, which searches every module of the JDK and every jar of the class path: a worker's
 *       main thread reached its channel after 11-13 ms of CPU instead of 18-29, and its first
 *       result about 5 ms of CPU sooner in all (the jar is opened later, for the task's class,
 *       instead). A provider offered as a service only on a child's extra class path must then be
 *       named in the child's options.
 *   <li>{@code -XX:CompileCommand=dontinline} for the JDK's calls that cost a system call or a
 *       serialization stream ({@link #IO_BOUNDARIES}): C2 compiles each once, on its own, instead
 *       of copying the JDK's channel and selector code into every caller that reaches them. A
 *       child's reply read inlined 307 methods (8.7 kB of bytecode, 76 kB of code) and took C2 377
 *       ms to compile; a fresh child's 10,000 manager calls took 580-740 ms of its CPU instead of
 *       640-960 (median 660 against 830), and a pool's tasks ran as before (issue 17, session 34).
 *       A call costs nanoseconds beside the microseconds of the system call behind it.
 *   <li>JIT thresholds {@value #START_SCALING} times the default, except for the code of a task's
 *       path through the child: jfutures' own, {@code java.io} (serialization), {@code java.nio}
 *       and {@code sun.nio} (the channel), which keep the default thresholds. A JVM's start runs
 *       thousands of methods a few hundred times each, and compiled them for nothing: a worker's
 *       start, launch to its first result, measured 75-76 ms of CPU instead of 93-104 (JDK 17), a
 *       pool's cold start 142 ms instead of 165, and {@code fib(34)} ran in the same 17 ms. With
 *       the whole JVM's thresholds raised (session 7 tried 4), a pool that served requests one at a
 *       time stayed slow for thousands of tasks, its round trip with no warm-up 58-64 us instead of
 *       23-26; with the task's path kept at the default, 27-37 against the same JVM's 23-37.
 *   <li>A short-lived child (a worker that runs at most 200 tasks) scales every threshold by
 *       {@value #SHORT_LIVED_SCALING}: it never runs its task's path often enough to compile it.
 * </ul>
 */
public final class ChildJvmOptions {
  /** The JIT thresholds' scaling of a child's start-up code. */
  public static final int START_SCALING = 5;

  /** The JIT thresholds' scaling of every method of a short-lived child. */
  public static final int SHORT_LIVED_SCALING = 20;

  /** The classes of a task's path through a child: jfutures', serialization, the channel. */
  static final List<String> TASK_PATH =
      List.of("io/jfutures/*.*", "java/io/*.*", "java/nio/*.*", "sun/nio/*.*");

  /**
   * The JDK's calls that cost a system call or a serialization stream each, which C2 compiles on
   * their own instead of inlining them into their callers ({@code dontinline}).
   */
  static final List<String> IO_BOUNDARIES =
      List.of(
          "sun.nio.ch.SocketChannelImpl::read",
          "sun.nio.ch.SocketChannelImpl::write",
          "sun.nio.ch.SelectorImpl::select",
          "sun.nio.ch.SelectorImpl::selectNow",
          "java.io.ObjectOutputStream::writeObject",
          "java.io.ObjectInputStream::readObject");

  /** The last JDK whose class archives' heap objects only G1 can map (JDK-8273508 came in 18). */
  private static final int LAST_ARCHIVED_HEAP_G1_ONLY = 17;

  /** An option that chooses a garbage collector, on or off. */
  private static final Pattern COLLECTOR =
      Pattern.compile(
          "-XX:[+-]Use(Serial|Parallel|ParallelOld|G1|Z|Shenandoah|Epsilon|ConcMarkSweep)GC");

  /**
   * A child's initial heap, in MiB. The default (1/64 of the machine's memory, 384 MiB on 24 GiB)
   * gives the serial collector a young generation of a third of it, and a child wrote to 100 MiB of
   * pages it had never touched before its first collection: a page fault each, which a VM makes
   * dear. From 64 MiB the young generation starts at about 21 and grows with what the child keeps.
   * Measured (issue 17, session 13, {@code benchmarks/README.md}): a child's manager calls (M1)
   * 9.8k to 15k a second, a pipe's 1 MiB messages (C2) 272 to 545 MiB/s, a worker's 10 MiB payloads
   * (W6) unchanged; with 16 MiB, W6 lost a third (its arrays no longer fit in the young
   * generation).
   */
  static final int INITIAL_HEAP_MIB = 64;

  /** An option that sets the heap's size, initial or maximum, or bounds it by the machine's RAM. */
  private static final Pattern HEAP_SIZE =
      Pattern.compile("-Xm[sxn]|-XX:((Initial|Max|Min)HeapSize|(Max)?NewSize)=|-XX:\\w*RAM");

  /** The system property that names the NIO selector provider. */
  static final String SELECTOR_PROVIDER = "java.nio.channels.spi.SelectorProvider";

  private ChildJvmOptions() {}

  /** The options to put before {@code userOptions} for a child that runs for long. */
  public static List<String> longLived(List<String> userOptions) {
    List<String> options = common(userOptions);
    if (!setsScaling(userOptions)) {
      options.add("-XX:CompileThresholdScaling=" + START_SCALING);
      // Per method, the scaling multiplies the global one: this brings the task's path back to 1.
      for (String pattern : TASK_PATH) {
        options.add(
            "-XX:CompileCommand=CompileThresholdScaling," + pattern + "," + 1.0 / START_SCALING);
      }
    }
    return List.copyOf(options);
  }

  /** The options to put before {@code userOptions} for a short-lived child. */
  public static List<String> shortLived(List<String> userOptions) {
    List<String> options = common(userOptions);
    if (!setsScaling(userOptions)) {
      options.add("-XX:CompileThresholdScaling=" + SHORT_LIVED_SCALING);
    }
    return List.copyOf(options);
  }

  private static List<String> common(List<String> userOptions) {
    List<String> options = new ArrayList<>();
    if (userOptions.stream().noneMatch(o -> COLLECTOR.matcher(o).matches())) {
      // A second collector would stop the JVM from starting: "Multiple garbage collectors".
      options.add(collector(Runtime.version().feature()));
    }
    NativeTrim.option().ifPresent(options::add);
    selectorProvider(userOptions).ifPresent(options::add);
    // "quiet" first: the JVM would print each command on the child's standard output.
    options.add("-XX:CompileCommand=quiet");
    for (String method : IO_BOUNDARIES) {
      options.add("-XX:CompileCommand=dontinline," + method);
    }
    if (userOptions.stream().noneMatch(o -> HEAP_SIZE.matcher(o).lookingAt())) {
      // Theirs could clash ("initial heap size larger than the maximum"): then only theirs.
      options.add("-Xms" + INITIAL_HEAP_MIB + "m");
    }
    return options;
  }

  /**
   * The collector option for a child of JDK {@code feature} (the parent's own, which its children
   * run): G1 on JDK 17, the only collector that maps an archive's heap objects there; serial after.
   */
  public static String collector(int feature) {
    return feature <= LAST_ARCHIVED_HEAP_G1_ONLY ? "-XX:+UseG1GC" : "-XX:+UseSerialGC";
  }

  /**
   * The option that names the selector provider for a child, if the parent's is the JDK's own and
   * {@code userOptions} name none.
   */
  static Optional<String> selectorProvider(List<String> userOptions) {
    String set = "-D" + SELECTOR_PROVIDER + "=";
    if (userOptions.stream().anyMatch(o -> o.startsWith(set))) {
      return Optional.empty();
    }
    Class<?> provider = ParentsProvider.TYPE;
    return provider.getModule() == Object.class.getModule()
        ? Optional.of(set + provider.getName())
        : Optional.empty();
  }

  /** The parent's selector provider's class, looked up once. */
  private static final class ParentsProvider {
    static final Class<?> TYPE = SelectorProvider.provider().getClass();
  }

  private static boolean setsScaling(List<String> userOptions) {
    return userOptions.stream().anyMatch(o -> o.startsWith("-XX:CompileThresholdScaling="));
  }
}
