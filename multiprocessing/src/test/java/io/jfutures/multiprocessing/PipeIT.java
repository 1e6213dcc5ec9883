package io.jfutures.multiprocessing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pipes between a parent and real child JVMs. */
final class PipeIT {
  private static final Duration LONG = ChildProcesses.LONG;

  @TempDir Path dir;

  @AfterEach
  void noChildLeft() {
    ChildProcesses.awaitNone();
  }

  /** Answers each "ping N" with "pong N" until "stop"; then exits without closing its end. */
  static void ponger(Connection c) throws Exception {
    for (Object m = c.recv(); !m.equals("stop"); m = c.recv()) {
      c.send(((String) m).replace("ping", "pong"));
    }
  }

  @Test
  void aDuplexPipe_pingPongsWithAChild_andItsExitIsEndOfFile() throws Exception {
    Pipe pipe = Pipe.open();
    Connection mine = pipe.first();
    Connection childs = pipe.second();
    JvmProcess child = new JvmProcess(() -> ponger(childs)).start();
    for (int i = 0; i < 100; i++) {
      mine.send("ping " + i);
      assertEquals("pong " + i, mine.recv());
    }
    mine.send("stop");
    child.join();
    assertEquals(OptionalInt.of(0), child.exitCode());
    // The parent never closed its copy of the child's end: it only passed it on.
    assertThrows(EOFException.class, mine::recv);
  }

  @Test
  void aOneWayPipe_fromAChildThatCloses_givesItsMessagesThenEndOfFile() throws Exception {
    Pipe pipe = Pipe.open(false);
    Connection reader = pipe.first();
    Connection writer = pipe.second();
    JvmProcess child =
        new JvmProcess(
                () -> {
                  for (int i = 0; i < 3; i++) {
                    writer.send("message " + i);
                  }
                  writer.close();
                  Thread.sleep(120_000); // inside a task: alive, but its end is closed
                })
            .start();
    try {
      for (int i = 0; i < 3; i++) {
        assertEquals("message " + i, reader.recv());
      }
      assertThrows(EOFException.class, reader::recv);
    } finally {
      child.kill();
      child.join();
    }
  }

  @Test
  void aChildKilledWhileTheParentWaitsInRecv_endsTheWaitWithEndOfFile() throws Exception {
    Pipe pipe = Pipe.open();
    Connection childs = pipe.second();
    String marker = dir.resolve("holding").toString();
    JvmProcess child =
        new JvmProcess(
                () -> {
                  childs.send("hello");
                  Files.createFile(Path.of(marker));
                  Thread.sleep(120_000); // inside a task
                })
            .start();
    assertEquals("hello", pipe.first().recv());
    await().atMost(LONG).until(() -> Files.exists(Path.of(marker)));
    ProcessHandle.of(child.pid()).ifPresent(ProcessHandle::destroyForcibly);
    assertThrows(EOFException.class, pipe.first()::recv, "not a hang");
    // Its end died with it: what the parent sends now could never be received.
    await()
        .atMost(LONG)
        .untilAsserted(
            () -> assertThrows(BrokenPipeException.class, () -> pipe.first().send("anyone?")));
    assertTrue(child.join(LONG));
  }

  @Test
  void aChildSendingToAnEndItsParentClosed_getsBrokenPipe() throws Exception {
    Pipe pipe = Pipe.open();
    Connection mine = pipe.first();
    Connection childs = pipe.second();
    JvmProcess child =
        new JvmProcess(
                () -> {
                  childs.send("ready");
                  childs.recv(); // "closing"
                  long deadline = System.nanoTime() + LONG.toNanos();
                  while (System.nanoTime() < deadline) {
                    try {
                      childs.send("more");
                    } catch (BrokenPipeException e) {
                      System.exit(42);
                    }
                  }
                  System.exit(1);
                })
            .start();
    assertEquals("ready", mine.recv());
    mine.send("closing");
    mine.close();
    assertTrue(child.join(LONG));
    assertEquals(OptionalInt.of(42), child.exitCode(), "its sends failed once the end was gone");
  }

