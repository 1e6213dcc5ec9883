package io.jfutures.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A manager in this JVM: the same requests and replies as from another process, answered here, with
 * arguments and results copied. ManagerIT runs one in a JVM of its own, with clients in others.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
final class ManagerTest {
  /** A user type, called through its interface. */
  public interface Counter {
    int increment(int by);

    int value();

    Counter child(); // a registered type: comes back as a proxy

    void fail(String message);
  }

  static final class CounterImpl implements Counter, Serializable {
    private static final long serialVersionUID = 1L;
    private final AtomicInteger value = new AtomicInteger();

    @Override
    public int increment(int by) {
      return value.addAndGet(by);
    }

    @Override
    public int value() {
      return value.get();
    }

    @Override
    public Counter child() {
      CounterImpl c = new CounterImpl();
      c.value.set(100);
      return c;
    }

    @Override
    public void fail(String message) {
      throw new IllegalArgumentException(message);
    }
  }

  private final Manager manager =
      Manager.newBuilder().register("Counter", CounterImpl::new, Counter.class).inThisJvm().start();

  @AfterEach
  void shutDown() {
    manager.shutdown();
  }

  @Test
  void aDict_isAConcurrentMapInInsertionOrder_withNulls_andCopies() {
    ManagedMap<String, List<Integer>> d = manager.dict();
    List<Integer> value = new ArrayList<>(List.of(1));
    assertNull(d.put("b", value));
    value.add(2); // a copy was put: this changes nothing there
    d.put("a", null);
    d.put(null, List.of());
    assertEquals(List.of(1), d.get("b"));
    assertTrue(d.containsKey("a"));
    assertEquals(3, d.size());
    assertEquals(List.of("b", "a"), new ArrayList<>(d.keySet()).subList(0, 2));
    assertThrows(UnsupportedOperationException.class, () -> d.keySet().clear());
    assertNull(d.putIfAbsent("c", List.of(3)));
    assertEquals(List.of(3), d.putIfAbsent("c", List.of(4)));
    assertTrue(d.replace("c", List.of(3), List.of(5)));
    assertFalse(d.remove("c", List.of(3)));
    d.putAll(Map.of("x", List.of(9)));
    assertEquals(List.of(List.of(9), List.of(1)), d.getAll(List.of("x", "b")));
    assertEquals(5, d.copy().size());
    assertEquals(List.of(1), d.remove("b"));
    d.clear();
    assertTrue(d.isEmpty());
  }

