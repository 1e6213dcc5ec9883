package io.jfutures.samples;

import static io.jfutures.samples.Awaits.awaitNoChildProcess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.samples.Initializer.Seen;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class InitializerIT {
  private static final String URL = "jdbc:example://test/db";

  @AfterEach
  void noChildLeft() {
    awaitNoChildProcess();
  }

  @Test
  void run_eachTaskSeesItsWorkersInitialization() throws Exception {
    Narration narration = new Narration();
    List<Seen> seen = Initializer.run(2, 6, URL, narration.out());
    String text = narration.text();

    assertEquals(
        List.of(1, 2, 3, 4, 5, 6), seen.stream().map(Seen::task).collect(Collectors.toList()));
    for (Seen s : seen) {
      assertTrue(s.pid() > 0, s.toString());
      assertNotEquals(Workers.pid(), s.pid(), "ran in a child JVM: " + s);
      assertEquals(Initializer.expectedValue(URL, s.pid()), s.property(), s.toString());
      assertEquals(Initializer.expectedValue(URL, s.pid()), s.field(), s.toString());
    }
    long workers = seen.stream().map(Seen::pid).distinct().count();
    assertTrue(workers >= 1 && workers <= 2, "at most two workers: " + seen);
    assertNull(System.getProperty(Initializer.PROPERTY), "the initializer ran here");
    assertTrue(text.contains("the initializer ran in the workers only"), text);
  }
}
