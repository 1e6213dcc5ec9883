package io.jfutures.impl.internal.process;

import io.jfutures.impl.WorkerDeathPolicy;
import io.jfutures.spi.WorkerLauncher;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;

/**
 * A process pool's settings, copied from its builder. Immutable.
 *
 * @param maxTasksPerChild tasks a worker runs before it is replaced, or 0 for no limit
 * @param taskTimeout the default time limit of a task, or null for none
 * @param maxHeapBytes a worker retires after a task that leaves more heap in use, or 0
 * @param maxQueued the most tasks waiting to be sent, or 0 for no bound
 * @param blockWhenFull whether a submit to a full queue waits (else it is rejected)
 * @param threadFactory makes the pool's own threads (each worker's sender and receiver), which the
 *     pool then names and makes daemons; tests use it to make a thread fail to start
 */
public record PoolConfig(
    int maxWorkers,
    int maxTasksPerChild,
    Runnable initializer,
    List<String> jvmOptions,
    List<String> extraClassPath,
    Map<String, String> environment,
    WorkerLauncher launcher,
    boolean prestart,
    Duration startTimeout,
    String allowedClasses,
    WorkerDeathPolicy deathPolicy,
    ClassLoader classLoader,
    java.time.Duration taskTimeout,
    long maxHeapBytes,
    int maxQueued,
    boolean blockWhenFull,
    ThreadFactory threadFactory,
    String name) {

  /** Copies the collections. */
  public PoolConfig {
    jvmOptions = List.copyOf(jvmOptions);
    extraClassPath = List.copyOf(extraClassPath);
    environment = Map.copyOf(environment);
  }
}
