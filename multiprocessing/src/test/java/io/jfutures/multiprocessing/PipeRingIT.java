package io.jfutures.multiprocessing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.impl.internal.jvm.JvmTree;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Pipes whose messages skip the hub's round trips while each end has one holder (a ring in shared
 * memory, or messages sent ahead of a receiving process's receives), with real child JVMs: what
 * happens to them when a holder dies or an end changes hands.
 */
final class PipeRingIT {
  private static final Duration LONG = ChildProcesses.LONG;

  @AfterEach
  void noChildLeft() {
    ChildProcesses.awaitNone();
  }

  /** One message received by a test, or end-of-file. */
  @FunctionalInterface
  private interface Receive {
    Object next() throws Exception;
  }

  /**
   * Receives until end-of-file, checking that the messages are those {@code expected} makes of
   * {@code next}, {@code next + 1}, ...: every message a killed sender finished sending, whole and
   * in order, comes before the end; one it was writing is dropped.
   */
  private static void inOrderUntilEndOfFile(Receive receive, int next, IntFunction<Object> expected)
      throws Exception {
    try {
      for (; ; next++) {
        Object m = receive.next();
        assertTrue(
            Objects.deepEquals(expected.apply(next), m),
            "whole, in order, none lost, up to its death: message " + next);
      }
    } catch (EOFException e) {
      // the end, after everything it finished sending
    }
  }

  /** Sends 0, 1, 2, ... as fast as it can, until killed. */
  static void counter(Connection c) {
    for (int i = 0; ; i++) {
      c.send(i);
    }
  }

  @Test
  void aSenderKilledMidStream_leavesEveryMessageItSentInOrder_thenEndOfFile() throws Exception {
    Pipe pipe = Pipe.open();
    Connection mine = pipe.first();
    Connection childs = pipe.second();
    JvmProcess child = new JvmProcess(() -> counter(childs)).start();
    try {
      int next = 0;
      for (; next < 20_000; next++) {
        assertEquals(next, mine.recv(), "in order, none lost");
      }
      ProcessHandle.of(child.pid()).ifPresent(ProcessHandle::destroyForcibly); // mid-send, likely
      inOrderUntilEndOfFile(mine::recv, next, k -> k);
    } finally {
      child.kill();
      assertTrue(child.join(LONG));
      mine.close();
    }
  }

  @Test
  void aPingPongPartnerKilled_endsTheOthersWaitWithEndOfFile_andItsSendsWithBrokenPipe()
      throws Exception {
    Pipe pipe = Pipe.open();
    Connection mine = pipe.first();
    Connection childs = pipe.second();
    JvmProcess child =
        new JvmProcess(
                () -> {
                  for (Object m = childs.recv(); ; m = childs.recv()) {
                    childs.send(m);
                  }
                })
            .start();
    for (int i = 0; i < 2_000; i++) {
      mine.send(i);
      assertEquals(i, mine.recv());
    }
    ProcessHandle.of(child.pid()).ifPresent(ProcessHandle::destroyForcibly); // waiting in recv
    assertThrows(EOFException.class, mine::recv, "not a hang");
    await()
        .atMost(LONG)
        .untilAsserted(() -> assertThrows(BrokenPipeException.class, () -> mine.send("anyone?")));
    assertTrue(child.join(LONG));
    mine.close();
  }

  @Test
  void anEndHandedToAnotherProcess_getsTheRestOfTheMessages_inOrder_thenEndOfFile()
      throws Exception {
    int total = 30_000;
    int mineToTake = 1_000;
    Pipe pipe = Pipe.open();
    Connection mine = pipe.first();
    Connection childs = pipe.second();
    JvmProcess sender =
        new JvmProcess(
                () -> {
                  for (int i = 0; i < total; i++) {
                    childs.send(i);
                  }
                  childs.close();
                })
            .start();
    for (int i = 0; i < mineToTake; i++) {
      assertEquals(i, mine.recv());
    }
    // The end reaches a second process while the first still sends: two processes hold it now, so
    // the ring is retired, and what it held goes to the hub's queue ahead of what comes after.
    JvmProcess heir =
        new JvmProcess(
                () -> {
                  for (int i = mineToTake; i < total; i++) {
                    if (!Integer.valueOf(i).equals(mine.recv())) {
                      System.exit(3);
                    }
                  }
                  try {
                    mine.recv();
                    System.exit(4);
                  } catch (EOFException e) {
                    System.exit(0);
                  }
                })
            .start();
    assertTrue(heir.join(LONG));
    assertEquals(OptionalInt.of(0), heir.exitCode(), "3: out of order or lost; 4: no EOF");
    assertTrue(sender.join(LONG));
    assertEquals(OptionalInt.of(0), sender.exitCode());
    mine.close();
  }

