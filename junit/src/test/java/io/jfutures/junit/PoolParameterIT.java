package io.jfutures.junit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** {@link TestPool} through {@code EngineTestKit}, with real pools and child JVMs. */
@Timeout(120)
class PoolParameterIT {
  @AfterEach
  void cleanUpWhatTheLeakyCasesLeft() throws Exception {
    if (PoolCases.Leaky.leakedPool != null) {
      PoolCases.Leaky.leakedPool.shutdown(true, true);
      PoolCases.Leaky.leakedPool = null;
    }
    if (PoolCases.Leaky.leakedProcess != null) {
      PoolCases.Leaky.leakedProcess.kill();
      PoolCases.Leaky.leakedProcess.join(Duration.ofSeconds(30));
      PoolCases.Leaky.leakedProcess = null;
    }
    List<ProcessHandle> left =
        ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList();
    assertTrue(left.isEmpty(), () -> "child processes left: " + left);
  }

  @Test
  void testsGetPools_shutDownAfterTheTestOrTheClass() {
    run(selectClass(PoolCases.UsesPools.class))
        .testEvents()
        .assertStatistics(s -> s.started(2).succeeded(2).failed(0));
    assertTrue(PoolCases.UsesPools.classPool.isTerminated(), "the class pool, after the class");
  }

  @Test
  void aTestThatLeavesAPoolRunning_failsNamingItsThreads() {
    String m = onlyFailure(run(selectMethod(PoolCases.Leaky.class, "leavesAThreadPool")));
    assertTrue(m.contains("the test left running: thread \"jfutures-thread-pool-"), m);
  }

  @Test
  void aTestThatLeavesAProcessRunning_failsNamingIt() {
    String m = onlyFailure(run(selectMethod(PoolCases.Leaky.class, "leavesAProcess")));
    assertTrue(
        m.contains("process " + PoolCases.Leaky.leakedProcess.pid() + " ("), "names the pid: " + m);
  }

  @Test
  void aParameterOfAnotherType_isRefusedNamingTheTypesItCanBe() {
    String m = onlyFailure(run(selectClass(PoolCases.WrongType.class)));
    assertTrue(m.contains("ProcessPoolExecutor or ThreadPoolExecutor"), m);
    assertTrue(m.contains("java.util.concurrent.ExecutorService"), m);
  }

  private static EngineExecutionResults run(DiscoverySelector... selectors) {
    return EngineTestKit.engine("junit-jupiter").selectors(selectors).execute();
  }

  private static String onlyFailure(EngineExecutionResults results) {
    results.testEvents().assertStatistics(s -> s.failed(1));
    return results.testEvents().failed().stream()
        .findFirst()
        .orElseThrow()
        .getRequiredPayload(TestExecutionResult.class)
        .getThrowable()
        .orElseThrow()
        .getMessage();
  }
}