  /** Iteration by pages: a map larger than a page is walked whole, in order, from a snapshot. */
  @Test
  void aDictsViews_iterateBySnapshotPages_andAreReadOnly() {
    int n = 2 * ManagedMap.PAGE + 7;
    Map<Integer, Integer> expected = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      expected.put(i, i * i);
    }
    ManagedMap<Integer, Integer> d = manager.dict(expected);
    List<Integer> keys = new ArrayList<>();
    for (Integer k : d.keySet()) {
      if (k == 0) {
        d.put(-1, -1); // put after the snapshot: not seen by this walk
        d.remove(n - 1); // removed after it: still seen by this walk
      }
      keys.add(k);
    }
    assertEquals(new ArrayList<>(expected.keySet()), keys);
    expected.put(-1, -1);
    expected.remove(n - 1);
    Map<Integer, Integer> copied = new LinkedHashMap<>(d); // through entrySet's pages
    assertEquals(expected, copied);
    assertEquals(new ArrayList<>(expected.values()), new ArrayList<>(d.values()));
    assertEquals(expected, d); // AbstractMap.equals walks the entries by pages
    assertEquals(n, d.keySet().size());
    assertTrue(d.keySet().contains(-1));
    assertTrue(d.values().contains(4));
    assertTrue(d.entrySet().contains(Map.entry(2, 4)));
    assertFalse(d.entrySet().contains(Map.entry(2, 5)));
    assertThrows(UnsupportedOperationException.class, () -> d.keySet().remove(2));
    assertThrows(UnsupportedOperationException.class, () -> d.values().clear());
    assertThrows(
        UnsupportedOperationException.class, () -> d.entrySet().iterator().next().setValue(0));
    ManagedList<Integer> l = manager.list(keys);
    assertEquals(keys, new ArrayList<>(l)); // ArrayList(Collection) uses toArray: one copy
    List<Integer> walked = new ArrayList<>();
    l.iterator().forEachRemaining(walked::add);
    assertEquals(keys, walked);
  }

  @Test
  void anArray_isAListOfFixedLength() {
    ManagedList<Integer> zeros = manager.array(3, 0);
    assertEquals(List.of(0, 0, 0), zeros.copy());
    assertEquals(0, zeros.set(1, 5));
    assertEquals(5, zeros.get(1));
    UnsupportedOperationException e =
        assertThrows(UnsupportedOperationException.class, () -> zeros.add(4));
    assertTrue(e.getMessage().contains("fixed length"), e.getMessage());
    assertThrows(UnsupportedOperationException.class, () -> zeros.remove(0));
    assertThrows(UnsupportedOperationException.class, zeros::clear);
    assertEquals(List.of(0, 5, 0), zeros.copy(), "nothing changed");
    assertEquals(List.of("a", "b"), manager.array(List.of("a", "b")).copy());
    assertThrows(IllegalArgumentException.class, () -> manager.array(-1, 0));
  }

  @Test
  void aDictsComputeAndMerge_areAtomicAcrossThreads() throws Exception {
    ManagedMap<String, Integer> d = manager.dict(Map.of("n", 0));
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        done.add(
            threads.submit(
                () -> {
                  for (int k = 0; k < 100; k++) {
                    d.merge("n", 1, Integer::sum);
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      threads.shutdownNow();
    }
    assertEquals(400, d.get("n"));
  }

  @Test
  void aList_isAList_ofCopies_whoseIteratorWalksACopy() {
    ManagedList<String> l = manager.list(List.of("a", "b"));
    l.add("c");
    l.add(0, "z");
    assertEquals(List.of("z", "a", "b", "c"), l.copy());
    assertEquals("a", l.set(1, "A"));
    assertEquals(2, l.indexOf("b"));
    l.addAll(List.of("d", "e"));
    l.subList(4, 6).clear();
    assertEquals(List.of("z", "A", "b", "c"), l);
    for (String s : l) {
      l.add(s + "!"); // walks a copy: no ConcurrentModificationException, and it ends
    }
    assertEquals(8, l.size());
    assertThrows(IndexOutOfBoundsException.class, () -> l.get(99));
    assertEquals("z", l.remove(0));
  }

  @Test
  void aNamespaceAndAValue_holdCopies() {
    Namespace ns = manager.namespace();
    ns.set("x", 1);
    ns.set("y", "two");
    assertEquals(1, (int) ns.get("x"));
    assertTrue(ns.has("y"));
    NoSuchElementException missing = assertThrows(NoSuchElementException.class, () -> ns.get("z"));
    assertTrue(missing.getMessage().contains("'z'"), missing.getMessage());
    assertEquals(Map.of("x", 1, "y", "two"), ns.asMap());
    assertEquals("two", ns.delete("y"));

    ManagedValue<Double> v = manager.value(0.5);
    v.set(1.5);
    assertTrue(v.compareAndSet(1.5, 2.5));
    assertEquals(2.5, v.get());
  }

  @Test
  void aRegisteredType_isCalledThroughItsInterface_andReturnsProxiesOfRegisteredTypes() {
    Counter c = manager.create("Counter", Counter.class);
    assertEquals(2, c.increment(2));
    assertEquals(5, c.increment(3));
    Counter child = c.child();
    assertEquals(101, child.increment(1));
    assertEquals(5, c.value(), "the child is an object of its own");
    assertEquals(c, c);
    IllegalArgumentException thrown =
        assertThrows(IllegalArgumentException.class, () -> c.fail("as thrown there"));
    assertEquals("as thrown there", thrown.getMessage());

    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> manager.create("Nope", Counter.class));
    assertTrue(unknown.getMessage().contains("no type registered as 'Nope'"), unknown.getMessage());
    assertThrows(IllegalArgumentException.class, () -> manager.create("Counter", Runnable.class));
    assertThrows(
        IllegalArgumentException.class,
        () -> Manager.newBuilder().register("Impl", CounterImpl::new, CounterImpl.class));
  }

  @Test
  void theManagersPrimitives_work() throws Exception {
    ProcessLock lock = manager.rlock();
    ProcessCondition cond = manager.condition(lock);
    lock.lock();
    try {
      assertFalse(cond.await(java.time.Duration.ofMillis(10)));
    } finally {
      lock.unlock();
    }
    ProcessQueue<String> q = manager.queue();
    q.put("x");
    assertEquals("x", q.get());
    assertEquals(2, manager.semaphore(2).availablePermits());
  }

  @Test
  void afterShutdown_everyCallFailsAsUnavailable() {
    ManagedMap<String, Integer> d = manager.dict();
    d.put("a", 1);
    assertTrue(manager.isAlive());
    manager.shutdown();
    assertFalse(manager.isAlive());
    assertThrows(ManagerUnavailableException.class, () -> d.get("a"));
    assertThrows(ManagerUnavailableException.class, manager::dict);
  }
}
