package io.jfutures.multiprocessing;

import static io.jfutures.multiprocessing.SharedMemoryTest.roundTrip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.multiprocessing.internal.hub.LockWords;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
final class SharedListTest {
  private final List<SharedList> owned = new ArrayList<>();

  private SharedList create(List<?> values) {
    SharedList l = SharedList.create(values);
    owned.add(l);
    return l;
  }

  @AfterEach
  void unlinkAll() {
    owned.forEach(SharedList::unlink);
  }

  @Test
  void itHoldsPythonsKindsOfValue_asTheTypesThatWereStored() {
    SharedList l =
        create(Arrays.asList("howdy", 42, 7L, 3.5, true, null, new byte[] {1, 2, 3}, "é"));
    assertEquals(8, l.size());
    assertEquals("howdy", l.get(0));
    assertEquals(42, l.get(1));
    assertEquals(7L, l.get(2));
    assertEquals(3.5, l.get(3));
    assertEquals(true, l.get(4));
    assertNull(l.get(5));
    assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) l.get(6));
    assertEquals("é", l.get(7));
    assertEquals(8, l.room(0));
    assertEquals(1, l.indexOf(42));
    assertThrows(IndexOutOfBoundsException.class, () -> l.get(8));
  }

  @Test
  void anElementTakesAnyValueThatFitsItsRoom_andSaysWhenOneDoesNot() {
    SharedList l = create(List.of("a string of 24 bytes....", 1));
    assertEquals(24, l.room(0));
    assertEquals("a string of 24 bytes....", l.set(0, 99L));
    assertEquals(99L, l.set(0, "short"));
    assertEquals("short", l.get(0));
    assertEquals(1, l.set(1, "8 bytes!"));
    IllegalArgumentException tooLong =
        assertThrows(IllegalArgumentException.class, () -> l.set(1, "nine byte"));
    assertTrue(tooLong.getMessage().contains("has room for 8 bytes"), tooLong.getMessage());
    IllegalArgumentException badType =
        assertThrows(IllegalArgumentException.class, () -> l.set(1, new Object()));
    assertTrue(badType.getMessage().contains("Manager's list"), badType.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SharedList.create(List.of(1.5f)));
    assertThrows(UnsupportedOperationException.class, () -> l.add("more"));
    assertThrows(UnsupportedOperationException.class, () -> l.remove(0));
    assertEquals("8 bytes!", l.get(1), "a refused set changes nothing");
  }

  @Test
  void anotherHandle_byNameOrSerialized_seesTheSameMemory() throws Exception {
    SharedList l = create(List.of(0, "xx"));
    SharedList byName = SharedList.attach(l.name());
    SharedList sent = roundTrip(l);
    byName.set(0, 5);
    assertEquals(5, l.get(0));
    assertEquals(5, sent.get(0));
    sent.set(1, "yy");
    assertEquals("yy", l.get(1));
    assertThrows(IllegalStateException.class, byName::unlink, "only the owner unlinks");
    byName.close();
    sent.close();
    SharedMemory other = SharedMemory.create(64);
    try {
      assertThrows(IllegalArgumentException.class, () -> SharedList.attach(other.name()));
    } finally {
      other.unlink();
    }
  }

  /** Atomic across threads as across processes: a reader never sees half of two writes. */
  @Test
  void readersNeverSeeATornValue_whileWritersRace() throws Exception {
    String as = "a".repeat(64 * 1024);
    String bs = "b".repeat(64 * 1024);
    SharedList l = create(List.of(as));
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<String> torn = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < 2; w++) {
      threads.add(
          new Thread(
              () -> {
                for (long k = 0; !stop.get(); k++) {
                  l.set(0, k % 2 == 0 ? bs : as);
                }
              }));
    }
    threads.add(
        new Thread(
            () -> {
              for (int k = 0; k < 5_000 && torn.get() == null; k++) {
                String v = (String) l.get(0);
                if (!v.equals(as) && !v.equals(bs)) {
                  torn.set(v.substring(0, 8) + "..." + v.substring(v.length() - 8));
                }
              }
              stop.set(true);
            }));
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    assertNull(torn.get(), "a torn read");
  }

  /** A writer whose process died in the middle of a set is replaced; the value stayed whole. */
  @Test
  void aWriterWhoseProcessIsGone_isReplaced_andTheOldValueStands() throws Exception {
    SharedList l = create(List.of("before"));
    Process gone = new ProcessBuilder("true").start();
    assertTrue(gone.waitFor(10, TimeUnit.SECONDS));
    long deadToken = LockWords.token(gone.pid(), Thread.currentThread());
    // Element 0 starts after the header (magic, length, one room: 16 bytes) with its state word.
    var buffer = l.memory().buffer().order(ByteOrder.nativeOrder());
    int writerWord = 16 + 8;
    buffer.putLong(writerWord, deadToken);
    assertEquals("before", l.get(0), "reads never wait for a writer");
    assertEquals("before", l.set(0, "after"));
    assertEquals("after", l.get(0));
    assertEquals(0L, buffer.getLong(writerWord));
  }
}
