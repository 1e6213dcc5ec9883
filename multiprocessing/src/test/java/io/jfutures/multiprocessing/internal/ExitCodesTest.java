package io.jfutures.multiprocessing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

final class ExitCodesTest {
  @Test
  void ordinaryStatuses_areKept() {
    assertEquals(0, ExitCodes.of(0, 0, true, false));
    assertEquals(1, ExitCodes.of(1, 0, true, false));
    assertEquals(3, ExitCodes.of(3, 0, false, false)); // Runtime.halt(3): no hooks, still 3
    assertEquals(128, ExitCodes.of(128, 0, false, false));
    assertEquals(200, ExitCodes.of(200, 0, false, false));
  }

  @Test
  void aNotedSignal_isMinusItsNumber() {
    assertEquals(-15, ExitCodes.of(143, 15, true, false));
    assertEquals(-2, ExitCodes.of(130, 2, true, false));
    assertEquals(-1, ExitCodes.of(129, 1, true, false));
  }

  @Test
  void systemExitWithASignalLikeStatus_isThatStatus() {
    assertEquals(143, ExitCodes.of(143, 0, true, false));
    assertEquals(137, ExitCodes.of(137, 0, true, false));
  }

  @Test
  void aSignalLikeStatusWithoutHooks_isTheSignal() {
    assertEquals(-9, ExitCodes.of(137, 0, false, false)); // SIGKILL from anyone
    assertEquals(-6, ExitCodes.of(134, 0, false, false)); // a JVM crash aborts
    assertEquals(-15, ExitCodes.of(143, 0, false, false)); // SIGTERM before the note was set up
  }

  @Test
  void killedByTheParentWhileItsHooksRan_isSigkill() {
    assertEquals(-9, ExitCodes.of(137, 0, true, true));
    assertEquals(143, ExitCodes.of(143, 0, true, true)); // exit(143) is not a SIGKILL
  }
}
