package io.jfutures.multiprocessing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Processes whose parent is a JVM of its own, which exits normally or is killed. */
final class ParentProgramsIT {
  private static final Duration LONG = ChildProcesses.LONG;

  @TempDir Path dir;

  /** Starts {@link ParentProgram} in {@code mode}; returns the pid of the child it printed. */
  private static Process parent(String mode, Path dir) throws Exception {
    return new ProcessBuilder(
            ParentProgram.JAVA,
            "-cp",
            System.getProperty("java.class.path"),
            ParentProgram.class.getName(),
            mode,
            dir.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }

  private static long childPid(Process parent) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      if (line.startsWith("CHILD ")) {
        return Long.parseLong(line.substring(6));
      }
    }
    throw new AssertionError("the parent printed no child pid");
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
}
