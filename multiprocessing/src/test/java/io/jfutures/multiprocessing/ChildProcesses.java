package io.jfutures.multiprocessing;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** What the multiprocessing ITs wait for about child processes. */
final class ChildProcesses {
  /** Something that involves starting a child JVM or a few. */
  static final Duration LONG = Duration.ofSeconds(30);

  private ChildProcesses() {}

  /** Waits until this JVM has no live child process, and no process it reports as active. */
  static void awaitNone() {
    await()
        .atMost(LONG)
        .until(() -> ProcessHandle.current().children().noneMatch(ProcessHandle::isAlive));
    // A process stays active until its exit is reported, which follows its last output.
    await().atMost(LONG).until(() -> JvmProcess.activeChildren().isEmpty());
  }

  /**
   * Whether the process runs: exists and is not a zombie. An orphan's zombie lingers until init
   * reaps it, and ProcessHandle still reports it alive.
   */
  static boolean running(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /** The pid of the JVM a manager started for itself (its {@code toString()} names it). */
  static long managerPid(Manager m) {
    String s = m.toString();
    return Long.parseLong(s.substring(s.indexOf("pid ") + 4, s.indexOf(']')).split(",")[0].trim());
  }

  /** Kills {@code p} with SIGKILL, as another process would, and waits for it to end. */
  static void kill9(JvmProcess p) throws InterruptedException {
    ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
    if (!p.join(LONG)) {
      throw new AssertionError(p + " did not end after SIGKILL");
    }
  }
}