  @Test
  void aSecondReceiverJoiningMidStream_waitsForOlderMessagesSentAheadToTheFirst_notPassingThem()
      throws Exception {
    Pipe pipe = Pipe.open(false);
    Connection reader = pipe.first();
    Connection writer = pipe.second();
    ProcessQueue<long[]> report = new ProcessQueue<>();
    ProcessEvent firstReceives = new ProcessEvent();
    ProcessEvent secondAttached = new ProcessEvent();
    ProcessEvent secondReceives = new ProcessEvent();
    // The first child holds the receiving end alone, so messages go ahead of its receives, and it
    // is slower than the sender, so that newer ones queue behind them.
    JvmProcess first =
        new JvmProcess(() -> report.put(receiveSlowlyUntilStop(reader, firstReceives))).start();
    int sent = sendThousand(writer, 0);
    assertTrue(firstReceives.await(LONG));
    sent = sendThousand(writer, sent); // queued behind those sent ahead
    // Frozen, the first cannot give back what it holds when the second's arrival calls it back.
    signal("-STOP", first.pid());
    try {
      JvmProcess second =
          new JvmProcess(
                  () -> {
                    secondAttached.set(); // after its end attached, which came with its arguments
                    int m = (Integer) reader.recv();
                    secondReceives.set();
                    long[] rest = receiveUntilStop(reader);
                    report.put(new long[] {rest[0] + 1, rest[1] + m, m < rest[3] ? rest[2] : 0});
                  })
              .start();
      assertTrue(secondAttached.await(LONG));
      assertFalse(
          secondReceives.await(Duration.ofMillis(300)),
          "the second received a message newer than those the frozen first holds");
      signal("-CONT", first.pid());
      assertTrue(secondReceives.await(LONG), "the first gave them back");
      for (int i = 0; i < 5; i++) {
        sent = sendThousand(writer, sent);
      }
      writer.send(-1); // one stop for each receiver
      writer.send(-1);
      assertEachOnceAndInOrder(sent, report.get(LONG), report.get(LONG));
      assertTrue(second.join(LONG));
    } finally {
      // Never left frozen, even when an assertion above failed (once it exited, kill says so).
      new ProcessBuilder("kill", "-CONT", Long.toString(first.pid())).start().waitFor();
    }
    assertTrue(first.join(LONG));
    writer.close();
  }

  /**
   * Message {@code n} of a stream of long ones: 1 byte to 1 MiB and a byte, so that it goes through
   * the ring, the area beside it, or the hub; its bytes follow from {@code n}.
   */
  static byte[] longMessage(int n) {
    int[] sizes = {8, 20_000, 1 << 20, (1 << 20) + 1, 300_000, 16_000, 700_001};
    byte[] m = new byte[sizes[n % sizes.length]];
    ByteBuffer.wrap(m).putInt(n);
    for (int i = Integer.BYTES; i < m.length; i += 101) {
      m[i] = (byte) (n + i);
    }
    m[m.length - 1] = (byte) n;
    return m;
  }

  /** Sends long messages 0, 1, 2, ... as fast as it can, until killed. */
  static void longCounter(Connection c) {
    for (int i = 0; ; i++) {
      c.sendBytes(longMessage(i));
    }
  }

  /** Sends back every message it receives, until end-of-file. */
  static void echo(Connection c) throws Exception {
    try {
      while (true) {
        c.sendBytes(c.recvBytes());
      }
    } catch (EOFException e) {
      c.close();
    }
  }