  @Test
  void wait_returnsTheProcessThatExited_andTheConnectionThatCanReceive() throws Exception {
    Pipe pipe = Pipe.open();
    Connection childs = pipe.second();
    String go = dir.resolve("go").toString();
    JvmProcess child =
        new JvmProcess(
                () -> {
                  childs.send(new byte[16 << 20]); // a large message goes through too
                  while (!Files.exists(Path.of(go))) {
                    Thread.sleep(1); // inside a task
                  }
                })
            .start();
    assertEquals(List.of(pipe.first()), Connection.wait(List.of(pipe.first(), child), LONG));
    assertEquals(16 << 20, ((byte[]) pipe.first().recv()).length);
    Files.createFile(Path.of(go));
    assertTrue(Connection.wait(List.of(child), LONG).contains(child));
  }

  @Test
  void aChildSendingFasterThanTheParentReceives_waits_withAboutTheBoundHeld() throws Exception {
    Pipe pipe = Pipe.open();
    Connection mine = pipe.first();
    Connection childs = pipe.second();
    assertTrue(!mine.poll(), "the parent holds its end before the child sends");
    int messages = 3_000; // of 1 KiB: three times the bound
    SharedInt sent = SharedInt.create(0);
    try {
      JvmProcess child =
          new JvmProcess(
                  () -> {
                    for (int i = 0; i < messages; i++) {
                      byte[] m = new byte[1024];
                      m[0] = (byte) i;
                      childs.sendBytes(m);
                      sent.incrementAndGet();
                    }
                  })
              .start();
      await().atMost(LONG).until(() -> sent.get() > 900);
      await()
          .during(Duration.ofMillis(500))
          .atMost(LONG)
          .until(() -> sent.get() < messages / 2); // it waits for the parent
      for (int i = 0; i < messages; i++) {
        byte[] m = mine.recvBytes();
        assertEquals(1024, m.length);
        assertEquals((byte) i, m[0], "in order");
      }
      assertTrue(child.join(LONG));
      assertEquals(OptionalInt.of(0), child.exitCode());
    } finally {
      sent.unlink();
    }
  }

  @Test
  void aChildThatReceivesPartOfAFullPipe_thenWaitsForItsSender_letsItsSenderGoOn()
      throws Exception {
    Pipe data = Pipe.open(false);
    Pipe go = Pipe.open(false);
    Connection in = data.first();
    Connection out = data.second();
    Connection goIn = go.first();
    int messages = 90; // of 20 KiB: past the 1 MiB bound, and past the ring's longest message
    int fill = 51; // the bound's worth: with these out, the next sends wait for room
    int taken = 45; // then what is left fits
    ProcessEvent receiving = new ProcessEvent();
    ProcessEvent filled = new ProcessEvent();
    // The child alone receives, so messages go ahead of its receives, and it says which it took in
    // shared memory. Once its pipe is full it takes some and waits for the parent, whose sends
    // wait for room: the hub must hear of the room it made then, as a socket's sender would.
    JvmProcess child =
        new JvmProcess(
                () -> {
                  if (in.recvBytes()[0] != 0) {
                    System.exit(4);
                  }
                  receiving.set(); // messages go ahead of its receives from now on
                  filled.await();
                  for (int i = 1; i < messages; i++) {
                    if (i == taken && !goIn.poll(Duration.ofSeconds(20))) {
                      System.exit(3); // the parent never got its sends through
                    }
                    if (in.recvBytes()[0] != (byte) i) {
                      System.exit(4);
                    }
                  }
                })
            .start();
    out.sendBytes(new byte[20 * 1024]);
    assertTrue(receiving.await(LONG));
    for (int i = 1; i < messages; i++) {
      if (i == fill) {
        filled.set();
      }
      byte[] m = new byte[20 * 1024];
      m[0] = (byte) i;
      out.sendBytes(m);
    }
    go.second().send("go");
    assertTrue(child.join(LONG));
    assertEquals(OptionalInt.of(0), child.exitCode(), "3: the sender was held up; 4: out of order");
    out.close();
    go.second().close();
  }
}
