package io.jfutures.samples;

import static io.jfutures.samples.Awaits.awaitNoChildProcess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class MainIT {

  @AfterEach
  void noChildLeft() {
    awaitNoChildProcess();
  }

  @Test
  void run_oneSampleByName() throws Exception {
    Narration out = new Narration();
    Narration err = new Narration();
    assertEquals(0, Main.run(new String[] {"Exception"}, out.out(), err.out()));
    String text = out.text();
    assertTrue(text.startsWith("== RemoteException"), text);
    assertTrue(text.contains("-- exception took "), text);
    assertEquals("", err.text());
  }
}
