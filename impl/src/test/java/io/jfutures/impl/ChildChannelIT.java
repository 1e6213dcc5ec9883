package io.jfutures.impl;

import static io.jfutures.impl.Awaits.awaitNoChildren;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.api.WorkerDiedException;
import io.jfutures.impl.internal.jvm.ChildJvm;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The channel to a worker JVM: two pipes the child makes (the default on Linux) or a Unix-domain
 * socket ({@code -Djfutures.channel=socket}), each carrying tasks both ways, and neither confused
 * by what a task prints.
 */
@Timeout(60)
final class ChildChannelIT {
  @AfterEach
  void restore() {
    System.clearProperty(ChildJvm.CHANNEL_PROPERTY);
    awaitNoChildren();
  }

  @ParameterizedTest
  @ValueSource(strings = {"pipe", "socket"})
  void eachChannel_carriesTasksAndOutcomes_andAWorkersCrashIsSeen(String channel) throws Exception {
    System.setProperty(ChildJvm.CHANNEL_PROPERTY, channel);
    try (ProcessPoolExecutor pool =
        ProcessPoolExecutor.newBuilder()
            .maxWorkers(1)
            .workerDeathPolicy(WorkerDeathPolicy.REPLACE_WORKER)
            .build()) {
      long pid = pool.submit(() -> ProcessHandle.current().pid()).get(30, SECONDS);
      assertNotEquals(ProcessHandle.current().pid(), pid);
      byte[] big = new byte[1 << 20];
      big[12345] = 7;
      assertEquals(7, pool.submit(() -> big[12345] + big.length - (1 << 20)).get(30, SECONDS));
      ExecutionException crash =
          assertThrows(
              ExecutionException.class,
              () ->
                  pool.submit(
                          () -> {
                            Runtime.getRuntime().halt(3);
                            return 0;
                          })
                      .get(30, SECONDS));
      assertInstanceOf(WorkerDiedException.class, crash.getCause());
      assertEquals(42, pool.submit(() -> 42).get(30, SECONDS)); // on a new worker
    }
  }

  @Test
  void aTaskThatPrintsTheAnnouncement_isOnlyPrinted() throws Exception {
    PrintStream out = System.out;
    ByteArrayOutputStream copy = new ByteArrayOutputStream();
    System.setOut(new PrintStream(copy, true, StandardCharsets.UTF_8));
    try (ProcessPoolExecutor pool = ProcessPoolExecutor.newBuilder().maxWorkers(1).build()) {
      String line = "\u0000jfutures-pipes 0 1";
      int got =
          pool.submit(
                  () -> {
                    System.out.println(line);
                    System.out.flush();
                    return 1;
                  })
              .get(30, SECONDS);
      assertEquals(1, got);
      pool.shutdown(true, false); // its output is copied before the worker's exit completes
    } finally {
      System.setOut(out);
    }
    assertTrue(
        copy.toString(StandardCharsets.UTF_8).contains("jfutures-pipes 0 1"), copy::toString);
    // The worker's JIT options would print each compile command on its output, were they not quiet.
    assertFalse(copy.toString(StandardCharsets.UTF_8).contains("CompileCommand"), copy::toString);
  }
}
