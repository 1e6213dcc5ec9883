package io.jfutures.junit;

import io.jfutures.multiprocessing.JvmProcess;
import io.jfutures.multiprocessing.ProcessQueue;
import io.jfutures.spi.WorkerExit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * The parent's side of an isolated test: starts its child JVM, waits for it to end, and turns what
 * happened into what the test does here (passes, throws the child's failure, or fails with a crash
 * report).
 *
 * <pre>
 * Steps: STARTED -> ENDED (the child ran the test, put its outcome, and exited; or it died)
 *        STARTED -> TIMED_OUT (threads printed, then killed) -> ENDED.
 * Invariant: run() returns or throws only once the child has exited: no test leaves its JVM
 * running, and its output has been read, so it is the test's output and not the next one's.
 * </pre>
 */
final class IsolatedLaunch {
  /** How a test's JVM is set up, from its annotations. */
  record Settings(List<String> jvmOptions, Map<String, String> systemProperties, long timeout) {}

  /** Lines of a fatal error's {@code hs_err} file quoted in a crash report. */
  private static final int HS_ERR_LINES = 40;

  private IsolatedLaunch() {}

  /**
   * Runs the test of {@code context} in a child JVM, returning if it passed there.
   *
   * @throws Throwable what the test threw in the child, a {@link TestAbortedException} if it was
   *     aborted or skipped there, or an {@link AssertionFailedError} if the child ended without an
   *     outcome or timed out
   */
  static void run(ExtensionContext context, Settings settings) throws Throwable {
    String uniqueId = context.getUniqueId();
    Path errors = Files.createTempDirectory("jfutures-isolated-");
    List<String> options = new ArrayList<>(settings.jvmOptions());
    settings.systemProperties().forEach((k, v) -> options.add("-D" + k + "=" + v));
    options.add("-XX:ErrorFile=" + errors.resolve("hs_err_pid%p.log"));
    ProcessQueue<TestOutcome> outcomes = new ProcessQueue<>();
    try {
      JvmProcess child =
          new JvmProcess(() -> IsolatedTestRun.run(uniqueId, outcomes))
              .name("isolated " + context.getDisplayName())
              .daemon(true)
              .jvmOptions(options.toArray(String[]::new))
              .start();
      if (!child.join(Duration.ofSeconds(settings.timeout()))) {
        throw timedOut(child, settings.timeout());
      }
      TestOutcome outcome = outcomes.poll();
      if (outcome == null) {
        throw crashed(child, errors);
      }
      switch (outcome.status()) {
        case SUCCESSFUL:
          return;
        case SKIPPED:
          throw new TestAbortedException(
              "skipped in its isolated JVM: " + outcome.thrown().getMessage());
        default:
          throw outcome.thrown();
      }
    } finally {
      outcomes.close();
      deleteUnlessCrashed(errors);
    }
  }

  /** Prints the child's threads on its standard output, kills it, and says so. */
  private static AssertionFailedError timedOut(JvmProcess child, long seconds)
      throws InterruptedException {
    boolean dumped = printThreads(child);
    child.kill();
    child.join(Duration.ofSeconds(30));
    return new AssertionFailedError(
        "the test's JVM (pid "
            + child.pid()
            + ") ran longer than @IsolatedJvm(timeoutSeconds = "
            + seconds
            + ") and was killed"
            + (dumped ? "; its threads are printed on the test's standard output above" : ""));
  }

  /** Sends SIGQUIT, on which a JVM prints its threads; waits a moment for them to be printed. */
  private static boolean printThreads(JvmProcess child) throws InterruptedException {
    try {
      Process kill = new ProcessBuilder("kill", "-QUIT", Long.toString(child.pid())).start();
      if (!kill.waitFor(5, java.util.concurrent.TimeUnit.SECONDS) || kill.exitValue() != 0) {
        return false;
      }
      child.join(Duration.ofSeconds(1)); // it stays alive: this only lets the dump come out
      return true;
    } catch (IOException e) {
      return false; // no kill command here
    }
  }

  /** Says how the child ended without an outcome: its exit, its stderr's end, its hs_err file. */
  private static AssertionFailedError crashed(JvmProcess child, Path errors) throws IOException {
    int code = child.exitCode().orElseThrow();
    List<Path> hsErrs;
    try (Stream<Path> files = Files.list(errors)) {
      hsErrs = files.toList();
    }
    List<String> tail = child.stderrTail();
    boolean fatal = !hsErrs.isEmpty() || tail.stream().anyMatch(l -> l.contains("A fatal error"));
    StringBuilder report = new StringBuilder("the test's JVM (pid ").append(child.pid());
    String ended =
        code < 0
            ? "was ended by signal " + -code + signalName(-code)
            : "exited with status " + code;
    if (fatal) {
      report.append(") crashed with a fatal error of the JVM; it ").append(ended);
    } else if (code < 0) {
      report.append(") ").append(ended).append(" before the test ended");
    } else {
      report.append(") ").append(ended).append(" before the test ended");
      report.append(" (System.exit or Runtime.halt in the test or the code it calls?)");
    }
    if (!tail.isEmpty()) {
      report.append("\nits standard error ends with:\n  ").append(String.join("\n  ", tail));
    }
    for (Path hsErr : hsErrs) {
      report.append("\nthe JVM's fatal error report, ").append(hsErr).append(", begins:\n  ");
      try (Stream<String> lines = Files.lines(hsErr)) {
        report.append(String.join("\n  ", lines.limit(HS_ERR_LINES).toList()));
      }
    }
    return new AssertionFailedError(report.toString());
  }

  private static String signalName(int signal) {
    String name = WorkerExit.ofProcessExitCode(128 + signal).signal();
    return " (" + name + (signal == 6 ? ": a fatal error of the JVM, or abort())" : ")");
  }

  /** Removes the hs_err directory, unless it holds a report the failure points to. */
  private static void deleteUnlessCrashed(Path errors) {
    try (Stream<Path> files = Files.list(errors)) {
      if (files.findAny().isEmpty()) {
        Files.delete(errors);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
