package io.jfutures.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The worker's side of the protocol, for launchers that run a worker inside the current JVM. {@link
 * #serve} runs tasks read from {@code fromPool} and writes their outcomes to {@code toPool} until
 * the pool tells it to stop or the channel closes.
 */
@FunctionalInterface
public interface WorkerEntryPoint {

  /**
   * Serves the pool on the given channel; returns when the pool asks the worker to stop or when
   * {@code fromPool} reaches end-of-file.
   *
   * @param fromPool the stream of bytes from the pool
   * @param toPool the stream of bytes to the pool
   * @throws IOException if the channel fails
   */
  void serve(InputStream fromPool, OutputStream toPool) throws IOException;
}
