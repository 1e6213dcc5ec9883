package io.jfutures.samples;

import static io.jfutures.samples.Awaits.awaitNoChildProcess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.impl.ProcessPoolExecutor;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

final class AsyncPipelineIT {
  @Test
  void run_digestsInChildJvms_combinesFromACallback_andSaysWhySupplyAsyncIsRefused()
      throws Exception {
    List<String> words = List.of("alpha", "beta", "gamma");
    Narration narration = new Narration();
    AsyncPipeline.Outcome outcome;
    try (ProcessPoolExecutor pool = ProcessPoolExecutor.newBuilder().maxWorkers(2).build()) {
      outcome = AsyncPipeline.run(pool, words, narration.out());
    }
    awaitNoChildProcess();
    assertEquals(
        words,
        outcome.digests().stream().map(AsyncPipeline.Digest::word).collect(Collectors.toList()));
    for (AsyncPipeline.Digest d : outcome.digests()) {
      assertEquals(AsyncPipeline.slowDigest(d.word()), d.digest());
      assertNotEquals(Workers.pid(), d.pid(), "computed in a child JVM");
    }
    long[] digests = outcome.digests().stream().mapToLong(AsyncPipeline.Digest::digest).toArray();
    assertEquals(AsyncPipeline.combine(digests), outcome.combined());
    assertEquals(List.of(5, 4, 5), outcome.lengths());
    assertNotNull(outcome.refusal());
    assertTrue(outcome.refusal().contains("Futures.supplyAsync"), outcome.refusal());
    assertTrue(narration.text().contains("is refused at the call"), narration.text());
  }
}
