package io.jfutures.impl.internal.process;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.api.BrokenProcessPoolException;
import io.jfutures.impl.internal.TaskFuture;
import java.io.Serializable;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The pool's own verdicts, with workers that are never launched: their sender threads do nothing,
 * or cannot start.
 */
final class ProcessPoolTest {
  /** The error a thread that cannot start throws, as the JVM's "unable to create native thread". */
  private final OutOfMemoryError noThread = new OutOfMemoryError("unable to create native thread");

  /** How many sender threads were made; the first does nothing, the others cannot be made. */
  private final AtomicInteger threads = new AtomicInteger();

  private final ProcessPool pool =
      new ProcessPool(
          TestPools.config(
              1,
              r -> {
                if (threads.getAndIncrement() > 0) {
                  throw noThread;
                }
                return new Thread(() -> {});
              }));

  private static final Callable<Integer> ONE = (Callable<Integer> & Serializable) () -> 1;

  @Test
  void schedule_aWorkerThatCannotStartWhileOthersWaitForNone_breaksThePool() throws Exception {
    TaskFuture<Integer> waiting = pool.schedule(ONE); // its worker starts, and will never launch
    PoolWorker retiring;
    pool.lock.lock();
    try {
      retiring = pool.workers.list().get(0);
      retiring.state = PoolWorker.State.RETIRING; // as after its last task: it takes no more
    } finally {
      pool.lock.unlock();
    }

    RejectedExecutionException refused =
        assertThrows(RejectedExecutionException.class, () -> pool.schedule(ONE));
    assertSame(noThread, refused.getCause());
    ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(10, SECONDS));
    BrokenProcessPoolException broken =
        assertInstanceOf(BrokenProcessPoolException.class, e.getCause());
    assertSame(noThread, broken.getCause());
    assertTrue(pool.isShutdown());
    BrokenProcessPoolException later =
        assertThrows(BrokenProcessPoolException.class, () -> pool.schedule(ONE));
    assertSame(noThread, later.getCause());

    pool.lock.lock();
    try {
      pool.workers.gone(retiring); // it was never launched: nobody else reports its end
    } finally {
      pool.lock.unlock();
    }
    pool.shutdownNow();
    assertTrue(pool.isTerminated());
  }
}
