package io.jfutures.impl;

import io.jfutures.impl.internal.process.LocalJvmLauncher;
import io.jfutures.spi.WorkerHandle;
import io.jfutures.spi.WorkerLauncher;
import io.jfutures.spi.WorkerSpec;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Local child JVMs whose bytes reach the pool slowly once a large frame is being read: as over a
 * slow or busy channel. Small frames (task outcomes, READY) pass at once; the pool reads a large
 * byte array straight off the channel, in reads of more than its 64 KiB buffer, and those are cut
 * to 64 KiB and delayed, or, if {@link #stalling}, stopped after the first until the worker is
 * killed (as from a worker frozen mid-frame), or for 30 s at most.
 */
final class SlowChannelLauncher implements WorkerLauncher {
  private static final int BUFFER = 64 * 1024;

  private final WorkerLauncher local = new LocalJvmLauncher();
  private final long delayMillis;
  private final boolean stall;

  private SlowChannelLauncher(long delayMillis, boolean stall) {
    this.delayMillis = delayMillis;
    this.stall = stall;
  }

  /** Each large read returns at most 64 KiB, after {@code delayMillis}. */
  static SlowChannelLauncher delaying(long delayMillis) {
    return new SlowChannelLauncher(delayMillis, false);
  }

  /** The first large read returns 64 KiB; the next waits until the worker is killed. */
  static SlowChannelLauncher stalling() {
    return new SlowChannelLauncher(0, true);
  }

  @Override
  public String name() {
    return "slow-channel";
  }

  @Override
  public WorkerHandle launch(WorkerSpec spec) throws IOException {
    WorkerHandle handle = local.launch(spec);
    CountDownLatch killed = new CountDownLatch(1);
    InputStream slow =
        new FilterInputStream(handle.fromWorker()) {
          private boolean passedOne;

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            if (len <= BUFFER) {
              return in.read(b, off, len);
            }
            try {
              if (stall && passedOne) {
                // Until the pool's verdict kills the worker; bounded, so that a pool that never
                // gives it fails the test instead of hanging it.
                killed.await(30, TimeUnit.SECONDS);
              } else if (delayMillis > 0) {
                TimeUnit.MILLISECONDS.sleep(delayMillis); // the slowness under test
              }
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new InterruptedIOException();
            }
            passedOne = true;
            return in.read(b, off, BUFFER);
          }
        };
    return new ForwardingWorkerHandle(handle) {
      @Override
      public InputStream fromWorker() {
        return slow;
      }

      @Override
      public void kill() {
        super.kill();
        killed.countDown();
      }
    };
  }
}
