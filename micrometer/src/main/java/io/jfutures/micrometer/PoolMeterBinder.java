package io.jfutures.micrometer;

import io.jfutures.impl.PoolMXBean;
import io.jfutures.impl.ProcessPoolExecutor;
import io.jfutures.impl.ThreadPoolExecutor;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Binds a jfutures pool's figures (those of its {@link PoolMXBean}) to a Micrometer registry,
 * tagged {@code pool=<name>}:
 *
 * <pre>{@code
 * new PoolMeterBinder(pool).bindTo(registry);
 * }</pre>
 *
 * <table>
 *   <caption>The meters</caption>
 *   <tr><th>meter</th><th>kind</th><th>tags</th></tr>
 *   <tr><td>{@code jfutures.pool.tasks.queued}, {@code jfutures.pool.tasks.running}</td><td>gauge</td><td></td></tr>
 *   <tr><td>{@code jfutures.pool.workers}</td><td>gauge</td><td>{@code state}: busy, idle, starting</td></tr>
 *   <tr><td>{@code jfutures.pool.tasks}</td><td>function counter</td><td>{@code outcome}: completed, failed, cancelled, timed_out</td></tr>
 *   <tr><td>{@code jfutures.pool.worker.starts}, {@code .recycles}, {@code .crashes}</td><td>function counter</td><td></td></tr>
 *   <tr><td>{@code jfutures.pool.worker.start.last}</td><td>time gauge</td><td></td></tr>
 *   <tr><td>{@code jfutures.pool.task.latency.mean}, {@code .max}</td><td>time gauge</td><td></td></tr>
 * </table>
 *
 * <p>Crashes are counted here in total; the JMX MXBean has them by cause. The meters hold the
 * pool's figures weakly, as Micrometer's gauges do: once the pool is gone they read NaN.
 */
public final class PoolMeterBinder implements MeterBinder {
  private final PoolMXBean pool;
  private final Tags tags;

  /**
   * A binder of {@code pool}'s figures.
   *
   * @param pool the figures, as {@code ProcessPoolExecutor.metrics()} returns them
   * @param extraTags tags added to every meter, beside {@code pool}
   */
  public PoolMeterBinder(PoolMXBean pool, Tag... extraTags) {
    this.pool = Objects.requireNonNull(pool, "pool");
    this.tags = Tags.of("pool", pool.getName()).and(extraTags);
  }

  /**
   * A binder of {@code pool}'s figures.
   *
   * @param pool the pool
   */
  public PoolMeterBinder(ProcessPoolExecutor pool) {
    this(pool.metrics());
  }

  /**
   * A binder of {@code pool}'s figures.
   *
   * @param pool the pool
   */
  public PoolMeterBinder(ThreadPoolExecutor pool) {
    this(pool.metrics());
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    gauge(
        registry,
        "jfutures.pool.tasks.queued",
        "tasks waiting for a worker",
        PoolMXBean::getQueuedTasks,
        Tags.empty());
    gauge(
        registry,
        "jfutures.pool.tasks.running",
        "tasks a worker has",
        PoolMXBean::getRunningTasks,
        Tags.empty());
    gauge(
        registry,
        "jfutures.pool.workers",
        "workers by state",
        PoolMXBean::getBusyWorkers,
        Tags.of("state", "busy"));
    gauge(
        registry,
        "jfutures.pool.workers",
        "workers by state",
        PoolMXBean::getIdleWorkers,
        Tags.of("state", "idle"));
    gauge(
        registry,
        "jfutures.pool.workers",
        "workers by state",
        PoolMXBean::getStartingWorkers,
        Tags.of("state", "starting"));
    counter(
        registry,
        "jfutures.pool.tasks",
        "tasks by outcome",
        PoolMXBean::getCompletedTasks,
        Tags.of("outcome", "completed"));
    counter(
        registry,
        "jfutures.pool.tasks",
        "tasks by outcome",
        PoolMXBean::getFailedTasks,
        Tags.of("outcome", "failed"));
    counter(
        registry,
        "jfutures.pool.tasks",
        "tasks by outcome",
        PoolMXBean::getCancelledTasks,
        Tags.of("outcome", "cancelled"));
    counter(
        registry,
        "jfutures.pool.tasks",
        "tasks by outcome",
        PoolMXBean::getTimedOutTasks,
        Tags.of("outcome", "timed_out"));
    counter(
        registry,
        "jfutures.pool.worker.starts",
        "workers started",
        PoolMXBean::getWorkerStarts,
        Tags.empty());
    counter(
        registry,
        "jfutures.pool.worker.recycles",
        "workers retired to be replaced",
        PoolMXBean::getWorkerRecycles,
        Tags.empty());
    counter(
        registry,
        "jfutures.pool.worker.crashes",
        "workers that died unexpectedly",
        p -> p.getWorkerCrashes().values().stream().mapToLong(Long::longValue).sum(),
        Tags.empty());
    time(
        registry,
        "jfutures.pool.worker.start.last",
        "the last worker's start, launch to ready",
        p -> Math.max(0, p.getLastWorkerStartMillis()));
    time(
        registry,
        "jfutures.pool.task.latency.mean",
        "mean time from submit to completion",
        PoolMXBean::getMeanTaskLatencyMillis);
    time(
        registry,
        "jfutures.pool.task.latency.max",
        "longest time from submit to completion",
        PoolMXBean::getMaxTaskLatencyMillis);
  }

  private void gauge(
      MeterRegistry r, String name, String what, ToDoubleFunction<PoolMXBean> f, Tags more) {
    Gauge.builder(name, pool, f).description(what).tags(tags.and(more)).register(r);
  }

  private void counter(
      MeterRegistry r, String name, String what, ToDoubleFunction<PoolMXBean> f, Tags more) {
    FunctionCounter.builder(name, pool, f).description(what).tags(tags.and(more)).register(r);
  }

  private void time(
      MeterRegistry r, String name, String what, ToDoubleFunction<PoolMXBean> millis) {
    TimeGauge.builder(name, pool, TimeUnit.MILLISECONDS, millis)
        .description(what)
        .tags(tags)
        .register(r);
  }
}
