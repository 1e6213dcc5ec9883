package io.jfutures.samples;

import static io.jfutures.samples.Awaits.awaitNoChildProcess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.impl.ProcessPoolExecutor;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

final class RemoteExceptionIT {
  private static final String PARSE_PORT = RemoteException.ParsePort.class.getName();

  private static ProcessPoolExecutor pool;

  @BeforeAll
  static void makePool() {
    pool = ProcessPoolExecutor.newBuilder().maxWorkers(1).build();
  }

  @AfterAll
  static void closePool() {
    pool.close();
    awaitNoChildProcess();
  }

  @Test
  void run_causeKeepsClassAndMessage() throws Exception {
    Narration narration = new Narration();
    RemoteException.Observed seen = RemoteException.run(pool, narration.out());
    assertEquals(IllegalArgumentException.class, seen.cause().getClass(), seen.toString());
    assertEquals("port must be between 1 and 65535, was 70000", seen.cause().getMessage());
    String text = narration.text();
    assertTrue(text.contains("caused by java.lang.IllegalArgumentException"), text);
    assertTrue(text.contains("\tat " + PARSE_PORT + ".checkRange("), text);
  }

  @Test
  void run_causeHasTheWorkersStackTrace() throws Exception {
    List<StackTraceElement> frames = RemoteException.run(pool, new Narration().out()).frames();
    assertTrue(!frames.isEmpty(), "a stack trace");
    StackTraceElement top = frames.get(0);
    assertEquals(PARSE_PORT, top.getClassName(), frames.toString());
    assertEquals("checkRange", top.getMethodName(), frames.toString());
    assertTrue(
        frames.stream()
            .anyMatch(f -> f.getClassName().equals(PARSE_PORT) && f.getMethodName().equals("call")),
        frames.toString());
    // The worker's frames, not this JVM's: neither the sample's caller nor this test is in them.
    assertFalse(
        frames.stream()
            .anyMatch(
                f ->
                    f.getClassName().equals(RemoteException.class.getName())
                        || f.getClassName().equals(RemoteExceptionIT.class.getName())),
        frames.toString());
  }

  @Test
  void run_poolStillWorksAfterwards() throws Exception {
    RemoteException.Observed seen = RemoteException.run(pool, new Narration().out());
    assertEquals(8080, seen.afterwards());
    assertFalse(pool.isShutdown());
    assertEquals(1, pool.workerPids().size(), pool.workerPids().toString());
  }
}
