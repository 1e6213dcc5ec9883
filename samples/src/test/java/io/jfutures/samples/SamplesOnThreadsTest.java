package io.jfutures.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.impl.ThreadPoolExecutor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The samples that take an executor, run on a thread pool: the same code as on a process pool,
 * without starting a JVM. Fast checks of the samples' logic; the ITs run them in child JVMs.
 */
final class SamplesOnThreadsTest {
  private static ThreadPoolExecutor pool;

  @BeforeAll
  static void makePool() {
    pool = ThreadPoolExecutor.newBuilder().maxWorkers(2).threadNamePrefix("samples-test").build();
  }

  @AfterAll
  static void closePool() {
    pool.close();
  }

  @Test
  void squaresMap_inInputOrder() throws Exception {
    Narration narration = new Narration();
    List<SquaresMap.Square> squares = SquaresMap.run(pool, 20, 3, narration.out());
    assertEquals(
        IntStream.rangeClosed(1, 20).boxed().collect(Collectors.toList()),
        squares.stream().map(SquaresMap.Square::x).collect(Collectors.toList()));
    for (SquaresMap.Square s : squares) {
      assertEquals((long) s.x() * s.x(), s.square());
      assertEquals(Workers.pid(), s.pid());
      assertTrue(s.worker().contains("samples-test"), s.worker());
    }
    String text = narration.text();
    assertTrue(text.contains("chunk [19, 20]"), text);
    assertTrue(text.contains("[1, 4, 9, 16, 25,"), text);
  }

  @Test
  void asyncPipeline_onThreads_supplyAsyncWorksToo() throws Exception {
    AsyncPipeline.Outcome outcome =
        AsyncPipeline.run(pool, List.of("one", "three"), new Narration().out());
    assertEquals(List.of(3, 5), outcome.lengths());
    assertEquals(null, outcome.refusal(), "a thread pool runs CompletableFuture.supplyAsync");
    assertEquals(
        AsyncPipeline.combine(
            new long[] {AsyncPipeline.slowDigest("one"), AsyncPipeline.slowDigest("three")}),
        outcome.combined());
  }

  @Test
  void squaresMap_chunkSizeZero() {
    assertThrows(
        IllegalArgumentException.class, () -> SquaresMap.run(pool, 20, 0, new Narration().out()));
  }

  @Test
  void remoteException_onThreads() throws Exception {
    Narration narration = new Narration();
    RemoteException.Observed seen = RemoteException.run(pool, narration.out());
    assertEquals(IllegalArgumentException.class, seen.cause().getClass());
    assertEquals("port must be between 1 and 65535, was 70000", seen.cause().getMessage());
    assertTrue(
        seen.frames().stream()
            .anyMatch(
                f ->
                    f.getClassName().equals(RemoteException.ParsePort.class.getName())
                        && f.getMethodName().equals("checkRange")),
        seen.frames().toString());
    assertEquals(8080, seen.afterwards());
    assertTrue(narration.text().contains("java.lang.IllegalArgumentException"));
  }

  @Test
  void parsePort_valid() {
    assertEquals(443, new RemoteException.ParsePort("443").call());
  }

  @Test
  void parsePort_notANumber() {
    assertThrows(NumberFormatException.class, () -> new RemoteException.ParsePort("http").call());
  }

  @Test
  void fib_knownValues() {
    assertEquals(
        List.of(0L, 1L, 1L, 2L, 3L, 5L, 55L, 6765L),
        IntStream.of(0, 1, 2, 3, 4, 5, 10, 20)
            .mapToObj(CpuSpeedup::fib)
            .collect(Collectors.toList()));
  }

  @Test
  void cpuSpeedup_defaults() {
    assertTrue(CpuSpeedup.defaultWorkers() >= 2);
    assertEquals(8, CpuSpeedup.DEFAULT_INPUTS.size());
  }

  @Test
  void since_formatsSecondsWithADot() {
    // Surefire runs with -Duser.language=hi -Duser.country=IN: the format must not follow it.
    Instant origin = Instant.EPOCH;
    assertEquals("+1.500 s", Workers.since(origin, origin.plusMillis(1500)));
    assertEquals("-0.250 s", Workers.since(origin, origin.minusMillis(250)));
    assertEquals("0.042 s", Workers.seconds(Duration.ofMillis(42)));
  }

  @Test
  void warmUp_seesEachThread() throws Exception {
    Narration narration = new Narration();
    assertEquals(2, Workers.warmUp(pool, 2, narration.out()).size());
    assertTrue(narration.text().contains("warmed up"));
  }

  @Test
  void processJoin_info_inAJvmJfuturesDidNotStart() {
    assertEquals(
        "main line: process MainProcess, pid " + ProcessHandle.current().pid() + ", parent pid -1",
        ProcessJoin.info("main line"));
  }

  @Test
  void poolApplyAsync_task() {
    assertEquals("3*3=9 in pid " + ProcessHandle.current().pid(), PoolApplyAsync.f(3));
  }
}
