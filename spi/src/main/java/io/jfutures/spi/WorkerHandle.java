package io.jfutures.spi;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A launched worker: the pool's end of a private channel to it, and its lifecycle.
 *
 * <p>The pool reads from {@link #fromWorker()} on one thread, and writes to {@link #toWorker()}
 * from one thread at a time: the worker's sender thread, or a thread that submits a task while the
 * worker is idle. A writing thread may be interrupted; a write that fails then, as NIO channels do
 * by closing, ends the worker. The pool calls the other methods from any thread, so they must be
 * thread-safe.
 */
public interface WorkerHandle {

  /**
   * Returns the stream of bytes the worker sends. End-of-file means the worker is gone.
   *
   * @return the worker's output stream, read by the pool
   */
  InputStream fromWorker();

  /**
   * Returns the stream of bytes to the worker.
   *
   * @return the worker's input stream, written by the pool
   */
  OutputStream toWorker();

  /**
   * Returns the worker's process id, or -1 if it has none of its own.
   *
   * @return the worker's process id, or -1
   */
  long pid();

  /**
   * Returns a future that completes when the worker has ended. It must complete eventually once the
   * worker's channel has closed or {@link #kill()} was called.
   *
   * @return a future of how the worker ended
   */
  CompletableFuture<WorkerExit> onExit();

  /**
   * Ends the worker at once, even in the middle of a task (SIGKILL for a process), and closes the
   * channel. Idempotent; never throws.
   */
  void kill();

  /**
   * Returns the last lines the worker wrote to its standard error, oldest first.
   *
   * @return the worker's last lines of standard error, oldest first
   */
  List<String> stderrTail();
}
