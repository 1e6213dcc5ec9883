package io.jfutures.impl;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import io.jfutures.api.SerializableRunnable;
import io.jfutures.api.WorkerDiedException;
import io.jfutures.api.WorkerFailure;
import io.jfutures.spi.backend.BackendCapability;
import io.jfutures.spi.backend.BackendListener;
import io.jfutures.spi.backend.BackendTask;
import io.jfutures.spi.backend.BackendWorker;
import io.jfutures.spi.backend.ExecutorBackend;
import io.jfutures.spi.backend.RunningTask;
import io.jfutures.spi.backend.TaskCallback;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The child-JVM backend: each of its workers is a child JVM of this one, run by a one-worker {@link
 * ProcessPoolExecutor} that replaces its child when the child dies. A task is killed with its child
 * ({@link BackendCapability#KILL_RUNNING_TASK}), and an initializer runs in each child.
 *
 * <p>It is what a {@link ProcessPoolExecutor} does, behind the backend SPI: use it to try a {@link
 * BackendExecutor} (its retries, say) on one machine, or as the model of a backend of your own.
 *
 * <pre>
 * States: NEW -> STARTED (start: the pools are built) -> CLOSED (close: each pool shut down,
 * its running tasks killed). A child that dies under a task is reported lost, through the task's
 * callback and to the listener; its pool starts another child, reported as a new worker (the
 * pool's name, a new id: {@code name#2}, {@code name#3}, ...). Invariant: pools maps the id of
 * each live worker to its pool.
 * </pre>
 *
 * <p>This class is thread-safe.
 */
public final class LocalProcessBackend implements ExecutorBackend {
  private final int count;
  private final Consumer<ProcessPoolExecutor.Builder> configure;
  private final ConcurrentHashMap<String, ProcessPoolExecutor> pools = new ConcurrentHashMap<>();
  private volatile BackendListener listener;
  private volatile boolean started;
  private volatile boolean closed;

  /**
   * A backend of {@code workers} child JVMs.
   *
   * @param workers how many child JVMs, at least 1
   */
  public LocalProcessBackend(int workers) {
    this(workers, b -> {});
  }

  /**
   * A backend of {@code workers} child JVMs, each pool configured further by {@code configure} (JVM
   * options, say). The backend sets the pool's name, its single worker, its death policy,
   * initializer and allow-list itself: {@code configure} must not.
   *
   * @param workers how many child JVMs, at least 1
   * @param configure what to set on each worker's pool builder
   */
  public LocalProcessBackend(int workers, Consumer<ProcessPoolExecutor.Builder> configure) {
    checkArgument(workers >= 1, "workers must be at least 1, was %s", workers);
    this.count = workers;
    this.configure = Objects.requireNonNull(configure, "configure");
  }

  @Override
  public String name() {
    return "local-jvm";
  }

  @Override
  public Set<BackendCapability> capabilities() {
    return EnumSet.of(BackendCapability.KILL_RUNNING_TASK, BackendCapability.WORKER_INITIALIZER);
  }

  @Override
  public void start(
      String executorName,
      String allowedClasses,
      SerializableRunnable initializer,
      BackendListener listener)
      throws IOException {
    checkState(!started, "the backend was already started");
    started = true;
    this.listener = listener;
    List<BackendWorker> made = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      String name = executorName + "-jvm-" + i;
      ProcessPoolExecutor.Builder b =
          ProcessPoolExecutor.newBuilder()
              .name(name)
              .maxWorkers(1)
              .workerDeathPolicy(WorkerDeathPolicy.REPLACE_WORKER);
      if (initializer != null) {
        b.initializer(initializer);
      }
      if (!allowedClasses.isEmpty()) {
        b.allowClasses(allowedClasses.split(";"));
      }
      configure.accept(b);
      pools.put(name, b.build());
      made.add(new BackendWorker(name, name, -1, 1));
    }
    for (BackendWorker w : made) {
      listener.workerAdded(w);
    }
  }

  /** Serializes the task once, to refuse at submit one that cannot be, as a process pool does. */
  @Override
  public Object prepare(Callable<?> call) throws IOException {
    try (ObjectOutputStream out = new ObjectOutputStream(OutputStream.nullOutputStream())) {
      out.writeObject(call);
    }
    return call;
  }

  @Override
  public RunningTask run(BackendWorker worker, BackendTask task, TaskCallback callback) {
    ProcessPoolExecutor pool = pools.get(worker.id());
    if (pool == null || closed) {
      // Replaced, or closed: the task never reached a child JVM.
      callback.notRun(
          new WorkerFailure(
              worker.name(), -1, null, null, null, java.time.Duration.ZERO, 0, List.of()));
      return () -> {};
    }
    CompletableFuture<?> f = pool.submit((Callable<?>) task.payload());
    f.whenComplete(
        (result, failure) -> {
          if (failure == null) {
            callback.completed(result);
            return;
          }
          Throwable cause =
              failure instanceof CompletionException && failure.getCause() != null
                  ? failure.getCause()
                  : failure;
          if (cause instanceof WorkerDiedException died && died.failure().isPresent()) {
            replaced(worker, pool, died.failure().get()); // the worker's loss first
            callback.lost(died.failure().get());
          } else {
            callback.failed(cause); // the task's exception, or the cancellation stop() caused
          }
        });
    return () -> f.cancel(true); // kills the child, which the pool replaces
  }

  /**
   * The child JVM behind {@code worker} died and its pool starts another: to the executor, a lost
   * worker and a new one (the same pool, a new id), as a cluster's lost member and a new member.
   */
  private void replaced(BackendWorker worker, ProcessPoolExecutor pool, WorkerFailure failure) {
    if (pools.remove(worker.id(), pool) && !closed) {
      int at = worker.id().lastIndexOf('#');
      String base = at < 0 ? worker.id() : worker.id().substring(0, at);
      long generation = at < 0 ? 2 : Long.parseLong(worker.id().substring(at + 1)) + 1;
      BackendWorker next = new BackendWorker(base + "#" + generation, base, -1, 1);
      pools.put(next.id(), pool);
      listener.workerLost(worker, failure);
      listener.workerAdded(next);
    }
  }

  /**
   * Shuts every worker's pool down at once, killing running tasks; does not wait for the child JVMs
   * to exit (the executor calls it from whichever thread terminates it).
   */
  @Override
  public void close() {
    closed = true;
    for (ProcessPoolExecutor pool : Set.copyOf(pools.values())) {
      pool.shutdownNow();
    }
  }

  @Override
  public String toString() {
    return "LocalProcessBackend[" + count + " child JVMs" + (closed ? ", closed" : "") + "]";
  }
}
