package io.jfutures.multiprocessing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.impl.internal.jvm.JvmTree;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Processes whose parent is a JVM of its own, which exits normally or is killed. */
final class ParentProgramsIT {
  private static final Duration LONG = ChildProcesses.LONG;

  @TempDir Path dir;

  /** Starts {@link ParentProgram} in {@code mode}; returns the pid of the child it printed. */
  private static Process parent(String mode, Path dir, String... more) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                ParentProgram.JAVA,
                "-cp",
                System.getProperty("java.class.path"),
                ParentProgram.class.getName(),
                mode,
                dir.toString()));
    command.addAll(List.of(more));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  /** Returns the rest of the first line of the parent's output that starts with {@code tag}. */
  private static String line(Process parent, String tag) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      if (line.startsWith(tag)) {
        return line.substring(tag.length()).trim();
      }
    }
    throw new AssertionError("the parent printed no " + tag);
  }

  private static String blockName() {
    return "jfutures_it_" + ProcessHandle.current().pid() + "_" + System.nanoTime();
  }

  private static Path block(String name) {
    return JvmTree.files().resolve(name);
  }

  private static long childPid(Process parent) throws Exception {
    return Long.parseLong(line(parent, "CHILD "));
  }

  @Test
  void aDaemonChild_endsWithinASecondOfItsParentsSigkill() throws Exception {
    Process parent = parent("daemon-then-block", dir);
    long child;
    try {
      child = childPid(parent);
      assertTrue(ChildProcesses.running(child));
    } finally {
      parent.destroyForcibly(); // SIGKILL: no shutdown hook of the parent runs
    }
    assertTrue(parent.waitFor(LONG.toSeconds(), TimeUnit.SECONDS));
    await().atMost(Duration.ofSeconds(1)).until(() -> !ChildProcesses.running(child));
  }

  /**
   * Processes started in standby JVMs keep their kind: at the parent's SIGKILL the daemon one and
   * the spares end, and the non-daemon one runs on.
   */
  @Test
  void processesInStandbyJvms_endOrRunOnAsTheirKindSays_whenTheParentIsKilled() throws Exception {
    Process parent = parent("standby-then-block", dir);
    long daemon;
    long nonDaemon;
    List<ProcessHandle> others;
    try {
      String[] said = line(parent, "STANDBY ").split(" "); // took-spares daemon-pid non-daemon-pid
      assertEquals("true", said[0], "both processes took a standby JVM");
      daemon = Long.parseLong(said[1]);
      nonDaemon = Long.parseLong(said[2]);
      others = parent.toHandle().children().filter(h -> h.pid() != nonDaemon).toList();
      assertTrue(others.stream().anyMatch(h -> h.pid() == daemon));
      assertEquals(3, others.size(), "the daemon process and two replacement spares: " + others);
    } finally {
      parent.destroyForcibly(); // SIGKILL: no shutdown hook of the parent runs
    }
    try {
      assertTrue(parent.waitFor(LONG.toSeconds(), TimeUnit.SECONDS));
      await().atMost(Duration.ofSeconds(1)).until(() -> !ChildProcesses.running(daemon));
      // The replacement spares end too (one may still be booting: it ends when it reads stdin).
      await()
          .atMost(LONG)
          .until(() -> others.stream().noneMatch(h -> ChildProcesses.running(h.pid())));
      await()
          .during(Duration.ofSeconds(1))
          .atMost(Duration.ofSeconds(3))
          .until(() -> ChildProcesses.running(nonDaemon));
    } finally {
      ProcessHandle.of(nonDaemon).ifPresent(ProcessHandle::destroyForcibly);
    }
    await().atMost(LONG).until(() -> !ChildProcesses.running(nonDaemon));
  }

  @Test
  void atANormalExit_aNonDaemonChildIsWaitedFor_andADaemonChildIsTerminated() throws Exception {
    Process parent = parent("both-then-return", dir);
    long daemon = childPid(parent);
    assertTrue(parent.waitFor(LONG.toSeconds(), TimeUnit.SECONDS));
    assertEquals(0, parent.exitValue());
    // The non-daemon child wrote its file before the parent could exit.
    assertEquals("finished", Files.readString(dir.resolve("non-daemon")));
    await().atMost(LONG).until(() -> !ChildProcesses.running(daemon));
    assertTrue(
        Files.readString(dir.resolve("daemon-exit")).equals("-15"),
        "the daemon child was terminated at the parent's exit");
  }

  /** F16: an owner's death leaves its blocks to the program, which removes them at its exit. */
  @Test
  void theBlocksOfAnOwnerKilledWithSigkill_stayWhileTheProgramRuns_andGoAtItsExit()
      throws Exception {
    String name = blockName();
    Process parent = parent("owner-child-killed", dir, name);
    BufferedReader out =
        new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
    assertEquals("ATTACHED 42 41", out.readLine());
    String counter = out.readLine().substring("NAME ".length());
    assertTrue(parent.waitFor(LONG.toSeconds(), TimeUnit.SECONDS));
    assertEquals(0, parent.exitValue());
    assertFalse(Files.exists(block(name)), "the dead owner's named block outlived the program");
    assertFalse(Files.exists(block(counter)), "the dead owner's SharedInt outlived the program");
  }

  /** F16: a program killed with SIGKILL leaves its blocks to the next one, which removes them. */
  @Test
  void theBlocksOfAProgramKilledWithSigkill_areRemovedByTheNextProgram() throws Exception {
    String first = blockName();
    Process killed = parent("create-then-block", dir, first);
    try {
      line(killed, "CREATED");
    } finally {
      killed.destroyForcibly();
    }
    assertTrue(killed.waitFor(LONG.toSeconds(), TimeUnit.SECONDS));
    assertTrue(Files.exists(block(first)), "SIGKILL runs no clean-up: the block is left");

    String second = blockName();
    Process next = parent("create-then-return", dir, second);
    assertEquals("", line(next, "CREATED"));
    assertTrue(next.waitFor(LONG.toSeconds(), TimeUnit.SECONDS));
    assertFalse(Files.exists(block(first)), "the next program did not remove the dead one's block");
    assertFalse(Files.exists(block(second)), "a program's own block outlived it");
  }
}
