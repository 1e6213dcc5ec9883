package io.jfutures.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jfutures.impl.internal.jvm.JvmTree;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Shared memory between real child JVMs: no copy, atomic updates, and who removes a block. */
final class SharedMemoryIT {
  @AfterEach
  void noChildLeft() {
    ChildProcesses.awaitNone();
  }

  /**
   * A block that {@code /dev/shm} has no room for fails at {@code create}, saying so, where a sized
   * file would have been created and its writer later killed by SIGBUS (a container's default
   * {@code /dev/shm} is 64 MiB). The program runs with a 1 MiB {@code /dev/shm} of its own, in a
   * mount namespace: root and {@code unshare} are needed, else the test is skipped.
   */
  @Test
  void aBlockBeyondTheRoomOfDevShm_failsAtCreate_andOneThatFitsIsWritten() throws Exception {
    assumeTrue(
        new ProcessBuilder("unshare", "--mount", "true").start().waitFor() == 0,
        "needs root and unshare(1) for a private /dev/shm");
    String java =
        String.join(
            " ",
            ParentProgram.JAVA,
            "-cp",
            "'" + System.getProperty("java.class.path") + "'",
            ParentProgram.class.getName(),
            "create-beyond-room",
            "/unused",
            Long.toString(8 << 20),
            Integer.toString(256 << 10));
    Process program =
        new ProcessBuilder(
                "unshare",
                "--mount",
                "--propagation",
                "private",
                "sh",
                "-c",
                "mount -t tmpfs -o size=1m tmpfs /dev/shm && exec " + java)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(program.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(program.waitFor(ChildProcesses.LONG.toSeconds(), TimeUnit.SECONDS));
    assertEquals(0, program.exitValue(), out);
    List<String> lines = out.lines().toList();
    assertTrue(
        lines.get(0).startsWith("REFUSED ")
            && lines.get(0).contains("8388608 bytes")
            && lines.get(0).contains("bytes free")
            && lines.get(0).contains("--shm-size"),
        out);
    assertEquals(List.of("WROTE 262144", "LEFT 0"), lines.subList(1, lines.size()), out);
  }

  /** F19: atomic increments from two processes are never lost, with no lock. */
  @Test
  void twoProcesses_eachIncrementingAHundredThousandTimes_leaveExactly200000() throws Exception {
    SharedInt counter = SharedInt.create(0);
    SharedDoubleArray sums = SharedDoubleArray.create(2);
    try {
      List<JvmProcess> children = new ArrayList<>();
      for (int c = 0; c < 2; c++) {
        children.add(
            new JvmProcess(
                    () -> {
                      for (int k = 0; k < 100_000; k++) {
                        counter.incrementAndGet();
                        sums.addAndGet(k % 2, 0.5);
                      }
                    })
                .start());
      }
      for (JvmProcess child : children) {
        assertTrue(child.join(ChildProcesses.LONG));
        assertEquals(0, child.exitCode().orElseThrow());
      }
      assertEquals(200_000, counter.get());
      assertArrayEquals(new double[] {50_000.0, 50_000.0}, sums.toArray());
    } finally {
      counter.unlink();
      sums.unlink();
    }
  }

  /** What a child writes, the parent reads in the same memory; the child's handle only attached. */
  @Test
  void aChildWritesInPlace_andItsHandleNeverRemovesTheBlock() throws Exception {
    SharedMemory block = SharedMemory.create(1024);
    SharedIntArray ints = SharedIntArray.of(0, 1, 2, 3);
    try {
      JvmProcess child =
          new JvmProcess(
                  () -> {
                    block
                        .buffer()
                        .put(0, "from the child".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    for (int i = 0; i < ints.length(); i++) {
                      ints.set(i, -ints.get(i));
                    }
                    block.close();
                    ints.close();
                  })
              .start();
      assertTrue(child.join(ChildProcesses.LONG));
      assertEquals(0, child.exitCode().orElseThrow());
      byte[] text = new byte["from the child".length()];
      block.buffer().get(0, text);
      assertEquals("from the child", new String(text, java.nio.charset.StandardCharsets.UTF_8));
      assertArrayEquals(new int[] {0, -1, -2, -3}, ints.toArray());
      assertTrue(Files.exists(JvmTree.files().resolve(block.name())));
    } finally {
      block.unlink();
      ints.unlink();
    }
  }

  /** F16: an attacher killed with SIGKILL, or one that tries to unlink, takes nothing away. */
  @Test
  void anAttacherThatTriesToUnlink_isRefused_andOneKilledLeavesTheBlock() throws Exception {
    SharedLong value = SharedLong.create(5);
    ProcessQueue<String> said = new ProcessQueue<>();
    try {
      JvmProcess refused =
          new JvmProcess(
                  () -> {
                    try {
                      value.unlink();
                      said.put("unlinked");
                    } catch (IllegalStateException e) {
                      said.put("refused");
                    }
                  })
              .start();
      assertEquals("refused", said.get());
      assertTrue(refused.join(ChildProcesses.LONG));

      JvmProcess killed =
          new JvmProcess(
                  () -> {
                    value.incrementAndGet();
                    said.put("attached");
                    Thread.sleep(120_000); // inside a task: until killed
                  })
              .start();
      assertEquals("attached", said.get());
      ChildProcesses.kill9(killed);
      try (SharedLong again = SharedLong.attach(value.name())) {
        assertEquals(6, again.get());
      }
    } finally {
      value.unlink();
      said.close();
    }
  }

  /**
   * A ShareableList: a child writes in place, and one killed with SIGKILL while it sets an element
   * over and over leaves a whole value (one it wrote, never half of one), which the parent can set.
   */
  @Test
  void aSharedList_isWrittenInPlace_andAWriterKilledMidSetLeavesAWholeValue() throws Exception {
    String as = "a".repeat(64 * 1024);
    String bs = "b".repeat(64 * 1024);
    SharedList list = SharedList.create(List.of("first", 0, as));
    ProcessQueue<String> said = new ProcessQueue<>();
    try {
      JvmProcess writer =
          new JvmProcess(
                  () -> {
                    list.set(0, "child");
                    list.set(1, 42);
                    said.put("wrote");
                    for (long k = 0; ; k++) {
                      list.set(2, k % 2 == 0 ? bs : as); // until killed
                    }
                  })
              .start();
      assertEquals("wrote", said.get());
      assertEquals("child", list.get(0));
      assertEquals(42, list.get(1));
      for (int k = 0; k < 200; k++) {
        String v = (String) list.get(2);
        assertTrue(v.equals(as) || v.equals(bs), "a torn read");
      }
      ChildProcesses.kill9(writer);
      String v = (String) list.get(2);
      assertTrue(v.equals(as) || v.equals(bs), "a torn value after the kill");
      assertEquals(v, list.set(2, "after"));
      assertEquals("after", list.get(2));
    } finally {
      list.unlink();
      said.close();
    }
  }
}
