package io.jfutures.impl;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.impl.internal.process.InProcessLauncher;
import io.jfutures.spi.WorkerHandle;
import io.jfutures.spi.WorkerLauncher;
import io.jfutures.spi.WorkerSpec;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * cancel(true) of a task sent ahead to a busy worker: the worker may begin it before word of the
 * cancel could reach it, so the cancel must fail (return false) and let it run, never return true
 * and let it run anyway. In-process workers, so that a task and the test share a latch.
 */
final class SentAheadCancelTest {
  private static final CountDownLatch B_BEGAN = new CountDownLatch(1);

  private static int markBegun() {
    B_BEGAN.countDown();
    return 2;
  }

  @Test
  @SuppressWarnings("serial") // its lambda calls a private method of this test: nothing to guard
  void cancelOfATaskSentAheadThatTheWorkerBegan_returnsFalse_andTheTaskCompletes()
      throws Exception {
    HeldOutcomes launcher = new HeldOutcomes();
    try (ProcessPoolExecutor pool =
        ProcessPoolExecutor.newBuilder().maxWorkers(1).launcher(launcher).build()) {
      for (int i = 0; i < 5; i++) {
        pool.submit(() -> 1).get(30, SECONDS); // the worker's tasks are short: it gets sent ahead
      }
      launcher.hold(); // the pool reads nothing more from the worker for now
      CompletableFuture<Integer> a = pool.submit(() -> 1);
      CompletableFuture<Integer> b = pool.submit(SentAheadCancelTest::markBegun);
      // The worker finished A and began B, but the pool has not yet read A's outcome: to the
      // pool, B waits behind A in the worker.
      assertTrue(B_BEGAN.await(30, SECONDS));
      boolean cancelled = b.cancel(true);
      launcher.release();
      assertFalse(cancelled, "cancel(true) returned true for a task that ran");
      assertEquals(1, a.get(30, SECONDS));
      assertEquals(2, b.get(30, SECONDS));
    } finally {
      launcher.release();
    }
  }

  /** In-process workers whose outcomes can be held back from the pool, then let through. */
  private static final class HeldOutcomes implements WorkerLauncher {
    private final WorkerLauncher inProcess = new InProcessLauncher();
    private volatile CountDownLatch gate = new CountDownLatch(0);

    void hold() {
      gate = new CountDownLatch(1);
    }

    void release() {
      gate.countDown();
    }

    @Override
    public String name() {
      return "held-outcomes";
    }

    @Override
    public WorkerHandle launch(WorkerSpec spec) throws IOException {
      WorkerHandle handle = inProcess.launch(spec);
      InputStream held =
          new FilterInputStream(handle.fromWorker()) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
              int n = in.read(b, off, len);
              try {
                // After the read, so that bytes a read already waiting for them gets are held too;
                // bounded, so that a test that fails cannot hang.
                gate.await(30, SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException();
              }
              return n;
            }
          };
      return new ForwardingWorkerHandle(handle) {
        @Override
        public InputStream fromWorker() {
          return held;
        }
      };
    }
  }
}
