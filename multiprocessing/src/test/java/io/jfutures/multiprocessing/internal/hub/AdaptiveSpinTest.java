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
    for (int i = 0; i < 20; i++) {
      spin.parked();
    }
    assertEquals(AdaptiveSpin.MIN_NANOS, spin.budget(-1));
  }
}
