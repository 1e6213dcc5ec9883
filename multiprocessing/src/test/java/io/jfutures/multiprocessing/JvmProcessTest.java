package io.jfutures.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What a process refuses without starting a JVM, and where-am-I in a JVM jfutures did not start.
 */
final class JvmProcessTest {

  @Test
  void aTargetThatCannotBeSerialized_failsStart_namingTheClass() {
    Object notSerializable = new Object();
    JvmProcess p = new JvmProcess(() -> System.out.println(notSerializable));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, p::start);
    assertTrue(e.getMessage().contains("java.lang.Object is not serializable"), e.getMessage());
    assertTrue(e.getMessage().contains(p.name()), e.getMessage());
    assertFalse(p.isAlive());
    assertTrue(JvmProcess.activeChildren().isEmpty());
  }

  @Test
  void aProcessNotStarted_refusesWhatNeedsAChild() {
    JvmProcess p = new JvmProcess(() -> {});
    assertEquals(
        "cannot join " + p.name() + ": it was not started",
        assertThrows(IllegalStateException.class, p::join).getMessage());
    assertThrows(IllegalStateException.class, () -> p.join(Duration.ofMillis(1)));
    assertThrows(IllegalStateException.class, p::pid);
    assertThrows(IllegalStateException.class, p::terminate);
    assertThrows(IllegalStateException.class, p::kill);
    assertThrows(IllegalStateException.class, p::onExit);
    assertTrue(p.exitCode().isEmpty());
    assertFalse(p.isAlive());
    assertTrue(p.toString().contains("initial"), p.toString());
  }

  @Test
  void aClosedProcess_cannotStart() {
    JvmProcess p = new JvmProcess(() -> {});
    p.close();
    assertThrows(IllegalStateException.class, p::start);
    assertThrows(IllegalStateException.class, () -> p.name("x"));
  }

  static final AtomicInteger RUNS = new AtomicInteger();

  /**
   * A process travels as its settings and target (its Form), and comes back as it was: written
   * again, it makes the same bytes, so nothing was lost on the way (options and class path
   * included, which have no getters).
   */
  @Test
  void aProcess_travelsWithItsSettingsAndTarget() throws Exception {
    JvmProcess p =
        new JvmProcess(() -> RUNS.incrementAndGet())
            .name("travelling")
            .daemon(true)
            .jvmOptions("-Xmx64m", "-Dx=y")
            .extraClassPath(List.of("/opt/extra.jar"));
    byte[] bytes = bytesOf(p);
    JvmProcess back =
        (JvmProcess) new ObjectInputStream(new ByteArrayInputStream(bytes)).readObject();
    assertEquals(JvmProcess.class, back.getClass());
    assertEquals("travelling", back.name());
    assertTrue(back.isDaemon());
    assertArrayEquals(bytes, bytesOf(back));
    int before = RUNS.get();
    back.run();
    assertEquals(before + 1, RUNS.get(), "the target came along");
  }

  private static byte[] bytesOf(Object o) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ObjectOutputStream objects = new ObjectOutputStream(out)) {
      objects.writeObject(o);
    }
    return out.toByteArray();
  }

  @Test
  void settings_andDefaults() {
    JvmProcess p = new JvmProcess(() -> {}).name("worker").daemon(true).jvmOptions("-Xmx64m");
    assertEquals("worker", p.name());
    assertTrue(p.isDaemon());
    assertTrue(new JvmProcess(() -> {}).name().matches("JvmProcess-\\d+"));
    assertThrows(NullPointerException.class, () -> new JvmProcess(null));
    assertThrows(NullPointerException.class, () -> p.name(null));
  }

  @Test
  void inAJvmThatJfuturesDidNotStart_currentIsMainProcess_andThereIsNoParent() {
    ProcessInfo me = JvmProcess.current();
    assertEquals("MainProcess", me.name());
    assertEquals(ProcessHandle.current().pid(), me.pid());
    assertTrue(me.isAlive());
    assertTrue(JvmProcess.parent().isEmpty());
    assertEquals(List.of(), JvmProcess.activeChildren());
    assertTrue(JvmProcess.cpuCount() >= 1);
  }
}
