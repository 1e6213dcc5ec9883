package io.jfutures.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Messages past the 2 GiB a frame carries, for real: refused in the sending child before its first
 * byte, with the connection or queue usable after; and a large legal one arrives intact.
 */
final class LargeMessageIT {
  /**
   * Enough heap for the sender to hold 2 GiB of serialized form and find it too large, with the
   * serial collector, whatever a child's default: G1 keeps each array over half a region in
   * contiguous regions of its own, and ran out of this heap before the 2 GiB (its buffer's last
   * growth needs the old and the new array at once).
   */
  private static final String[] ROOM_FOR_2_GIB = {"-XX:+UseSerialGC", "-Xmx2300m", "-Xmn64m"};

  private static final int LEGAL = 256 << 20;
  private static final String TOO_LARGE =
      "cannot send an instance of "
          + Huge.class.getName()
          + ": its serialized form is larger than 2147483558 bytes (2 GiB)";

  @AfterEach
  void noChildLeft() {
    ChildProcesses.awaitNone();
  }

  /** A small object whose serialized form is 2100 MiB: its writeObject streams it. */
  static final class Huge implements Serializable {
    private static final long serialVersionUID = 1L;

    private void writeObject(ObjectOutputStream out) throws IOException {
      byte[] mib = new byte[1 << 20];
      for (int i = 0; i < 2100; i++) {
        out.write(mib);
      }
    }
  }

  private static void assertExitsWithZero(JvmProcess child) throws InterruptedException {
    assertTrue(child.join(ChildProcesses.LONG));
    assertEquals(OptionalInt.of(0), child.exitCode());
  }

  /** Ends {@code child} however the test went. */
  private static void stop(JvmProcess child) throws InterruptedException {
    child.kill();
    child.join();
  }

