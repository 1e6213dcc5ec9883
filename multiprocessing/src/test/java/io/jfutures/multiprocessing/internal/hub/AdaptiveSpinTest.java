package io.jfutures.multiprocessing.internal.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How long a waiter watches before it parks: learned from its waits, within its bounds. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
final class AdaptiveSpinTest {
  @Test
  void aWaitThatEndedWhileWatching_letsTheNextWatchTwiceAsLong_upToTheMost() {
    AdaptiveSpin spin = new AdaptiveSpin();
    if (EventWord.SPIN_NANOS == 0) {
      assertEquals(0, spin.budget(-1)); // one CPU: never watches
      spin.ended(1_000);
      assertEquals(0, spin.budget(-1));
      return;
    }
    assertEquals(AdaptiveSpin.START_NANOS, spin.budget(-1));
    assertEquals(5_000, spin.budget(5_000)); // never past the caller's limit
    spin.ended(AdaptiveSpin.START_NANOS); // took as long as it watched: twice that next
    assertEquals(2 * AdaptiveSpin.START_NANOS, spin.budget(-1));
    spin.ended(10_000); // a quick one does not shorten it
    assertEquals(2 * AdaptiveSpin.START_NANOS, spin.budget(-1));
    spin.ended(AdaptiveSpin.MAX_NANOS);
    assertEquals(AdaptiveSpin.MAX_NANOS, spin.budget(-1));
  }

  @Test
  void aWaitThatParked_halvesTheWatch_downToTheLeast() {
    AdaptiveSpin spin = new AdaptiveSpin();
    if (EventWord.SPIN_NANOS == 0) {
      spin.parked();
      assertEquals(0, spin.budget(-1));
      return;
    }
    spin.parked();
    assertEquals(AdaptiveSpin.START_NANOS / 2, spin.budget(-1));
    for (int i = 0; i < AdaptiveSpin.PROBE_AFTER - 2; i++) {
      spin.parked();
    }
    assertEquals(
        Math.max(
            AdaptiveSpin.MIN_NANOS, AdaptiveSpin.START_NANOS >> (AdaptiveSpin.PROBE_AFTER - 1)),
        spin.budget(-1),
        "no probe yet");
    for (int i = 0; i < 20; i++) {
      spin.ended(1); // quick waits keep the watch as it is, and count as not parked
      spin.parked();
    }
    assertEquals(AdaptiveSpin.MIN_NANOS, spin.budget(-1));
  }

  @Test
  void afterParkingSoOftenInARow_oneWaitWatchesLong_andGrowsTheWatchIfItEndsThere() {
    AdaptiveSpin spin = AdaptiveSpin.probing();
    if (EventWord.SPIN_NANOS == 0) {
      return; // one CPU: never watches, covered above
    }
    AdaptiveSpin plain = new AdaptiveSpin();
    for (int i = 0; i < 30; i++) {
      plain.parked();
    }
    assertEquals(AdaptiveSpin.MIN_NANOS, plain.budget(-1), "a spin that does not probe");
    for (int i = 0; i < 30; i++) {
      spin.parked();
    }
    assertEquals(AdaptiveSpin.MAX_NANOS, spin.budget(-1), "a probe");
    assertEquals(AdaptiveSpin.MIN_NANOS, spin.budget(-1), "only one");
    assertEquals(AdaptiveSpin.MIN_NANOS, spin.budget(-1), "the count starts over");
    for (int i = 0; i < AdaptiveSpin.PROBE_AFTER; i++) {
      spin.parked();
    }
    assertEquals(50_000, spin.budget(50_000), "never past the caller's limit");
    spin.ended(60_000); // the other side answered within the probe
    assertEquals(120_000, spin.budget(-1));
  }
}
