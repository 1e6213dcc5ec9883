package io.jfutures.multiprocessing.internal.hub;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How a caller waits for the one final reply to its request, in another JVM's hub ({@link
 * HubClient}) or in its own ({@link SyncBackend}): for at most the timeout, then it cancels the
 * request and waits for the reply to the cancel, which is CANCELLED or whatever the hub had sent
 * before the cancel arrived (a served request is never dropped).
 */
final class Replies {
  private Replies() {}

  /**
   * Waits for {@code reply}, at most {@code timeoutNanos} if it is not negative; then runs {@code
   * cancel} and waits for the last reply.
   *
   * @throws InterruptedException if interrupted while waiting and the last reply is CANCELLED (if
   *     it is another, it is returned with the thread's interrupt set again)
   * @throws ExecutionException if the reply failed (the hub is gone)
   */
  static Wire.Frame await(CompletableFuture<Wire.Frame> reply, long timeoutNanos, Runnable cancel)
      throws InterruptedException, ExecutionException {
    boolean interrupted = false;
    try {
      return timeoutNanos < 0 ? reply.get() : reply.get(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      interrupted = true;
    } catch (TimeoutException e) {
      // cancel below
    }
    cancel.run();
    Wire.Frame last = uninterruptibly(reply);
    if (interrupted) {
      if (last.op() == Wire.CANCELLED) {
        throw new InterruptedException();
      }
      Thread.currentThread().interrupt(); // it came anyway: keep it, and the interrupt
    }
    return last;
  }

  /** Waits for {@code reply}, however long; an interrupt meanwhile is kept for later. */
  static Wire.Frame uninterruptibly(CompletableFuture<Wire.Frame> reply) throws ExecutionException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return reply.get();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