  /** Sends {@code message}; returns what send threw, or "sent". */
  static String trySend(Connection c, Object message) {
    try {
      c.send(message);
      return "sent";
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  static byte pattern(int i) {
    return (byte) (i * 31 + (i >>> 20));
  }

  /** This process's peak resident set (Linux's VmHWM), in MiB; -1 if unknown. */
  static long peakRssMib() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(l -> l.startsWith("VmHWM:"))
          .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) >> 10)
          .findFirst()
          .orElse(-1);
    } catch (IOException e) {
      return -1;
    }
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void send_ofMoreThan2GiB_failsInTheChild_andTheConnectionThenCarries256MiB() throws Exception {
    long start = System.nanoTime();
    Pipe pipe = Pipe.open();
    Connection mine = pipe.first();
    Connection childs = pipe.second();
    JvmProcess child =
        new JvmProcess(
                () -> {
                  long t = System.nanoTime();
                  childs.send(trySend(childs, new Huge()));
                  childs.send((System.nanoTime() - t) / 1_000_000);
                  childs.send("after");
                  byte[] big = new byte[LEGAL];
                  for (int i = 0; i < big.length; i++) {
                    big[i] = pattern(i);
                  }
                  childs.sendBytes(big);
                  childs.send(peakRssMib());
                })
            .jvmOptions(ROOM_FOR_2_GIB)
            .start();
    try {
      String refused = (String) mine.recv();
      assertTrue(refused.startsWith(TOO_LARGE), refused);
      long refusedMillis = (Long) mine.recv();
      assertEquals("after", mine.recv(), "the connection goes on");
      byte[] big = mine.recvBytes();
      assertEquals(LEGAL, big.length);
      for (int i = 0; i < big.length; i += 1 << 20) {
        assertEquals(pattern(i), big[i], "byte " + i);
      }
      assertEquals(pattern(big.length - 1), big[big.length - 1]);
      long childPeak = (Long) mine.recv();
      assertExitsWithZero(child);
      System.out.printf(
          "LargeMessageIT pipe: refused in %d ms; child peak RSS %d MiB; parent (test JVM) peak RSS %d MiB;"
              + " %d ms in all%n",
          refusedMillis, childPeak, peakRssMib(), (System.nanoTime() - start) / 1_000_000);
    } finally {
      stop(child);
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void send_ofMoreThanTheHeapHolds_failsInTheChild_sayingGiveItMoreHeap() throws Exception {
    Pipe pipe = Pipe.open();
    Connection childs = pipe.second();
    JvmProcess child =
        new JvmProcess(
                () -> {
                  childs.send(trySend(childs, new Huge()));
                  childs.send("after");
                })
            .jvmOptions("-Xmx128m")
            .start();
    try {
      String refused = (String) pipe.first().recv();
      assertTrue(refused.startsWith("cannot send an instance of " + Huge.class.getName()), refused);
      assertTrue(refused.contains("Give the JVM more heap (-Xmx"), refused);
      assertEquals("after", pipe.first().recv());
      assertExitsWithZero(child);
    } finally {
      stop(child);
    }
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void put_ofMoreThan2GiB_failsInTheChild_andTheQueueGoesOn() throws Exception {
    ProcessQueue<Object> q = new ProcessQueue<>();
    JvmProcess child =
        new JvmProcess(
                () -> {
                  try {
                    q.put(new Huge());
                    q.put("sent");
                  } catch (IllegalArgumentException e) {
                    q.put(e.getMessage());
                  }
                  q.put("after");
                })
            .jvmOptions(ROOM_FOR_2_GIB)
            .start();
    try {
      String refused = (String) q.get(ChildProcesses.LONG.multipliedBy(4));
      assertTrue(refused.startsWith(TOO_LARGE.replace("cannot send", "cannot put")), refused);
      assertEquals("after", q.get(ChildProcesses.LONG));
      assertExitsWithZero(child);
    } finally {
      stop(child);
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void sendBytes_ofMoreThanTheHubsHeapHolds_isRefusedToTheSender_andTheConnectionGoesOn()
      throws Exception {
    // The hub is this test JVM (-Xmx512m): it has no heap for 700 MiB, reads past it, and says so.
    Pipe pipe = Pipe.open();
    Connection childs = pipe.second();
    JvmProcess child =
        new JvmProcess(
                () -> {
                  try {
                    childs.sendBytes(new byte[700 << 20]);
                    childs.send("sent");
                  } catch (IllegalStateException e) {
                    childs.send(e.getMessage());
                  }
                  childs.send("after");
                })
            .jvmOptions("-Xmx1200m")
            .start();
    try {
      String refused = (String) pipe.first().recv();
      assertTrue(refused.contains("has no heap for an item of 734003200 bytes"), refused);
      assertTrue(refused.contains("nothing was queued"), refused);
      assertEquals("after", pipe.first().recv(), "the connection goes on");
      assertExitsWithZero(child);
    } finally {
      stop(child);
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void get_ofAnItemLargerThanTheGettersHeap_failsThere_andTheItemStaysInTheQueue()
      throws Exception {
    ProcessQueue<byte[]> q = new ProcessQueue<>();
    ProcessQueue<String> answers = new ProcessQueue<>();
    byte[] item = new byte[100 << 20];
    item[item.length - 1] = 42;
    q.put(item);
    item = null;
    JvmProcess child =
        new JvmProcess(
                () -> {
                  try {
                    answers.put("got " + q.get().length);
                  } catch (IllegalStateException e) {
                    answers.put(e.getMessage());
                  }
                })
            .jvmOptions("-Xmx48m")
            .start();
    try {
      String answer = answers.get(ChildProcesses.LONG);
      assertTrue(answer.contains("has no room for an item of"), answer);
      assertTrue(answer.contains("it stays in the queue"), answer);
      assertExitsWithZero(child);
      assertEquals(1, q.qsize());
      byte[] back = q.get(ChildProcesses.LONG);
      assertEquals(100 << 20, back.length);
      assertEquals(42, back[back.length - 1]);
    } finally {
      stop(child);
    }
  }
}
