package io.jfutures.samples;

import io.jfutures.multiprocessing.JvmProcess;
import io.jfutures.multiprocessing.ManagedMap;
import io.jfutures.multiprocessing.Manager;
import io.jfutures.multiprocessing.ProcessLock;
import io.jfutures.multiprocessing.SharedInt;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The tutorials' counter under a lock, in Java: many processes each decrement a shared counter, and
 * a count in a manager's dict, with a read and a write, which is a race without the lock. Then one
 * process is killed while it holds the lock: in Python the others wait for ever; here the lock is
 * freed, and the next holder is told that its owner died.
 *
 * <pre>{@code
 * def worker(lock, counter, d):
 *     with lock:
 *         counter.value -= 1          # read, then write: one process at a time
 *         d['count'] -= 1             # the same, in a Manager().dict()
 *
 * if __name__ == '__main__':
 *     lock = Lock()
 *     counter = Value('i', 100, lock=False)
 *     d = Manager().dict(count=100)
 *     ps = [Process(target=worker, args=(lock, counter, d)) for _ in range(100)]
 *     ...
 * }</pre>
 */
public final class LockCounter {
  private LockCounter() {}

  /** The target: one decrement of each, under the lock. */
  static void worker(ProcessLock lock, SharedInt counter, Map<String, Integer> d) {
    lock.lock();
    try {
      counter.set(counter.get() - 1); // not atomic on its own
      d.put("count", d.get("count") - 1); // nor is this: two round trips to the manager
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
    try (Manager manager = Manager.start()) {
      ManagedMap<String, Integer> d = manager.dict(Map.of("count", processes));
      List<JvmProcess> workers = new ArrayList<>();
      for (int i = 0; i < processes; i++) {
        workers.add(new JvmProcess(() -> worker(lock, counter, d)).start());
      }
      for (JvmProcess w : workers) {
        w.join();
      }
      out.printf(
          "%d processes decremented the counter under a ProcessLock: %d; the manager's dict: %d%n",
          processes, counter.get(), d.get("count"));
      if (d.get("count") != 0) {
        return "the dict's count is " + d.get("count");
      }

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
