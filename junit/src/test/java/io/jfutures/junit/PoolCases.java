package io.jfutures.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.jfutures.impl.ProcessPoolExecutor;
import io.jfutures.impl.ThreadPoolExecutor;
import io.jfutures.multiprocessing.JvmProcess;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/** Test classes that {@link PoolParameterIT} runs through {@code EngineTestKit}. */
final class PoolCases {
  private PoolCases() {}

  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class UsesPools {
    static ProcessPoolExecutor classPool;
    static ProcessPoolExecutor testPool;

    @Test
    @Order(1)
    void getsAProcessPool(
        @TestPool(workers = 1) ProcessPoolExecutor pool,
        @TestPool(workers = 1, scope = TestPool.Scope.CLASS) ProcessPoolExecutor shared)
        throws Exception {
      testPool = pool;
      classPool = shared;
      assertEquals(List.of(1, 4, 9), pool.map(x -> x * x, List.of(1, 2, 3)).toList());
      assertEquals(5, shared.submit(() -> 5).get());
    }

    @Test
    @Order(2)
    void getsAThreadPool_andTheClassPoolAgain(
        @TestPool(workers = 3) ThreadPoolExecutor threads,
        @TestPool(workers = 1, scope = TestPool.Scope.CLASS) ProcessPoolExecutor shared)
        throws Exception {
      assertEquals(3, threads.maxWorkers());
      assertSame(classPool, shared, "one class pool per settings");
      assertEquals(6, shared.submit(() -> 6).get());
      assertEquals(true, testPool.isTerminated(), "the first test's pool was shut down");
    }
  }

  /** Registers the extension for its check alone: no test here takes a pool. */
  @ExtendWith(TestPoolExtension.class)
  static class Leaky {
    static ThreadPoolExecutor leakedPool;
    static JvmProcess leakedProcess;

    @Test
    void leavesAThreadPool() throws Exception {
      leakedPool = ThreadPoolExecutor.newBuilder().maxWorkers(1).build();
      leakedPool.submit(() -> 1).get();
    }

    @Test
    void leavesAProcess() {
      leakedProcess =
          new JvmProcess(
                  () -> Thread.sleep(120_000)) // a task body that must take time: it is killed
              .daemon(true)
              .start();
    }
  }

  static class WrongType {
    @Test
    void asksForAnExecutorService(@TestPool ExecutorService pool) {}
  }
}
