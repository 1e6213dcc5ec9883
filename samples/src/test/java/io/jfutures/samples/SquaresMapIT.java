package io.jfutures.samples;

import static io.jfutures.samples.Awaits.awaitNoChildProcess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.impl.ProcessPoolExecutor;
import io.jfutures.samples.SquaresMap.Square;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

final class SquaresMapIT {
  private static ProcessPoolExecutor pool;

  @BeforeAll
  static void makePool() {
    pool = ProcessPoolExecutor.newBuilder().maxWorkers(2).build();
  }

  @AfterAll
  static void closePool() {
    pool.close();
    awaitNoChildProcess();
  }

  @Test
  void run_resultsInInputOrder() throws Exception {
    Narration narration = new Narration();
    List<Square> squares = SquaresMap.run(pool, 20, 3, narration.out());
    assertEquals(
        IntStream.rangeClosed(1, 20).boxed().collect(Collectors.toList()),
        squares.stream().map(Square::x).collect(Collectors.toList()));
    assertEquals(
        IntStream.rangeClosed(1, 20).mapToObj(x -> (long) x * x).collect(Collectors.toList()),
        squares.stream().map(Square::square).collect(Collectors.toList()));
    assertTrue(narration.text().contains("results in input order: [1, 4, 9, 16, 25, 36,"));
  }

  @Test
  void run_eachChunkInOneChildJvm() throws Exception {
    List<Square> squares = SquaresMap.run(pool, 20, 3, new Narration().out());
    for (int from = 0; from < squares.size(); from += 3) {
      List<Square> chunk = squares.subList(from, Math.min(from + 3, squares.size()));
      Set<String> workers = chunk.stream().map(Square::worker).collect(Collectors.toSet());
      assertEquals(1, workers.size(), "one worker per chunk: " + chunk);
      assertTrue(chunk.get(0).pid() > 0, chunk.toString());
      assertNotEquals(Workers.pid(), chunk.get(0).pid(), "computed in a child JVM: " + chunk);
    }
  }

  @Test
  void run_chunkLargerThanInput() throws Exception {
    List<Square> squares = SquaresMap.run(pool, 5, 100, new Narration().out());
    assertEquals(
        List.of(1L, 4L, 9L, 16L, 25L),
        squares.stream().map(Square::square).collect(Collectors.toList()));
    assertEquals(1, squares.stream().map(Square::worker).distinct().count(), "one chunk");
  }
}
