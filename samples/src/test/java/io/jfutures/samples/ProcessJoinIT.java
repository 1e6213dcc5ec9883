package io.jfutures.samples;

import static io.jfutures.samples.Awaits.awaitNoChildProcess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

final class ProcessJoinIT {
  @Test
  void run_printsFromTheChildJvm_whichKnowsItsParent() throws Exception {
    Narration narration = new Narration();
    PrintStream saved = System.out;
    ByteArrayOutputStream childOut = new ByteArrayOutputStream();
    int code;
    System.setOut(new PrintStream(childOut, true, StandardCharsets.UTF_8));
    try {
      code = ProcessJoin.run("bob", narration.out());
    } finally {
      System.setOut(saved);
    }
    awaitNoChildProcess();
    assertEquals(0, code);
    String child = childOut.toString(StandardCharsets.UTF_8);
    assertTrue(child.contains("hello bob"), child);
    assertTrue(child.contains("parent pid " + ProcessHandle.current().pid()), child);
    assertTrue(narration.text().contains("main line: process MainProcess"), narration.text());
    assertTrue(narration.text().contains("exit code 0"), narration.text());
  }
}
