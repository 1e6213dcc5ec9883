package io.jfutures.impl.internal.process;

import io.jfutures.impl.internal.jvm.ChildClassPath;
import io.jfutures.impl.internal.jvm.ChildJvmOptions;
import io.jfutures.spi.WorkerSpec;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a pool's workers are started with: the class path (told once, when the pool is built, by
 * {@link ChildClassPath}), the JVM options, and the {@link WorkerSpec} each launch gets. Immutable.
 */
final class WorkerSpecs {
  /** A worker with a maxTasksPerChild up to this is short-lived: see {@link #defaultJvmOptions}. */
  static final int SHORT_LIVED_TASKS = 200;

  private final PoolConfig config;

  /** A worker's class path before the extra entries. */
  private final List<String> classPath;

  /**
   * Tells the workers' class path.
   *
   * @throws IllegalStateException if it cannot be told: see {@link ChildClassPath}
   */
  WorkerSpecs(PoolConfig config) {
    this.config = config;
    this.classPath =
        config.launcher() instanceof InProcessLauncher // its workers are threads of this JVM
            ? splitPath(System.getProperty("java.class.path"))
            : ChildClassPath.of(
                config.classLoader(),
                System.getProperty("java.class.path"),
                splitPath(System.getProperty("jdk.module.path")),
                config.extraClassPath());
  }

  WorkerSpec specFor(String workerName) {
    List<String> classPath = new ArrayList<>(this.classPath);
    classPath.addAll(config.extraClassPath());
    List<String> jvmOptions =
        new ArrayList<>(defaultJvmOptions(config.maxTasksPerChild(), config.jvmOptions()));
    jvmOptions.add("-Djfutures.worker.name=" + workerName);
    jvmOptions.addAll(config.jvmOptions());
    return new WorkerSpec(
        workerName,
        Path.of(System.getProperty("java.home"), "bin", "java"),
        jvmOptions,
        classPath,
        splitPath(System.getProperty("jdk.module.path")),
        config.environment(),
        WorkerMain.class.getName(),
        WorkerMain::serve,
        config.startTimeout());
  }

  /**
   * The JVM options a worker gets before the user's {@code userOptions} (which therefore win):
   * those of a long-lived child JVM ({@link ChildJvmOptions#longLived}), or for a worker that lives
   * for at most {@value #SHORT_LIVED_TASKS} tasks those of a short-lived one, whose JIT thresholds
   * are all 20 times the default. Such a worker never runs its per-task code often enough to
   * compile it, and compiling its start-up code cost a quarter of its CPU: measured with 200 no-op
   * tasks, 10 per worker, 147-161 ms of CPU per worker and 111-115 tasks/s by default, 114-116 ms
   * and 143-151 tasks/s with the scaling; with 100 and 200 tasks per worker the gain was about the
   * same, with 1,000 there was none.
   */
  static List<String> defaultJvmOptions(int maxTasksPerChild, List<String> userOptions) {
    boolean shortLived = maxTasksPerChild > 0 && maxTasksPerChild <= SHORT_LIVED_TASKS;
    return shortLived
        ? ChildJvmOptions.shortLived(userOptions)
        : ChildJvmOptions.longLived(userOptions);
  }

  private static List<String> splitPath(String path) {
    if (path == null || path.isEmpty()) {
      return List.of();
    }
    return Arrays.asList(path.split(File.pathSeparator));
  }
}
