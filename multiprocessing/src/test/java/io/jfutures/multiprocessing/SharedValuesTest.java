package io.jfutures.multiprocessing;

import static io.jfutures.multiprocessing.SharedMemoryTest.roundTrip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
final class SharedValuesTest {
  private final List<Runnable> unlinks = new ArrayList<>();

  private <T extends SharedSlots> T owned(T value) {
    unlinks.add(value::unlink);
    return value;
  }

  @AfterEach
  void unlinkAll() {
    unlinks.forEach(Runnable::run);
  }

  @Test
  void intArray_hasTheAtomicIntegerArrayOperations() {
    SharedIntArray a = owned(SharedIntArray.of(1, 2, 3));
    assertEquals(3, a.length());
    assertEquals(2, a.get(1));
    a.set(1, 10);
    assertEquals(10, a.getAndSet(1, 11));
    assertTrue(a.compareAndSet(1, 11, 12));
    assertFalse(a.compareAndSet(1, 11, 13));
    assertEquals(12, a.getAndAdd(1, 3));
    assertEquals(20, a.addAndGet(1, 5));
    assertEquals(21, a.incrementAndGet(1));
    assertEquals(20, a.decrementAndGet(1));
    assertEquals(40, a.updateAndGet(1, x -> 2 * x));
    assertArrayEquals(new int[] {1, 40, 3}, a.toArray());
    assertThrows(IndexOutOfBoundsException.class, () -> a.get(3));
    assertThrows(IndexOutOfBoundsException.class, () -> a.set(-1, 0));
  }

  @Test
  void longAndDoubleArrays_keepTheirValues() {
    SharedLongArray l = owned(SharedLongArray.create(2));
    assertEquals(1L << 40, l.addAndGet(1, 1L << 40));
    assertArrayEquals(new long[] {0, 1L << 40}, l.toArray());
    SharedDoubleArray d = owned(SharedDoubleArray.of(0.5, 1.5));
    assertEquals(2.0, d.addAndGet(0, 1.5));
    assertTrue(d.compareAndSet(1, 1.5, -0.0));
    assertFalse(d.compareAndSet(1, 0.0, 1.0), "compared by bits: 0.0 is not -0.0");
    assertEquals(9.0, d.updateAndGet(1, x -> 9.0));
    assertArrayEquals(new double[] {2.0, 9.0}, d.toArray());
  }

  @Test
  void singleValues_areCellsOfTheirOwn() {
    SharedInt i = SharedInt.create(5);
    SharedLong l = SharedLong.create(Long.MAX_VALUE - 1);
    SharedDouble d = SharedDouble.create(0.25);
    try {
      assertEquals(6, i.incrementAndGet());
      assertEquals(Long.MAX_VALUE, l.incrementAndGet());
      assertEquals(0.75, d.addAndGet(0.5));
      try (SharedInt again = SharedInt.attach(i.name())) {
        assertEquals(7, again.incrementAndGet());
      }
      assertEquals(7, i.get());
    } finally {
      i.unlink();
      l.unlink();
      d.unlink();
    }
  }

  @Test
  void attachingAsAnotherKind_isRefusedWithWhatTheBlockHolds() {
    SharedIntArray ints = owned(SharedIntArray.create(10));
    IllegalArgumentException wrongKind =
        assertThrows(IllegalArgumentException.class, () -> SharedLongArray.attach(ints.name()));
    assertTrue(
        wrongKind.getMessage().contains("it holds 10 int element(s)"), wrongKind.getMessage());
    IllegalArgumentException notSingle =
        assertThrows(IllegalArgumentException.class, () -> SharedInt.attach(ints.name()));
    assertTrue(notSingle.getMessage().contains("attach to it as an array"), notSingle.getMessage());

    SharedMemory raw = SharedMemory.create(64);
    try {
      IllegalArgumentException notValues =
          assertThrows(IllegalArgumentException.class, () -> SharedIntArray.attach(raw.name()));
      assertTrue(notValues.getMessage().contains("not a shared value"), notValues.getMessage());
    } finally {
      raw.unlink();
    }
    assertThrows(IllegalArgumentException.class, () -> SharedIntArray.create(-1));
    assertThrows(IllegalArgumentException.class, () -> SharedLongArray.create(Integer.MAX_VALUE));
  }

  @Test
  void handles_travelByName() throws Exception {
    SharedIntArray a = owned(SharedIntArray.of(4, 5));
    SharedIntArray copy = roundTrip(a);
    copy.incrementAndGet(0);
    assertEquals(5, a.get(0));
    assertFalse(copy.memory().isOwner());
    SharedDouble d = SharedDouble.create(1.0);
    try {
      SharedDouble dCopy = roundTrip(d);
      dCopy.set(3.0);
      assertEquals(3.0, d.get());
    } finally {
      d.unlink();
    }
  }

  @Test
  void increments_fromManyThreads_areNeverLost() throws Exception {
    SharedLongArray a = owned(SharedLongArray.create(1));
    SharedLongArray other = SharedLongArray.attach(a.name()); // a second mapping of the page
    int threads = 4;
    int each = 50_000;
    CountDownLatch done = new CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      SharedLongArray mine = t % 2 == 0 ? a : other;
      new Thread(
              () -> {
                for (int k = 0; k < each; k++) {
                  mine.incrementAndGet(0);
                }
                done.countDown();
              })
          .start();
    }
    assertTrue(done.await(20, TimeUnit.SECONDS));
    assertEquals((long) threads * each, a.get(0));
  }

  @Test
  void aValueMadeWithALock_carriesItToOtherProcesses_andOneWithoutSaysSo() throws Exception {
    ProcessReentrantLock lock = new ProcessReentrantLock();
    SharedInt guarded = SharedInt.create(1, lock);
    SharedDoubleArray plain = owned(SharedDoubleArray.create(1));
    try {
      assertTrue(guarded.getLock() == lock);
      SharedInt copy = roundTrip(guarded);
      assertEquals(lock.toString(), copy.getLock().toString(), "the same lock in the same hub");
      copy.getLock().lock();
      try {
        assertTrue(lock.isHeldByCurrentThread());
        copy.set(copy.get() + 1);
      } finally {
        copy.getLock().unlock();
      }
      assertEquals(2, guarded.get());
      IllegalStateException none = assertThrows(IllegalStateException.class, plain::getLock);
      assertTrue(none.getMessage().contains("has no lock"), none.getMessage());
      assertThrows(IllegalStateException.class, () -> SharedInt.attach(guarded.name()).getLock());
    } finally {
      guarded.unlink();
    }
  }

  @Test
  void aBulkView_readsAndWritesTheSharedElementsInPlace() {
    SharedDoubleArray a = owned(SharedDoubleArray.create(4));
    java.nio.DoubleBuffer view = a.asDoubleBuffer();
    view.put(new double[] {1, 2, 3, 4});
    assertEquals(3.0, a.get(2));
    a.set(0, 9);
    assertEquals(9.0, a.asDoubleBuffer().get(0));
    assertEquals(4, a.asDoubleBuffer().remaining());
    SharedIntArray ints = owned(SharedIntArray.of(5, 6));
    assertEquals(6, ints.asIntBuffer().get(1));
    SharedLongArray longs = owned(SharedLongArray.of(7));
    assertEquals(7, longs.asLongBuffer().get(0));
  }
}
