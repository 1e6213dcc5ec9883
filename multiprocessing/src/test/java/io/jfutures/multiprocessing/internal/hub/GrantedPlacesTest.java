package io.jfutures.multiprocessing.internal.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jfutures.multiprocessing.internal.hub.HubQueueLeasesTest.RecordingPeer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The hub's count of granted places: grants fill windows in order, and counts never go below 0. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
final class GrantedPlacesTest {
  private final GrantedPlaces places = new GrantedPlaces();
  private final RecordingPeer a = new RecordingPeer();
  private final RecordingPeer b = new RecordingPeer();

  @Test
  void grantsFillEachWindowInTurn_upToTheFreeRoom() {
    places.window(a, 3);
    places.window(b, 3);
    List<String> told = new ArrayList<>();
    places.grant(4, (peer, n) -> told.add((peer == a ? "a" : "b") + n));
    assertEquals(List.of("a3", "b1"), told);
    assertEquals(4, places.total());
    told.clear();
    places.grant(10, (peer, n) -> told.add((peer == a ? "a" : "b") + n));
    assertEquals(List.of("b2"), told, "a's window is full");
  }

  @Test
  void putsAndGiveBacks_countDownNeverBelowZero_andAGoneProcessFreesTheRest() {
    places.window(a, 2);
    places.grant(2, (peer, n) -> {});
    assertEquals(1, places.givenBack(a, 1));
    places.used(a);
    assertEquals(0, places.givenBack(a, 5), "none left to give back");
    places.used(a); // never sent so; still not below 0
    assertEquals(0, places.total());

    places.grant(2, (peer, n) -> {});
    List<RecordingPeer> holders = new ArrayList<>();
    places.holders(p -> holders.add((RecordingPeer) p));
    assertEquals(List.of(a), holders);
    places.gone(a);
    assertEquals(0, places.total());
    assertEquals(0, places.givenBack(a, 1), "forgotten");
  }
}
