package io.jfutures.multiprocessing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.multiprocessing.internal.hub.Hub;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Processes in real child JVMs: what they run, how they end, and what their exit codes say. */
final class JvmProcessIT {
  private static final Duration LONG = ChildProcesses.LONG;

  @TempDir Path dir;

  @AfterEach
  void noChildLeft() {
    ChildProcesses.awaitNone();
  }

  /** Writes who the child is, and who its parent is, to {@code file}. */
  static void report(String file) throws Exception {
    ProcessInfo me = JvmProcess.current();
    ProcessInfo parent = JvmProcess.parent().orElseThrow();
    Files.writeString(
        Path.of(file),
        String.join(
            "\n",
            me.name(),
            Long.toString(me.pid()),
            Boolean.toString(me.daemon()),
            parent.name(),
            Long.toString(parent.pid()),
            Boolean.toString(parent.isAlive())));
  }

  @Test
  void aTargetRunsInAChildJvm_thatKnowsItselfAndItsParent() throws Exception {
    String file = dir.resolve("who").toString();
    JvmProcess p = new JvmProcess(() -> report(file)).name("reporter").daemon(true);
    assertTrue(p.exitCode().isEmpty());
    p.start();
    assertTrue(p.isAlive() || p.exitCode().isPresent());
    assertNotEquals(ProcessHandle.current().pid(), p.pid());
    p.join();
    assertEquals(OptionalInt.of(0), p.exitCode());
    assertFalse(p.isAlive());
    List<String> lines = Files.readAllLines(Path.of(file));
    assertEquals(
        List.of(
            "reporter",
            Long.toString(p.pid()),
            "true",
            "MainProcess",
            Long.toString(ProcessHandle.current().pid()),
            "true"),
        lines);
    assertTrue(p.toString().contains("stopped exitcode=0"), p.toString());
    p.close();
    assertThrows(IllegalStateException.class, p::start);
  }

  /** Writes this JVM's command-line options to {@code file}, and says hello on standard output. */
  static void reportOptions(String file) throws Exception {
    System.out.println("hello from the child");
    Files.writeString(
        Path.of(file), String.join("\n", ProcessHandle.current().info().arguments().orElseThrow()));
  }

