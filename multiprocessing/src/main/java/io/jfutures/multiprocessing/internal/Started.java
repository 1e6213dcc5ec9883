package io.jfutures.multiprocessing.internal;

import io.jfutures.impl.internal.Threads;
import io.jfutures.impl.internal.jvm.ChildJvm;
import io.jfutures.impl.internal.jvm.ChildJvmSpec;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * The parent's side of a started process: its child JVM, and a thread of its own that reads the
 * child's notes ({@link Control}) until the channel ends, then waits for the process to exit and
 * reports the exit code.
 *
 * <pre>
 * States: RUNNING (the channel is open) -> ENDING (end-of-file: the process is exiting)
 *      -> EXITED (exitCode completed, on the reader thread)
 * </pre>
 *
 * Invariant: {@code exitCode} completes exactly once, on the reader thread, after the child's
 * process has exited; the listener given at start runs there first, and {@code reported} opens once
 * the callbacks that completing it ran have returned (a JVM that exits waits for that, so that a
 * callback on a child's exit is not cut short). A non-daemon process's reader thread is not a
 * daemon thread, so that this JVM does not end before such a child has, as Python joins non-daemon
 * children at exit. Nothing else of the library's waits on that thread: a callback that stalls it
 * stalls only this process's own report.
 */
public final class Started {
  private final ChildJvm child;
  private final boolean daemon;
  private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();

  /** Counted down once {@code exitCode} completed and the callbacks it ran have returned. */
  private final CountDownLatch reported = new CountDownLatch(1);

  private volatile int notedSignal;
  private volatile boolean hooksRan;
  private volatile boolean killedByParent;

  private Started(ChildJvm child, boolean daemon) {
    this.child = child;
    this.daemon = daemon;
  }

  /**
   * Starts a child JVM for a process and sends it {@code launch}; {@code onExit} gets the exit code
   * before {@link #exitCode()} completes.
   *
   * @throws IOException if the child JVM could not be started
   */
  public static Started start(ChildJvmSpec spec, byte[] launch, boolean daemon, IntConsumer onExit)
      throws IOException {
    ChildJvm child = ChildJvm.start(spec);
    Started started = new Started(child, daemon);
    try {
      DataOutputStream out = new DataOutputStream(child.out());
      out.writeInt(launch.length);
      out.write(launch);
      out.flush();
    } catch (IOException e) {
      // The child died before it read what to run: its exit code says so.
    }
    Runnable notes = () -> started.readNotes(onExit);
    String threadName = spec.name() + "-notes";
    // A non-daemon process holds this JVM (and mvn exec:java) open until it exits; a daemon one
    // holds nothing.
    Thread reader =
        daemon ? Threads.newDaemonInRootGroup(notes, threadName) : new Thread(notes, threadName);
    reader.start();
    return started;
  }

  private void readNotes(IntConsumer onExit) {
    InputStream in = child.in();
    try {
      for (int b = in.read(); b >= 0; b = in.read()) {
        if (b == Control.HOOKS) {
          hooksRan = true;
        } else if (b == Control.SIGNAL) {
          int signal = in.read();
          if (signal > 0) {
            notedSignal = signal;
          }
        }
      }
    } catch (IOException e) {
      // the channel failed: the process is gone or going
    }
    child.closeChannel();
    int value = child.onExit().join();
    int code = ExitCodes.of(value, notedSignal, hooksRan, killedByParent);
    try {
      onExit.accept(code);
    } finally {
      try {
        exitCode.complete(code);
      } finally {
        reported.countDown();
      }
    }
  }

  /**
   * Waits until the exit code is reported and the callbacks on it have run, at most {@code
   * timeoutNanos} if it is positive; returns whether that happened.
   */
  boolean awaitReported(long timeoutNanos) throws InterruptedException {
    if (timeoutNanos <= 0) {
      reported.await();
      return true;
    }
    return reported.await(timeoutNanos, TimeUnit.NANOSECONDS);
  }

  /** Returns the exit code in Python's convention, completed once the process has exited. */
  public CompletableFuture<Integer> exitCode() {
    return exitCode;
  }

  /** Returns the child's process id. */
  public long pid() {
    return child.pid();
  }

  /** Whether this is a daemon process. */
  public boolean daemon() {
    return daemon;
  }

  /** Sends SIGTERM. */
  public void terminate() {
    child.terminate();
  }

  /** Sends SIGKILL. */
  public void kill() {
    killedByParent = true;
    child.kill();
  }
}
