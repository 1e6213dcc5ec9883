package io.jfutures.impl;

import io.jfutures.api.SerializableRunnable;
import io.jfutures.api.WorkerFailure;
import io.jfutures.spi.backend.BackendCapability;
import io.jfutures.spi.backend.BackendListener;
import io.jfutures.spi.backend.BackendTask;
import io.jfutures.spi.backend.BackendWorker;
import io.jfutures.spi.backend.ExecutorBackend;
import io.jfutures.spi.backend.RunningTask;
import io.jfutures.spi.backend.TaskCallback;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend whose workers are thread pools of this JVM, which a test can add and lose at will: the
 * executor's logic without child JVMs. A lost worker's pool is shut down, its running tasks
 * interrupted, and their callbacks are told lost, as a cluster's would be.
 */
final class FakeBackend implements ExecutorBackend {
  private final Set<BackendCapability> capabilities;
  private final Map<String, Worker> workers = new ConcurrentHashMap<>();
  private final AtomicInteger made = new AtomicInteger();
  final CountDownLatch closed = new CountDownLatch(1);
  final AtomicBoolean closedOnItsOwnThread = new AtomicBoolean();
  volatile BackendListener listener;
  volatile String allowedClasses;

  FakeBackend(BackendCapability... capabilities) {
    this.capabilities =
        capabilities.length == 0
            ? EnumSet.noneOf(BackendCapability.class)
            : EnumSet.of(capabilities[0], capabilities);
  }

  @Override
  public String name() {
    return "fake";
  }

  @Override
  public Set<BackendCapability> capabilities() {
    return capabilities;
  }

  @Override
  public void start(
      String executorName,
      String allowedClasses,
      SerializableRunnable initializer,
      BackendListener listener) {
    this.listener = listener;
    this.allowedClasses = allowedClasses;
  }

  /** Adds a worker with {@code slots} threads and reports it. */
  BackendWorker add(int slots) {
    int n = made.incrementAndGet();
    BackendWorker w = new BackendWorker("w" + n, "fake-worker-" + n, 1000 + n, slots);
    ExecutorService threads = Executors.newFixedThreadPool(slots, r -> new Thread(r, w.name()));
    workers.put(w.id(), new Worker(w, threads));
    listener.workerAdded(w);
    return w;
  }

  /** Loses a worker: its threads are interrupted, its tasks reported lost. */
  void lose(BackendWorker w) {
    Worker gone = workers.remove(w.id());
    List<TaskCallback> lost = List.copyOf(gone.running.values());
    gone.running.clear(); // what its interrupted threads then do is never reported
    gone.threads.shutdownNow();
    WorkerFailure failure =
        new WorkerFailure(w.name(), w.pid(), 137, "SIGKILL", null, Duration.ZERO, 0, List.of());
    listener.workerLost(w, failure);
    for (TaskCallback c : lost) {
      c.lost(failure); // after the listener: the executor must ignore the second report
    }
  }

  @Override
  public RunningTask run(BackendWorker worker, BackendTask task, TaskCallback callback) {
    Worker w = workers.get(worker.id());
    Callable<?> call = (Callable<?>) task.payload();
    Object key = new Object();
    w.running.put(key, callback);
    AtomicBoolean started = new AtomicBoolean();
    Future<?> f =
        w.threads.submit(
            () -> {
              started.set(true);
              try {
                Object result = call.call();
                if (w.running.remove(key) != null) {
                  callback.completed(result);
                }
              } catch (Throwable t) {
                if (w.running.remove(key) != null) {
                  callback.failed(t);
                }
              }
            });
    // A task stopped before a thread took it never runs: its outcome is reported here, once (the
    // running map's removal decides who reports), as run's contract asks. Without it an executor
    // that stopped it waited for ever for its slot (a shutdownNow right after the dispatch).
    return () -> {
      if (f.cancel(true) && !started.get() && w.running.remove(key) != null) {
        callback.failed(new CancellationException("stopped before it started"));
      }
    };
  }

  @Override
  public void close() {
    closedOnItsOwnThread.set(Thread.currentThread().getName().contains("-closing"));
    for (Worker w : workers.values()) {
      w.threads.shutdownNow();
    }
    closed.countDown();
  }

  private record Worker(
      BackendWorker worker, ExecutorService threads, Map<Object, TaskCallback> running) {
    Worker(BackendWorker worker, ExecutorService threads) {
      this(worker, threads, new ConcurrentHashMap<>());
    }
  }
}
