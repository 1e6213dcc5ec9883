package io.jfutures.samples;

import io.jfutures.multiprocessing.JvmProcess;
import io.jfutures.multiprocessing.ManagedList;
import io.jfutures.multiprocessing.ManagedMap;
import io.jfutures.multiprocessing.Manager;
import io.jfutures.multiprocessing.Namespace;
import io.jfutures.multiprocessing.Pool;
import java.io.PrintStream;
import java.io.Serializable;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Python's manager programs, in Java. A {@link Manager} in a JVM of its own holds a dict, a list
 * and a namespace that a child process fills; then a type registered with the manager (Python's
 * {@code BaseManager.register}) is shared by the workers of a {@link Pool}.
 *
 * <pre>{@code
 * def f(d, l, ns):
 *     d[1] = '1'; d['2'] = 2; d[0.25] = None
 *     l.reverse()
 *     ns.x = 10
 *
 * with Manager() as manager:
 *     d = manager.dict(); l = manager.list(range(10)); ns = manager.Namespace()
 *     p = Process(target=f, args=(d, l, ns)); p.start(); p.join()
 *     print(d, l, ns.x)
 *
 * class MathsManager(BaseManager): pass
 * MathsManager.register('Maths', MathsClass)
 * with MathsManager() as manager:
 *     maths = manager.Maths()
 *     with Pool(2) as pool: pool.map(maths.add, range(100))
 * }</pre>
 */
public final class ManagerTour {
  private ManagerTour() {}

  /** What the manager's registered type does, as its proxies see it. */
  public interface Maths {
    /** Adds {@code x} to the total; returns the new total. */
    long add(long x);

    /** Returns the total. */
    long total();
  }

  /** The registered type's class: it lives in the manager, called by many processes at once. */
  static final class MathsClass implements Maths, Serializable {
    private static final long serialVersionUID = 1L;
    private long total;

    @Override
    public synchronized long add(long x) {
      total += x;
      return total;
    }

    @Override
    public synchronized long total() {
      return total;
    }
  }

  /** The child's part of the first program. */
  static void f(ManagedMap<Object, Object> d, ManagedList<Integer> l, Namespace ns) {
    d.put(1, "1");
    d.put("2", 2);
    d.put(0.25, null);
    Collections.reverse(l);
    ns.set("x", 10);
  }

  /** Runs both programs; returns what the parent read. */
  public static String run(PrintStream out) throws Exception {
    String first;
    try (Manager manager = Manager.start()) {
      ManagedMap<Object, Object> d = manager.dict();
      ManagedList<Integer> l = manager.list(IntStream.range(0, 10).boxed().toList());
      Namespace ns = manager.namespace();
      JvmProcess p = new JvmProcess(() -> f(d, l, ns));
      p.start();
      p.join();
      first = d.copy() + " " + l.copy() + " x=" + ns.get("x");
      out.println("a child filled the manager's dict, list and namespace: " + first);
    }
    long total;
    try (Manager manager =
            Manager.newBuilder().register("Maths", MathsClass::new, Maths.class).start();
        Pool pool = Pool.create(2)) {
      Maths maths = manager.create("Maths", Maths.class);
      List<Long> inputs = IntStream.range(0, 100).mapToObj(i -> (long) i).toList();
      pool.map(x -> maths.add(x), inputs);
      total = maths.total();
      out.println("a pool's workers added 0..99 to one registered Maths object: total " + total);
    }
    return first + " " + total;
  }
}
