package io.jfutures.multiprocessing.internal;

import io.jfutures.impl.internal.Threads;
import io.jfutures.impl.internal.jvm.ChildJvm;
import io.jfutures.impl.internal.jvm.ChildJvmSpec;
import io.jfutures.impl.internal.process.WorkerClassArchive;
import io.jfutures.multiprocessing.internal.hub.Hub;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * The parent's side of a started process: its child JVM, and a thread of its own that waits for the
 * child to connect, sends it what to run, reads its notes ({@link Control}) until the channel ends,
 * then waits for the process to exit and reports the exit code.
 *
 * <pre>
 * States: STARTING (start() returned: the JVM boots; it can be terminated or killed already)
 *      -> RUNNING (connected, launch sent: the channel is open)
 *      -> ENDING (end-of-file: the process is exiting)
 *      -> EXITED (exitCode completed, on the reader thread)
 * A child that exits before it connects, or does not connect within the start timeout (it is then
 * killed), goes from STARTING to EXITED; its standard error was copied here, and what happened is
 * printed there too, unless this side terminated or killed it.
 * </pre>
 *
 * Invariant: {@code exitCode} completes exactly once, on the reader thread, after the child's
 * process has exited and this JVM's hub, if it runs, has released what that process held there (its
 * connections closed with it); the listener given at start runs there first, and {@code reported}
 * opens once the callbacks that completing it ran have returned (a JVM that exits waits for that,
 * so that a callback on a child's exit is not cut short). A non-daemon process's reader thread is
 * not a daemon thread, so that this JVM does not end before such a child has, as Python joins
 * non-daemon children at exit. Nothing else of the library's waits on that thread: a callback that
 * stalls it stalls only this process's own report.
 */
public final class Started {
  /** The longest an exit's report waits for the hub to release what the process held there. */
  private static final Duration DEPARTURE_TIMEOUT = Duration.ofSeconds(5);

  private final ChildJvm child;
  private final boolean daemon;
  private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();

  /** Counted down once {@code exitCode} completed and the callbacks it ran have returned. */
  private final CountDownLatch reported = new CountDownLatch(1);

  private volatile int notedSignal;
  private volatile boolean hooksRan;
  private volatile boolean killedByParent;
  private volatile boolean stopRequested;

  private Started(ChildJvm child, boolean daemon) {
    this.child = child;
    this.daemon = daemon;
  }

  /**
   * Starts a child JVM for a process and returns at once, as Python's {@code start()} does: the
   * process's own thread waits for the child to connect, sends it {@code launch}, and reads its
   * notes. {@code onExit} gets the exit code before {@link #exitCode()} completes.
   *
   * @throws IOException if the child JVM's process could not be started
   */
  public static Started start(ChildJvmSpec spec, byte[] launch, boolean daemon, IntConsumer onExit)
      throws IOException {
    return adopt(ChildJvm.launch(spec), spec.name(), launch, daemon, onExit);
  }

  /**
   * As {@link #start}, with a child JVM launched already: a spare that {@link Standby} kept, which
   * runs the process named {@code name}.
   */
  public static Started adopt(
      ChildJvm child, String name, byte[] launch, boolean daemon, IntConsumer onExit) {
    Started started = new Started(child, daemon);
    Runnable watch = () -> started.watch(launch, onExit);
    String threadName = name + "-notes";
    // A non-daemon process holds this JVM (and mvn exec:java) open until it exits; a daemon one
    // holds nothing.
    Thread reader =
        daemon ? Threads.newDaemonInRootGroup(watch, threadName) : new Thread(watch, threadName);
    reader.start();
    return started;
  }

  private void watch(byte[] launch, IntConsumer onExit) {
    try {
      child.awaitConnected();
      DataOutputStream out = new DataOutputStream(child.out());
      out.writeInt(launch.length);
      out.write(launch);
      out.flush();
      WorkerClassArchive.checkMapped(child.spec().jvmOptions(), child.pid());
      readNotes();
    } catch (IOException e) {
      // Never connected (it exited, or overran the start timeout and was killed), or died before
      // it read what to run: its exit code says so, and its standard error was copied here.
      if (!stopRequested) {
        System.getLogger("io.jfutures.multiprocessing")
            .log(System.Logger.Level.WARNING, e.getMessage());
      }
    }
    child.closeChannel();
    int value = child.onExit().join();
    try {
      // What it held in this JVM's hub (locks, permits, leases) is released before anyone hears
      // that it exited: the kernel closed its connections, and the hub reads their end at once.
      Hub.awaitDeparted(child.pid(), DEPARTURE_TIMEOUT);
      // A child that exits with its work done closed its connections while it still ran: its
      // locks waited for a second look at it, which its exit, seen here, makes needless.
      Hub.processExited(child.pid());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // never interrupted: nothing else uses this thread
    }
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

  private void readNotes() {
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

  /** Returns the last lines the child wrote to its standard error, and a fatal error's banner. */
  public java.util.List<String> stderrTail() {
    return child.stderrTail();
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
    stopRequested = true;
    child.terminate();
  }

  /** Sends SIGKILL. */
  public void kill() {
    stopRequested = true;
    killedByParent = true;
    child.kill();
  }
}
