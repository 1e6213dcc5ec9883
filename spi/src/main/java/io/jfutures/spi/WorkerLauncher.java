package io.jfutures.spi;

import java.io.IOException;

/**
 * Starts workers for a process pool. Implementations are found with {@link java.util.ServiceLoader}
 * (register them in {@code META-INF/services/io.jfutures.spi.WorkerLauncher} or with {@code
 * provides} in {@code module-info.java}) and chosen by {@link #name()}, or handed to the pool's
 * builder directly.
 *
 * <p><b>What the worker must run.</b> The launched worker runs {@link WorkerSpec#entryPoint()}: in
 * another JVM, by running the class {@link WorkerSpec#mainClass()} with the spec's class path,
 * module path, JVM options and environment (see that method for its arguments); in this JVM, by
 * calling {@link WorkerEntryPoint#serve} with the two ends of a private channel.
 *
 * <p><b>Misbehaviour.</b> If {@link #launch} throws, the pool treats it as a worker that could not
 * start: under the default policy the pool breaks, and every pending task fails with {@link
 * io.jfutures.api.BrokenProcessPoolException} whose cause is what {@code launch} threw. A handle
 * whose worker is already dead, or dies before it answers, is detected when its channel reaches
 * end-of-file, and handled as a worker that died. A handle whose channel never answers is given up
 * after {@link WorkerSpec#startTimeout()}, {@link WorkerHandle#kill() killed}, and handled the same
 * way. Returning null is treated as throwing.
 *
 * <p>Implementations must be thread-safe: the pool may launch several workers at once, each from
 * its own thread.
 */
public interface WorkerLauncher {

  /**
   * Returns the name the builder selects this launcher by, as {@code local-jvm}.
   *
   * @return the launcher's name
   */
  String name();

  /**
   * Starts one worker and returns a handle whose channel is connected to it. May block while the
   * worker starts, up to {@link WorkerSpec#startTimeout()}.
   *
   * @param spec what to start
   * @return a handle whose channel is connected to the worker
   * @throws IOException if the worker could not be started
   */
  WorkerHandle launch(WorkerSpec spec) throws IOException;
}
