package io.jfutures.impl.internal.jvm;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The JVM options jfutures starts its child JVMs with, before the user's own: a pool's workers and
 * a {@code JvmProcess} alike, so that both map one class archive (the {@code -X} options are part
 * of its key). The user's options come after these and win; the one option that would clash instead
 * of winning, a second garbage collector, leaves the serial collector out. Stateless.
 *
 * <ul>
 *   <li>{@code -XX:+UseSerialGC}: a child is small, and starts sooner and smaller with it.
 *   <li>{@code -XX:TrimNativeHeapInterval=5000} where the JDK has it ({@link NativeTrim}).
 *   <li>{@code -XX:CompileThresholdScaling=N}: a JVM's start runs thousands of methods a few
 *       hundred times each, and compiles them for nothing; with the thresholds 5 times the default
 *       a worker's start, launch to its first result, measured 76-78 ms of CPU instead of 95-98
 *       (JDK 17, its compiler threads 13 ms instead of 33), a pool's cold start 142 ms instead of
 *       165, and a {@code fib(34)} task ran in the same 17 ms. Code a task runs hot is still
 *       compiled within its first milliseconds.
 * </ul>
 */
public final class ChildJvmOptions {
  /** The JIT thresholds' scaling of a child JVM that lives for many tasks. */
  public static final int COMPILE_THRESHOLD_SCALING = 5;

  /** An option that chooses a garbage collector, on or off. */
  private static final Pattern COLLECTOR =
      Pattern.compile(
          "-XX:[+-]Use(Serial|Parallel|ParallelOld|G1|Z|Shenandoah|Epsilon|ConcMarkSweep)GC");

  private ChildJvmOptions() {}

  /**
   * The options to put before {@code userOptions}, with the JIT thresholds scaled by {@code
   * compileThresholdScaling}.
   */
  public static List<String> defaults(int compileThresholdScaling, List<String> userOptions) {
    List<String> options = new ArrayList<>();
    if (userOptions.stream().noneMatch(o -> COLLECTOR.matcher(o).matches())) {
      // A second collector would stop the JVM from starting: "Multiple garbage collectors".
      options.add("-XX:+UseSerialGC");
    }
    NativeTrim.option().ifPresent(options::add);
    options.add("-XX:CompileThresholdScaling=" + compileThresholdScaling);
    return List.copyOf(options);
  }
}
