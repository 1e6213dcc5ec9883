package io.jfutures.samples;

import static io.jfutures.samples.Awaits.awaitNoChildProcess;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(180)
final class ClusterMapIT {

  @AfterEach
  void noMemberLeft() {
    awaitNoChildProcess(); // the pool's workers and the cluster's members
  }

  @Test
  void theSameMap_runsOnTheLocalPool_thenOnBothMembers() throws Exception {
    Narration narration = new Narration();
    ClusterMap.run(narration.out());
    String text = narration.text();
    assertTrue(text.contains("(jfutures-worker-"), "chunks ran in child JVMs: " + text);
    assertTrue(text.contains("workers: [member 127.0.0.1:"), text);
    assertTrue(text.contains("12 results from 2 members"), "each member ran chunks: " + text);
    int first = text.indexOf("results in input order: [1, 4, 9,");
    assertTrue(
        first >= 0 && text.indexOf("results in input order: [1, 4, 9,", first + 1) > first,
        "both maps kept input order: " + text);
  }
}
