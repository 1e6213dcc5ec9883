package io.jfutures.samples;

import io.jfutures.multiprocessing.JvmProcess;
import io.jfutures.multiprocessing.ProcessBarrier;
import io.jfutures.multiprocessing.ProcessCondition;
import io.jfutures.multiprocessing.ProcessEvent;
import io.jfutures.multiprocessing.ProcessLock;
import io.jfutures.multiprocessing.ProcessSemaphore;
import io.jfutures.multiprocessing.SharedInt;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Python's other synchronization primitives across processes, in Java: an {@link ProcessEvent} is
 * the start signal for {@code workers} processes; a {@link ProcessSemaphore} lets two of them work
 * at a time; a {@link ProcessCondition} wakes the parent when the last has finished; and a {@link
 * ProcessBarrier} holds them together for three rounds, its action counting the rounds.
 *
 * <pre>{@code
 * def worker(start, slots, lock, done, barrier, ...):
 *     start.wait()
 *     with slots:                      # two at a time
 *         work()
 *     with done:                       # Condition
 *         finished.value += 1
 *         done.notify_all()
 *     for _ in range(3):
 *         barrier.wait()
 * }</pre>
 */
public final class SyncTour {
  private SyncTour() {}

  /** What each worker process runs. */
  static void worker(
      ProcessEvent start,
      ProcessSemaphore slots,
      SharedInt working,
      SharedInt mostAtOnce,
      ProcessCondition done,
      SharedInt finished,
      ProcessBarrier barrier)
      throws Exception {
    start.await();
    slots.acquire();
    try {
      int now = working.incrementAndGet();
      mostAtOnce.updateAndGet(most -> Math.max(most, now));
      Thread.sleep(50); // a task body that takes a while
      working.decrementAndGet();
    } finally {
      slots.release();
    }
    done.lock().lock();
    try {
      finished.incrementAndGet();
      done.signalAll();
    } finally {
      done.lock().unlock();
    }
    for (int round = 0; round < 3; round++) {
      barrier.await();
    }
  }

  /** Runs the tour with {@code workers} processes; returns what it saw. */
  public static String run(int workers, PrintStream out) throws Exception {
    ProcessEvent start = new ProcessEvent();
    ProcessSemaphore slots = new ProcessSemaphore(2);
    ProcessLock lock = new ProcessLock();
    ProcessCondition done = lock.newCondition();
    SharedInt working = SharedInt.create(0);
    SharedInt mostAtOnce = SharedInt.create(0);
    SharedInt finished = SharedInt.create(0);
    SharedInt rounds = SharedInt.create(0);
    ProcessBarrier barrier = new ProcessBarrier(workers, rounds::incrementAndGet);
    try {
      List<JvmProcess> started = new ArrayList<>();
      for (int i = 0; i < workers; i++) {
        started.add(
            new JvmProcess(() -> worker(start, slots, working, mostAtOnce, done, finished, barrier))
                .start());
      }
      out.println(workers + " processes wait for the start Event");
      start.set();
      lock.lock();
      try {
        boolean all = done.waitFor(() -> finished.get() == workers, Duration.ofMinutes(1));
        out.printf(
            "the Condition woke the parent: %d finished (%s), at most %d at once under a"
                + " Semaphore(2)%n",
            finished.get(), all, mostAtOnce.get());
      } finally {
        lock.unlock();
      }
      for (JvmProcess p : started) {
        p.join();
      }
      out.printf("the Barrier's action ran %d times (once per round)%n", rounds.get());
      return finished.get() + " " + mostAtOnce.get() + " " + rounds.get();
    } finally {
      for (SharedInt value : List.of(working, mostAtOnce, finished, rounds)) {
        value.unlink();
      }
    }
  }
}
