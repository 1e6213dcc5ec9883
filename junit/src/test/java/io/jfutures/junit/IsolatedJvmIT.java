package io.jfutures.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * {@link IsolatedJvm} through JUnit's own {@code EngineTestKit}: the cases of {@link IsolatedCases}
 * run in real child JVMs, and what JUnit reports here is checked.
 */
@Timeout(120)
class IsolatedJvmIT {
  @AfterEach
  void noChildLeft() {
    List<ProcessHandle> left =
        ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList();
    assertTrue(left.isEmpty(), () -> "child processes left: " + left);
  }

  @Test
  void aPassingTest_passesWithItsOutputAsItsOwn_andTheOthersRunInPlace() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    EngineExecutionResults results = capturing(out, err, selectClass(IsolatedCases.Passing.class));
    results.testEvents().assertStatistics(s -> s.started(2).succeeded(2).failed(0));
    assertTrue(
        out.toString(StandardCharsets.UTF_8).contains("printed by the isolated test"),
        out::toString);
    assertTrue(
        err.toString(StandardCharsets.UTF_8).contains("an error line of the isolated test"),
        err::toString);
  }

  @Test
  void failuresComeBackWithTheirMessagesAndStackTraces() {
    EngineExecutionResults results =
        run(selectMethod(IsolatedCases.Failing.class, "failsAnAssertion"));
    Throwable thrown = onlyFailure(results);
    assertInstanceOf(AssertionFailedError.class, thrown);
    assertTrue(thrown.getMessage().startsWith("one is not two"), thrown.getMessage());
    assertTrue(
        List.of(thrown.getStackTrace()).stream()
            .anyMatch(e -> e.getMethodName().equals("failsAnAssertion")),
        "the child's stack trace");
  }

  @Test
  void anExceptionThatCannotBeSerialized_comesBackAsAnAssertionErrorNamingIt() {
    Throwable thrown =
        onlyFailure(run(selectMethod(IsolatedCases.Failing.class, "throwsWhatCannotTravel")));
    assertInstanceOf(AssertionError.class, thrown);
    assertTrue(
        thrown.getMessage().contains(IsolatedCases.Unserializable.class.getName())
            && thrown.getMessage().contains("a field that cannot be serialized"),
        thrown.getMessage());
  }

  @Test
  void anAbortedTest_isAbortedHere() {
    EngineExecutionResults results = run(selectMethod(IsolatedCases.Failing.class, "isAborted"));
    results.testEvents().assertStatistics(s -> s.aborted(1).failed(0));
    Throwable thrown = throwable(results.testEvents().aborted().stream().findFirst().orElseThrow());
    assertInstanceOf(TestAbortedException.class, thrown);
    assertTrue(thrown.getMessage().contains("not on this machine"), thrown.getMessage());
  }

  @Test
  void aJvmThatExitsHaltsOrIsKilled_failsItsTest_andTheOthersGoOn() {
    EngineExecutionResults results =
        run(
            selectMethod(IsolatedCases.Crashing.class, "exits"),
            selectMethod(IsolatedCases.Crashing.class, "halts"),
            selectMethod(IsolatedCases.Crashing.class, "isKilled"),
            selectMethod(IsolatedCases.Crashing.class, "passesInPlace"));
    results.testEvents().assertStatistics(s -> s.started(4).failed(3).succeeded(1));
    assertEquals(
        List.of(
            "exits: exited with status 3",
            "halts: exited with status 7",
            "isKilled: was ended by signal 9 (SIGKILL)"),
        results.testEvents().failed().stream()
            .map(
                e -> {
                  String m = throwable(e).getMessage();
                  Matcher how =
                      Pattern.compile("(exited with status \\d+|was ended by .*\\))").matcher(m);
                  assertTrue(how.find(), m);
                  return e.getTestDescriptor().getDisplayName().replace("()", "")
                      + ": "
                      + how.group(1);
                })
            .sorted()
            .toList());
    String halted =
        results.testEvents().failed().stream()
            .map(e -> throwable(e).getMessage())
            .filter(m -> m.contains("status 7"))
            .findFirst()
            .orElseThrow();
    assertTrue(halted.contains("about to halt"), "the end of its standard error: " + halted);
  }

  @Test
  void aFatalErrorOfTheJvm_failsWithTheStartOfItsReport() throws IOException {
    Throwable thrown =
        onlyFailure(run(selectMethod(IsolatedCases.Crashing.class, "hasAFatalError")));
    String m = thrown.getMessage();
    assertTrue(m.contains("crashed with a fatal error of the JVM"), m);
    assertTrue(m.contains("A fatal error has been detected"), m); // the banner, or the report
    Matcher file = Pattern.compile("report, (\\S+hs_err_pid\\d+\\.log), begins").matcher(m);
    assertTrue(file.find(), m);
    Path hsErr = Path.of(file.group(1));
    assertTrue(Files.exists(hsErr), "the report stays for the user to read");
    Files.delete(hsErr);
    Files.delete(hsErr.getParent());
  }

  @Test
  void aTestThatRunsTooLong_isKilledAfterItsThreadsArePrinted() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    EngineExecutionResults results =
        capturing(
            out,
            new ByteArrayOutputStream(),
            selectMethod(IsolatedCases.Crashing.class, "runsTooLong"));
    Throwable thrown = onlyFailure(results);
    assertTrue(thrown.getMessage().contains("timeoutSeconds = 2"), thrown.getMessage());
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("Full thread dump"), "the dump");
  }

  @Test
  void aWholeClass_runsEachTestAndInvocationInAJvmOfItsOwn() {
    run(selectClass(IsolatedCases.WholeClass.class))
        .testEvents()
        .assertStatistics(s -> s.started(4).succeeded(4).failed(0));
  }

  @Test
  void aBadSetting_failsTheTestNamingIt() {
    Throwable thrown =
        onlyFailure(run(selectMethod(IsolatedCases.BadlyConfigured.class, "cannotStart")));
    assertTrue(thrown.getMessage().contains("name=value"), thrown.getMessage());
    assertFalse(thrown.getMessage().isEmpty());
  }

  private static EngineExecutionResults run(DiscoverySelector... selectors) {
    return EngineTestKit.engine("junit-jupiter").selectors(selectors).execute();
  }

  /** Runs with this JVM's standard output and error captured, as Surefire captures a test's. */
  private static EngineExecutionResults capturing(
      ByteArrayOutputStream out, ByteArrayOutputStream err, DiscoverySelector... selectors) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      return run(selectors);
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  private static Throwable onlyFailure(EngineExecutionResults results) {
    results.testEvents().assertStatistics(s -> s.failed(1));
    return throwable(results.testEvents().failed().stream().findFirst().orElseThrow());
  }

  private static Throwable throwable(Event e) {
    return e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow();
  }
}
