package io.jfutures.multiprocessing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.multiprocessing.internal.Standby;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Standby JVMs ({@link JvmProcess#setStandbyJvms}): a process takes one that booted ahead, and is
 * then the same as any process; one with settings of its own starts a JVM of its own; turning
 * standby off leaves no JVM behind.
 */
final class StandbyIT {
  @AfterEach
  void off() {
    JvmProcess.setStandbyJvms(0);
    ChildProcesses.awaitNone();
    await()
        .atMost(ChildProcesses.LONG)
        .until(() -> ProcessHandle.current().children().count() == 0);
  }

  /**
   * The pids of this JVM's child processes that are standby JVMs (no process runs yet), told by
   * their command line: another child may come and go meanwhile (the shell that starts a class
   * archive's maker, detached, on a fresh clone's first start).
   */
  private static Set<Long> spares(int expected) {
    await().atMost(ChildProcesses.LONG).until(() -> standbys().size() >= expected);
    return standbys();
  }

  private static Set<Long> standbys() {
    return ProcessHandle.current()
        .children()
        .filter(
            h ->
                h.info()
                    .commandLine()
                    .map(c -> c.endsWith(" " + Standby.MODE) && c.contains("java"))
                    .orElse(false))
        .map(ProcessHandle::pid)
        .collect(Collectors.toSet());
  }

  @Test
  void aProcessTakesAStandbyJvm_andItsExitCodeNameAndQueueWorkAsEver() throws Exception {
    JvmProcess.setStandbyJvms(1);
    assertEquals(1, JvmProcess.standbyJvms());
    Set<Long> spares = spares(1);
    ProcessQueue<String> said = new ProcessQueue<>();
    JvmProcess p =
        new JvmProcess(
                () -> {
                  said.put(JvmProcess.current().name());
                  System.exit(7);
                })
            .name("warm-one")
            .start();
    assertTrue(spares.contains(p.pid()), "it ran in the standby JVM");
    assertEquals("warm-one", said.get(ChildProcesses.LONG));
    assertTrue(p.join(ChildProcesses.LONG));
    assertEquals(7, p.exitCode().orElseThrow());
    // The next takes the replacement, which started in the background.
    Set<Long> next = spares(1);
    JvmProcess q =
        new JvmProcess(
                () -> {
                  throw new IllegalStateException("as a cold one would");
                })
            .start();
    assertTrue(next.contains(q.pid()));
    assertTrue(q.join(ChildProcesses.LONG));
    assertEquals(1, q.exitCode().orElseThrow());
    said.close();
  }

  @Test
  void aProcessWithItsOwnJvmOptions_startsAJvmOfItsOwn() throws Exception {
    JvmProcess.setStandbyJvms(1);
    Set<Long> spares = spares(1);
    JvmProcess p = new JvmProcess(() -> System.exit(3)).jvmOptions("-Xmx64m").start();
    assertFalse(spares.contains(p.pid()));
    assertTrue(p.join(ChildProcesses.LONG));
    assertEquals(3, p.exitCode().orElseThrow());
    assertTrue(
        spares.stream().allMatch(ChildProcesses::running), "the spare still waits for its process");
  }

  @Test
  void turningStandbyOff_endsEverySpare_andABadCountIsRefused() {
    JvmProcess.setStandbyJvms(2);
    Set<Long> spares = spares(2);
    JvmProcess.setStandbyJvms(0);
    assertEquals(0, JvmProcess.standbyJvms());
    await()
        .atMost(ChildProcesses.LONG)
        .until(() -> spares.stream().noneMatch(ChildProcesses::running));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> JvmProcess.setStandbyJvms(-1));
    assertTrue(e.getMessage().contains("0 (off) to 16"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> JvmProcess.setStandbyJvms(17));
  }
}
