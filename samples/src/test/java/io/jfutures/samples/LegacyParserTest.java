package io.jfutures.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jfutures.impl.ProcessPoolExecutor;
import io.jfutures.junit.IsolatedJvm;
import io.jfutures.junit.TestPool;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's test example, line for line (ReadmeExamplesIT checks it), run by the build. */
@Timeout(120)
class LegacyParserTest {
  @Test
  @IsolatedJvm(jvmOptions = "-Xmx64m", systemProperties = "parser.strict=true")
  void parsesWithAColdCache() { // runs in a child JVM of its own
    assertEquals(42, LegacyParser.parse("42")); // a failure comes back with its message and trace
  }

  @Test
  void squares(@TestPool(workers = 2) ProcessPoolExecutor pool) throws Exception {
    assertEquals(List.of(1, 4, 9), pool.map(x -> x * x, List.of(1, 2, 3)).toList());
  } // shut down after; a leaked process fails the test
}