  @Test
  void aChildLeavesJfuturesCodeToC1_andTheJvmsNoticeOfItIsNotItsOutput() throws Exception {
    String file = dir.resolve("options").toString();
    PrintStream saved = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    JvmProcess p;
    try {
      p = new JvmProcess(() -> reportOptions(file)).start();
      p.join();
    } finally {
      System.setOut(saved);
    }
    assertEquals(OptionalInt.of(0), p.exitCode());
    List<String> options = Files.readAllLines(Path.of(file));
    assertTrue(
        options.stream().anyMatch(o -> o.startsWith("-XX:CompilerDirectivesFile=")),
        options.toString());
    String printed = out.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("hello from the child"), printed);
    assertFalse(printed.contains("compiler directives added"), printed);
  }

  /** Has this JVM's exit wait, in a shutdown hook, until {@code release} exists (at most 30 s). */
  static void holdExitUntil(String release) {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  long deadline = System.nanoTime() + LONG.toNanos();
                  try {
                    while (!Files.exists(Path.of(release)) && System.nanoTime() < deadline) {
                      Thread.sleep(5); // a hook that must take time: it waits for the test
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }));
  }

  @Test
  void aChildsHubConnection_closesWhenItsTargetReturns_beforeItsShutdownHooks() throws Exception {
    assertConnectionClosedWhileExitHooksRun(0);
  }

  @Test
  void aChildThatCallsSystemExit_closesItsIdleHubConnection_inItsShutdownHooks() throws Exception {
    assertConnectionClosedWhileExitHooksRun(3);
  }

  /**
   * A child puts into a queue, then returns ({@code exitCode} 0) or calls {@code System.exit}; its
   * JVM is held in its hooks, by which time its hub connection must be closed, for a reader blocked
   * in a read would hold its exit 300 ms more. (Not a minute: the child halts after 10 s of hooks,
   * and the kernel would close the connection then.)
   */
  private void assertConnectionClosedWhileExitHooksRun(int exitCode) throws Exception {
    ProcessQueue<Integer> q = new ProcessQueue<>();
    Path release = dir.resolve("release");
    String releaseName = release.toString();
    JvmProcess p =
        new JvmProcess(
                () -> {
                  holdExitUntil(releaseName);
                  q.put(1);
                  if (exitCode != 0) {
                    System.exit(exitCode);
                  }
                })
            .daemon(true)
            .start();
    assertEquals(1, q.get(LONG));
    assertTrue(
        Hub.awaitDeparted(p.pid(), Duration.ofSeconds(5)),
        "the child's hub connection is open in its exit hooks");
    assertTrue(p.isAlive(), "still in its hooks");
    Files.createFile(release);
    assertTrue(p.join(LONG));
    assertEquals(OptionalInt.of(exitCode), p.exitCode());
  }

  /** A subclass whose fields travel with it. */
  static final class Greeter extends JvmProcess {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final String greeting;

    Greeter(String file, String greeting) {
      this.file = file;
      this.greeting = greeting;
    }

    @Override
    public void run() throws Exception {
      Files.writeString(Path.of(file), greeting + " from " + JvmProcess.current().name());
    }
  }

  @Test
  void aSubclassOverridingRun_runsWithItsFields() throws Exception {
    String file = dir.resolve("greeting").toString();
    JvmProcess p = new Greeter(file, "hello").name("greeter").start();
    p.join();
    assertEquals(OptionalInt.of(0), p.exitCode());
    assertEquals("hello from greeter", Files.readString(Path.of(file)));
  }

  @Test
  void exitCodes_areTheStatusOrOneForAnException() throws Exception {
    JvmProcess three = new JvmProcess(() -> System.exit(3)).start();
    JvmProcess ownStatus143 = new JvmProcess(() -> System.exit(143)).start();
    JvmProcess halted = new JvmProcess(() -> Runtime.getRuntime().halt(5)).start();
    PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    JvmProcess thrower;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      thrower =
          new JvmProcess(
                  () -> {
                    throw new IllegalStateException("boom in the child");
                  })
              .name("thrower")
              .start();
      thrower.join();
    } finally {
      System.setErr(saved);
    }
    three.join();
    ownStatus143.join();
    halted.join();
    assertEquals(OptionalInt.of(3), three.exitCode());
    assertEquals(OptionalInt.of(143), ownStatus143.exitCode(), "its own status, not a SIGTERM");
    assertEquals(OptionalInt.of(5), halted.exitCode());
    assertEquals(OptionalInt.of(1), thrower.exitCode());
    String printed = err.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("Process thrower:"), printed);
    assertTrue(printed.contains("java.lang.IllegalStateException: boom in the child"), printed);
    assertTrue(printed.contains("at io.jfutures.multiprocessing.JvmProcessIT"), printed);
  }

  /** A target that says it runs, then sleeps for longer than any test waits. */
  static void startedThenSleep(String marker) throws Exception {
    Files.createFile(Path.of(marker));
    Thread.sleep(120_000); // inside a task: longer than any test waits
  }

  @Test
  void terminateKillAndAForeignSigkill_areMinusTheirSignal() throws Exception {
    String a = dir.resolve("a").toString();
    String b = dir.resolve("b").toString();
    String c = dir.resolve("c").toString();
    JvmProcess terminated = new JvmProcess(() -> startedThenSleep(a)).start();
    JvmProcess killed = new JvmProcess(() -> startedThenSleep(b)).start();
    JvmProcess killedByOthers = new JvmProcess(() -> startedThenSleep(c)).start();
    await().atMost(LONG).until(() -> Files.exists(Path.of(a)));
    await().atMost(LONG).until(() -> Files.exists(Path.of(b)));
    await().atMost(LONG).until(() -> Files.exists(Path.of(c)));
    assertFalse(terminated.join(Duration.ofMillis(10)), "still sleeping");
    assertEquals(3, JvmProcess.activeChildren().stream().filter(JvmProcess::isAlive).count());
    CompletableFuture<JvmProcess> exited = terminated.onExit();
    terminated.terminate();
    killed.kill();
    ProcessHandle.of(killedByOthers.pid()).orElseThrow().destroyForcibly();
    assertEquals(terminated, exited.get(LONG.toSeconds(), TimeUnit.SECONDS));
    assertTrue(killed.join(LONG));
    assertTrue(killedByOthers.join(LONG));
    assertEquals(OptionalInt.of(-15), terminated.exitCode(), "SIGTERM, not the JVM's 143");
    assertEquals(OptionalInt.of(-9), killed.exitCode());
    assertEquals(OptionalInt.of(-9), killedByOthers.exitCode());
    assertThrows(IllegalStateException.class, () -> new JvmProcess(() -> {}).start().start());
  }

  @Test
  void aChildThatCannotBoot_startReturns_andItsExitCodeAndStandardErrorTellWhy() throws Exception {
    PrintStream originalErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      JvmProcess p = new JvmProcess(() -> {}).jvmOptions("-XX:+NoSuchJfuturesOption").start();
      assertTrue(p.join(LONG));
      assertEquals(OptionalInt.of(1), p.exitCode());
      await()
          .atMost(LONG)
          .until(() -> err.toString(StandardCharsets.UTF_8).contains("NoSuchJfuturesOption"));
    } finally {
      System.setErr(originalErr);
    }
  }

  @Test
  void stoppedWhileItsJvmBoots_endsWithTheSignal() throws Exception {
    // start() returns before the child has connected: a stop then still has a defined outcome.
    JvmProcess terminated = new JvmProcess(() -> Thread.sleep(120_000)).start(); // inside a task
    JvmProcess killed = new JvmProcess(() -> Thread.sleep(120_000)).start(); // inside a task
    terminated.terminate();
    killed.kill();
    assertTrue(terminated.join(LONG));
    assertTrue(killed.join(LONG));
    assertEquals(OptionalInt.of(-15), terminated.exitCode());
    assertEquals(OptionalInt.of(-9), killed.exitCode());
  }

  @Test
  void closeWhileRunning_isRefused_andStartTwiceIsRefused() throws Exception {
    String marker = dir.resolve("m").toString();
    JvmProcess p = new JvmProcess(() -> startedThenSleep(marker)).start();
    try {
      IllegalStateException e = assertThrows(IllegalStateException.class, p::close);
      assertTrue(e.getMessage().contains("still running"), e.getMessage());
      assertThrows(IllegalStateException.class, p::start);
      assertThrows(IllegalStateException.class, () -> p.daemon(true));
    } finally {
      p.kill();
      p.join();
    }
    p.close();
  }
}