  /** The blocks of areas for long messages that this JVM's tree holds now. */
  private static List<String> areaBlocks() {
    try (Stream<java.nio.file.Path> files = Files.list(JvmTree.files())) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith("_bulk")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void longMessages_bothWaysAtOnce_arriveWholeAndInOrder_whicheverWayEachGoes() throws Exception {
    Pipe pipe = Pipe.open();
    Connection mine = pipe.first();
    Connection childs = pipe.second();
    JvmProcess child = new JvmProcess(() -> echo(childs)).start();
    int count = 140;
    CompletableFuture<Void> sent =
        CompletableFuture.runAsync(
            () -> {
              for (int i = 0; i < count; i++) {
                mine.sendBytes(longMessage(i));
              }
            });
    try {
      for (int i = 0; i < count; i++) {
        byte[] m = mine.recvBytes();
        assertTrue(java.util.Arrays.equals(longMessage(i), m), "message " + i + ", whole");
      }
      sent.get(LONG.toSeconds(), TimeUnit.SECONDS);
    } finally {
      mine.close();
      assertTrue(child.join(LONG));
    }
    assertEquals(OptionalInt.of(0), child.exitCode());
    await().atMost(LONG).until(() -> areaBlocks().isEmpty());
  }

  @Test
  void aSenderOfLongMessagesKilledMidStream_leavesEveryWholeMessageInOrder_thenEndOfFile()
      throws Exception {
    Pipe pipe = Pipe.open();
    Connection mine = pipe.first();
    Connection childs = pipe.second();
    JvmProcess child = new JvmProcess(() -> longCounter(childs)).start();
    int next = 0;
    try {
      for (; next < 50; next++) {
        assertTrue(java.util.Arrays.equals(longMessage(next), mine.recvBytes()), "" + next);
      }
      assertFalse(areaBlocks().isEmpty(), "its long messages go through an area");
      ChildProcesses.kill9(child); // mid-send, likely, with the area holding a message or two
      inOrderUntilEndOfFile(mine::recvBytes, next, PipeRingIT::longMessage);
    } finally {
      child.kill();
      assertTrue(child.join(LONG));
      mine.close();
    }
    assertTrue(areaBlocks().isEmpty(), "the sending end gone: the area unlinked");
  }

  /**
   * Sends {@code perThread} long messages from each of two threads at once: message (t, k) says its
   * thread and number, and its bytes follow from both.
   */
  static void twoLongSenders(Connection c, int perThread) throws Exception {
    Thread[] threads = new Thread[2];
    for (int t = 0; t < 2; t++) {
      int thread = t;
      threads[t] =
          new Thread(
              () -> {
                for (int k = 0; k < perThread; k++) {
                  c.sendBytes(longMessage(thread * 1_000_000 + k));
                }
              });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    c.close();
  }

  @Test
  void longMessagesFromTwoThreadsAtOnce_toTwoReceivingThreads_eachWholeOnce_eachThreadsInOrder()
      throws Exception {
    Pipe pipe = Pipe.open();
    Connection mine = pipe.first();
    Connection childs = pipe.second();
    int perThread = 300;
    JvmProcess child = new JvmProcess(() -> twoLongSenders(childs, perThread)).start();
    java.util.Queue<String> wrong = new java.util.concurrent.ConcurrentLinkedQueue<>();
    java.util.Set<Integer> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    List<CompletableFuture<Void>> receivers = new java.util.ArrayList<>();
    for (int r = 0; r < 2; r++) {
      receivers.add(
          CompletableFuture.runAsync(
              () -> {
                int[] last = {-1, -1}; // this receiver's last number from each sending thread
                try {
                  while (true) {
                    byte[] m = mine.recvBytes();
                    int n = ByteBuffer.wrap(m).getInt();
                    int thread = n / 1_000_000;
                    int k = n % 1_000_000;
                    if (!java.util.Arrays.equals(longMessage(n), m)) {
                      wrong.add("message " + n + " not whole");
                    } else if (!seen.add(n)) {
                      wrong.add("message " + n + " twice");
                    } else if (k <= last[thread]) {
                      wrong.add("message " + n + " after " + last[thread]);
                    }
                    last[thread] = k;
                  }
                } catch (EOFException e) {
                  // both threads sent everything, and the child closed its end
                } catch (Exception e) {
                  wrong.add(e.toString());
                }
              }));
    }
    try {
      for (CompletableFuture<Void> r : receivers) {
        r.get(LONG.toSeconds(), TimeUnit.SECONDS);
      }
    } finally {
      assertTrue(child.join(LONG));
      mine.close();
    }
    assertEquals(List.of(), List.copyOf(wrong));
    assertEquals(2 * perThread, seen.size(), "every message once");
    assertEquals(OptionalInt.of(0), child.exitCode());
  }

  private static void signal(String signal, long pid) throws Exception {
    assertEquals(0, new ProcessBuilder("kill", signal, Long.toString(pid)).start().waitFor());
  }

  /**
   * Checks that two receivers' reports ({@link #receiveUntilStop}) took 0 to {@code total - 1} once
   * each between them, each in order.
   */
  private static void assertEachOnceAndInOrder(int total, long[] a, long[] b) {
    assertEquals(total, a[0] + b[0], "each message once: " + a[0] + " + " + b[0]);
    assertEquals((long) total * (total - 1) / 2, a[1] + b[1]);
    assertEquals(1, a[2], "in order");
    assertEquals(1, b[2], "in order");
  }

  /** Sends the next thousand numbers from {@code next}; returns the one after. */
  private static int sendThousand(Connection writer, int next) {
    for (int i = 0; i < 1_000; i++) {
      writer.send(next++);
    }
    return next;
  }

  /**
   * As {@link #receiveUntilStop}, pausing a millisecond every 10 messages: a receiver slower than
   * its sender, so that messages queue at the hub behind those sent ahead to it. Sets {@code
   * receives} after its first 100.
   */
  static long[] receiveSlowlyUntilStop(Connection c, ProcessEvent receives) throws Exception {
    return receiveUntilStop(c, receives);
  }

  /**
   * Receives until -1; returns {count, sum, 1 if each came after the one before, else 0, the first
   * or Integer.MAX_VALUE}.
   */
  static long[] receiveUntilStop(Connection c) throws Exception {
    return receiveUntilStop(c, null);
  }

  /**
   * As {@link #receiveUntilStop(Connection)}; slowly, as said above, if {@code slow} is not null.
   */
  private static long[] receiveUntilStop(Connection c, ProcessEvent slow) throws Exception {
    long count = 0;
    long sum = 0;
    long ordered = 1;
    int first = Integer.MAX_VALUE;
    int last = -1;
    for (int m = (Integer) c.recv(); m != -1; m = (Integer) c.recv()) {
      ordered &= m > last ? 1 : 0;
      first = Math.min(first, m);
      last = m;
      count++;
      sum += m;
      if (slow != null && count % 10 == 0) {
        Thread.sleep(1); // a body that must take time: slower than the sender
      }
      if (slow != null && count == 100) {
        slow.set();
      }
    }
    return new long[] {count, sum, ordered, first};
  }

  @Test
  void twoProcessesReceivingFromOneEnd_takeEachMessageOnce_eachInOrder() throws Exception {
    int total = 20_000;
    Pipe pipe = Pipe.open(false);
    Connection reader = pipe.first();
    Connection writer = pipe.second();
    ProcessQueue<long[]> report = new ProcessQueue<>();
    // Two processes receive from one end (so no ring): each sees its messages in the order sent,
    // as each reader of a socket does. Messages sent ahead to the child (a queue's leases) and
    // called back to the parent after it took newer ones would break this.
    JvmProcess other = new JvmProcess(() -> report.put(receiveUntilStop(reader))).start();
    JvmProcess sender =
        new JvmProcess(
                () -> {
                  for (int i = 0; i < total; i++) {
                    writer.send(i);
                  }
                  writer.send(-1); // one stop for each receiver
                  writer.send(-1);
                })
            .start();
    long[] mine = receiveUntilStop(reader);
    assertEachOnceAndInOrder(total, mine, report.get(LONG));
    assertTrue(sender.join(LONG));
    assertTrue(other.join(LONG));
    reader.close();
  }
}
