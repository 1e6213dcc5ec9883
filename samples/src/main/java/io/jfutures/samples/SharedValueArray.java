package io.jfutures.samples;

import io.jfutures.multiprocessing.JvmProcess;
import io.jfutures.multiprocessing.SharedDouble;
import io.jfutures.multiprocessing.SharedInt;
import io.jfutures.multiprocessing.SharedIntArray;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Python's shared-memory program, in Java: a child JVM writes a shared {@code double} and negates a
 * shared array of ints in place, and the parent reads what it wrote, with no copy and no message.
 * Then several processes add to one shared counter at once, with no lock, and none of their
 * increments is lost.
 *
 * <pre>{@code
 * def f(n, a):
 *     n.value = 3.1415927
 *     for i in range(len(a)):
 *         a[i] = -a[i]
 *
 * if __name__ == '__main__':
 *     num = Value('d', 0.0)
 *     arr = Array('i', range(10))
 *     p = Process(target=f, args=(num, arr))
 *     p.start()
 *     p.join()
 *     print(num.value)
 *     print(arr[:])
 * }</pre>
 */
public final class SharedValueArray {
  private SharedValueArray() {}

  /** The target: runs in the child JVM, on the parent's memory. */
  static void f(SharedDouble n, SharedIntArray a) {
    n.set(3.1415927);
    for (int i = 0; i < a.length(); i++) {
      a.set(i, -a.get(i));
    }
  }

  /**
   * Runs the tutorial, then {@code processes} processes that each add 1 to a shared counter {@code
   * times} times; returns what the parent reads: the value, the array, and the counter.
   */
  public static String run(int processes, int times, PrintStream out) throws InterruptedException {
    SharedDouble num = SharedDouble.create(0.0);
    SharedIntArray arr = SharedIntArray.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    SharedInt counter = SharedInt.create(0);
    try {
      JvmProcess p = new JvmProcess(() -> f(num, arr));
      p.start();
      p.join();
      out.println(num.get());
      out.println(Arrays.toString(arr.toArray()));

      List<JvmProcess> adders = new ArrayList<>();
      for (int k = 0; k < processes; k++) {
        adders.add(
            new JvmProcess(
                    () -> {
                      for (int i = 0; i < times; i++) {
                        counter.incrementAndGet(); // atomic: no get_lock() needed
                      }
                    })
                .start());
      }
      for (JvmProcess adder : adders) {
        adder.join();
      }
      out.printf(
          "%d processes added 1 %,d times each to one SharedInt: %,d%n",
          processes, times, counter.get());
      return num.get() + " " + Arrays.toString(arr.toArray()) + " " + counter.get();
    } finally {
      num.unlink(); // the creator removes what it made
      arr.unlink();
      counter.unlink();
    }
  }
}
