package io.jfutures.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;

import io.jfutures.multiprocessing.ProcessQueue;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The child's side of an isolated test: runs the one test, selected by its unique id, with the
 * JUnit Platform's launcher, and puts its {@link TestOutcome} on the parent's queue.
 *
 * <p>The outcome is the test's own, unless a container around it failed first (a {@code BeforeAll}
 * that threw, a class that cannot be instantiated): then it is that failure, since the test never
 * ran.
 */
final class IsolatedTestRun {
  /** The system property that tells the extension, in the child, which test it runs. */
  static final String PROPERTY = "jfutures.junit.isolated";

  private IsolatedTestRun() {}

  /** Runs test {@code uniqueId} here and puts its outcome on {@code outcomes}. */
  static void run(String uniqueId, ProcessQueue<TestOutcome> outcomes) throws InterruptedException {
    System.setProperty(PROPERTY, uniqueId);
    Recorder recorder = new Recorder(uniqueId);
    LauncherDiscoveryRequest request =
        LauncherDiscoveryRequestBuilder.request().selectors(selectUniqueId(uniqueId)).build();
    Launcher launcher = LauncherFactory.create();
    launcher.execute(request, recorder);
    outcomes.put(recorder.outcome());
  }

  /** Keeps the test's result, and the first failure of a container around it. */
  private static final class Recorder implements TestExecutionListener {
    private final String uniqueId;
    private final Map<String, TestOutcome> results = new ConcurrentHashMap<>();
    private volatile TestOutcome containerFailure;

    Recorder(String uniqueId) {
      this.uniqueId = uniqueId;
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
      if (test.getUniqueId().equals(uniqueId)) {
        results.put(uniqueId, TestOutcome.of(TestOutcome.Status.SKIPPED, new Skipped(reason)));
      }
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
      TestOutcome outcome =
          TestOutcome.of(
              TestOutcome.Status.valueOf(result.getStatus().name()),
              result.getThrowable().orElse(null));
      if (test.getUniqueId().equals(uniqueId)) {
        results.put(uniqueId, outcome);
      } else if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL
          && containerFailure == null
          && uniqueId.startsWith(test.getUniqueId())) {
        containerFailure = outcome;
      }
    }

    TestOutcome outcome() {
      TestOutcome own = results.get(uniqueId);
      if (own != null
          && (own.status() != TestOutcome.Status.SUCCESSFUL || containerFailure == null)) {
        return own;
      }
      if (containerFailure != null) {
        return containerFailure; // a @BeforeAll threw, or an @AfterAll after the test passed
      }
      return TestOutcome.of(
          TestOutcome.Status.NOT_FOUND,
          new IllegalStateException(
              "the isolated JVM did not find test "
                  + uniqueId
                  + " on its class path: is the test class compiled, and is it the same class"
                  + " path as this JVM's?"));
    }
  }

  /** Why the child skipped the test (it was disabled there, by a condition). */
  static final class Skipped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Skipped(String reason) {
      super(reason, null, false, false);
    }
  }
}
