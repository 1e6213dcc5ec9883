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
   * How long a caller watches for a reply that the hub gives at once, such as a manager's, before
   * it parks: somewhat more than a round trip on a 2-vCPU guest. A parked caller is woken by the
   * connection's reader thread, and on a VM that wake-up (a futex call, the hypervisor's interrupt
   * path) costs a good part of the round trip. Alternating runs (issue 17, session 15): manager
   * dict calls (M1) 15.3-17.3k -> 18.4-19.1k a second, list appends (M2) 10.6-12.5k -> 12.9-14.8k,
   * one call (M3) 65-71 -> 61-63 us. Not for a request that waits for another party (a get from an
   * empty queue, a pipe's recv): a caller that watches there takes a CPU that the party needs (a
   * pipe's ping-pong, C1, went 83-92 -> 104-115 us with a 60 us watch). Only with more than one
   * CPU.
   */
  static final long PROMPT_SPIN_NANOS = EventWord.SPIN_NANOS > 0 ? 100_000 : 0;

  /**
   * Watches {@code reply} for up to {@link #PROMPT_SPIN_NANOS}, yielding the CPU every fourth look;
   * the caller then waits for it as it would have.
   */
  static void watchPrompt(CompletableFuture<Wire.Frame> reply) {
    if (PROMPT_SPIN_NANOS <= 0 || reply.isDone()) {
      return;
    }
    long start = System.nanoTime();
    int looks = 0;
    while (!reply.isDone() && System.nanoTime() - start < PROMPT_SPIN_NANOS) {
      Thread.onSpinWait();
      if ((++looks & 3) == 0) {
        Thread.yield();
      }
    }
  }

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
