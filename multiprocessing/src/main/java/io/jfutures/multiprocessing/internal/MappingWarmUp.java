package io.jfutures.multiprocessing.internal;

import io.jfutures.impl.internal.Threads;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A JVM's first {@code FileChannel.map}, made ahead on a thread of its own once the JVM is known to
 * use shared memory soon (a lock's, semaphore's, event's, condition's or barrier's handle, or a
 * pipe's end, arrived in it, from a hub on this machine), so that its first use of that object does
 * not pay for it. From JDK 18 on, that first map builds method handles for the JDK's reflective
 * construction of the buffer: 20-28 ms of CPU on JDK 25 on this project's 2-vCPU guest, against 1.7
 * ms on JDK 17, even with a class archive trained on the same path; each of L4's four children paid
 * it at its first barrier wait, inside the measured rounds. A map of no bytes of {@code /dev/null}
 * takes the same path and maps nothing. (A child that only puts into a queue maps nothing: started
 * at its connection to the hub instead, the warm-up cost G1's crew, which reports through a queue,
 * its CPU inside the measured interval.)
 *
 * <pre>
 * States: IDLE -> RUNNING (begin(), once per JVM, on JDK 18 or later) -> DONE (mapped, or failed:
 * it is only ahead of time, and the real map reports its own failure) -> DRAINED (the steps
 * queued for after it have run, in order; later ones run at once, on their caller's thread).
 * </pre>
 *
 * A map that starts while the warm-up runs waits for it (at most {@link #MAX_WAIT_MILLIS}) rather
 * than build the same method handles beside it. Thread-safe.
 */
public final class MappingWarmUp {
  /** The longest a map waits for the warm-up before it goes on alone. */
  static final long MAX_WAIT_MILLIS = 1_000;

  private static final boolean NEEDED = Runtime.version().feature() >= 18;

  private static final CountDownLatch DONE = new CountDownLatch(1);

  private static volatile boolean started;

  private static volatile boolean asked; // begin() was called, whatever the JDK: for tests

  private static final ArrayDeque<Runnable> AFTER = new ArrayDeque<>(); // guarded by the class

  private static boolean drained; // guarded by the class: DRAINED

  private MappingWarmUp() {}

  /** Starts the warm-up, unless it started already or this JDK's first map is cheap. */
  public static void begin() {
    asked = true;
    if (!NEEDED || started) {
      return;
    }
    synchronized (MappingWarmUp.class) {
      if (started) {
        return;
      }
      started = true;
    }
    try {
      Threads.newDaemonInRootGroup(new WarmUp(), "jfutures-map-warmup").start();
    } catch (OutOfMemoryError | RuntimeException e) {
      DONE.countDown(); // no thread: each map pays for itself, as without a warm-up
      runQueued();
    }
  }

  /**
   * Runs {@code step}, which maps, once the JVM's first map is made: at once, on this thread, if it
   * is made or cheap on this JDK; else on the warm-up's thread after it (begun now if need be), in
   * the order given. For a thread that must not wait 20-28 ms for it: a connection's reader, whose
   * every reply would wait too. A step handles its own failure; one that throws all the same is
   * dropped, wherever it runs, and holds up none after it.
   *
   * @param step what maps; it reports its own failure
   */
  public static void afterWarmUp(Runnable step) {
    boolean queued = false;
    if (NEEDED) {
      synchronized (MappingWarmUp.class) {
        if (!drained) {
          AFTER.add(step);
          queued = true;
        }
      }
    }
    if (queued) {
      begin();
    } else {
      runStep(step);
    }
  }

  private static void runStep(Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      // Its own: it reports it, or its caller finds out at the first use of what it made.
    }
  }

  /** Runs the steps queued for after the warm-up, until none is left: then DRAINED. */
  private static void runQueued() {
    while (true) {
      Runnable step;
      synchronized (MappingWarmUp.class) {
        step = AFTER.poll();
        if (step == null) {
          drained = true;
          return;
        }
      }
      runStep(step);
    }
  }

  /** The warm-up's thread: a class, not a method reference, which a cold JVM links slowly. */
  private static final class WarmUp implements Runnable {
    @Override
    public void run() {
      MappingWarmUp.run();
      runQueued();
    }
  }

  /** Waits for a warm-up that is running, if any; returns at once otherwise. */
  public static void awaitIfStarted() {
    if (!started || DONE.getCount() == 0) {
      return;
    }
    boolean interrupted = false;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_WAIT_MILLIS);
    while (true) {
      try {
        DONE.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        break;
      } catch (InterruptedException e) {
        interrupted = true; // kept for the caller; the wait is short and bounded
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether {@link #begin} was called in this JVM since {@link #forgetAsked}. */
  static boolean asked() {
    return asked;
  }

  /** Forgets that {@link #begin} was called (the warm-up itself runs once per JVM): for tests. */
  static void forgetAsked() {
    asked = false;
  }

  /** Whether the warm-up has run to its end in this JVM. */
  static boolean done() {
    return DONE.getCount() == 0;
  }

  private static void run() {
    try (FileChannel devNull =
        FileChannel.open(Path.of("/dev/null"), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      devNull.map(FileChannel.MapMode.READ_WRITE, 0, 0);
    } catch (IOException | RuntimeException e) {
      // Ahead of time only: the first real map builds what it needs, and reports its own failure.
    } finally {
      DONE.countDown();
    }
  }
}
