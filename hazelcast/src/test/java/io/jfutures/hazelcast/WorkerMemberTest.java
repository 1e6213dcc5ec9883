package io.jfutures.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
final class WorkerMemberTest {
  @Test
  void theCommandLine_isReadAsTheUsageSays() {
    WorkerMember.Options o =
        WorkerMember.Options.parse(
            new String[] {
              "--cluster",
              "c",
              "--port",
              "5701",
              "--members",
              "10.0.0.5:5701,10.0.0.6:5701",
              "--slots",
              "3",
              "--bind",
              "10.0.0.6",
              "--exit-with-stdin"
            });
    assertEquals(
        new WorkerMember.Options(
            "c", "10.0.0.6", 5701, List.of("10.0.0.5:5701", "10.0.0.6:5701"), 3, true),
        o);
  }

  @Test
  void aBadCommandLine_saysWhatIsWrong() {
    assertMessage("--cluster is required", "--port", "1", "--members", "a:1");
    assertMessage("--port is required", "--cluster", "c", "--members", "a:1");
    assertMessage("--members is required", "--cluster", "c", "--port", "1");
    assertMessage("--port must be a number, was x", "--cluster", "c", "--port", "x");
    assertMessage(
        "--slots must be at least 1",
        "--cluster",
        "c",
        "--port",
        "1",
        "--members",
        "a:1",
        "--slots",
        "0");
    assertMessage("unknown option --nope", "--nope");
    assertMessage("--cluster needs a value", "--cluster");
  }

  private static void assertMessage(String expected, String... args) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> WorkerMember.Options.parse(args));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
