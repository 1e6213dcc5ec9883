package io.jfutures.samples;

import io.jfutures.multiprocessing.JvmProcess;
import io.jfutures.multiprocessing.ProcessLock;
import io.jfutures.multiprocessing.SharedInt;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The tutorials' counter under a lock, in Java: many processes each decrement a shared counter with
 * a read and a write, which is a race without the lock. Then the same with one process killed while
 * it holds the lock: in Python the others wait for ever; here the lock is freed, and the next
 * holder is told that its owner died.
 *
 * <pre>{@code
 * def worker(lock, counter):
 *     with lock:
 *         counter.value -= 1          # read, then write: one process at a time
 *
 * if __name__ == '__main__':
 *     lock = Lock()
 *     counter = Value('i', 100, lock=False)
 *     ps = [Process(target=worker, args=(lock, counter)) for _ in range(100)]
 *     ...
 * }</pre>
 */
public final class LockCounter {
  private LockCounter() {}

  /** The target: one decrement, under the lock. */
  static void worker(ProcessLock lock, SharedInt counter) {
    lock.lock();
    try {
      counter.set(counter.get() - 1); // not atomic on its own
    } finally {
      lock.unlock();
    }
  }

  /**
   * Starts {@code processes} processes that each decrement a counter that starts at {@code
   * processes}; then kills a process holding the lock, and takes the lock after it. Returns the
   * counter's final value and whether the lock's next holder was told its owner died.
   */
  public static String run(int processes, PrintStream out) throws Exception {
    ProcessLock lock = new ProcessLock();
    SharedInt counter = SharedInt.create(processes);
    try {
      List<JvmProcess> workers = new ArrayList<>();
      for (int i = 0; i < processes; i++) {
        workers.add(new JvmProcess(() -> worker(lock, counter)).start());
      }
      for (JvmProcess w : workers) {
        w.join();
      }
      out.printf(
          "%d processes decremented the counter under a ProcessLock: %d%n",
          processes, counter.get());

      JvmProcess holder =
          new JvmProcess(
                  () -> {
                    lock.lock();
                    counter.set(-1); // begins an update it never finishes
                    Thread.sleep(60_000); // inside a task: killed meanwhile
                  })
              .start();
      while (counter.get() != -1) {
        Thread.onSpinWait(); // until the holder has the lock
      }
      holder.kill();
      holder.join();
      lock.lock(); // freed by the holder's death
      try {
        out.println(
            "a process killed while holding the lock: the next holder got it; ownerDied() = "
                + lock.ownerDied());
        if (lock.ownerDied()) {
          counter.set(0); // repair what the dead holder left half done
        }
        return counter.get() + " " + lock.ownerDied();
      } finally {
        lock.unlock();
      }
    } finally {
      counter.unlink();
    }
  }
}
