package io.jfutures.api;

import static io.jfutures.api.Awaits.await;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a call that is expected to block on a thread of its own, so the test thread can watch it
 * block and then release it by completing futures itself. The call's outcome, failures included,
 * comes back through {@link #get()}; {@link #close()} interrupts a call that is still running.
 */
final class BlockingCall<T> implements AutoCloseable {
  private final CompletableFuture<T> result = new CompletableFuture<>();
  private final Thread thread;

  private BlockingCall(Callable<T> call) {
    thread =
        new Thread(
            () -> {
              try {
                result.complete(call.call());
              } catch (Throwable t) {
                result.completeExceptionally(t);
              }
            },
            "blocking-call");
    thread.setDaemon(true);
  }

  /** Starts {@code call} on a new thread. */
  static <T> BlockingCall<T> start(Callable<T> call) {
    BlockingCall<T> blocking = new BlockingCall<>(call);
    blocking.thread.start();
    return blocking;
  }

  /** Waits until the call is parked, and fails if it returned instead. */
  BlockingCall<T> awaitBlocked() {
    await()
        .until(
            () ->
                result.isDone()
                    || thread.getState() == Thread.State.WAITING
                    || thread.getState() == Thread.State.TIMED_WAITING);
    assertFalse(result.isDone(), () -> "returned instead of blocking: " + result);
    return this;
  }

  /** Returns the call's result, waiting at most {@code LONG_DELAY}. */
  T get() throws InterruptedException, ExecutionException, TimeoutException {
    return result.get(TestTimeouts.LONG_DELAY.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Returns whether the call has returned or thrown. */
  boolean isDone() {
    return result.isDone();
  }

  /** Interrupts the call if it is still running, and waits for its thread to end. */
  @Override
  public void close() {
    thread.interrupt();
    try {
      thread.join(TestTimeouts.LONG_DELAY.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
