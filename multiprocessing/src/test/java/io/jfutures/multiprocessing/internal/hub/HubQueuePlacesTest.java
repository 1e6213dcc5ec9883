package io.jfutures.multiprocessing.internal.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.multiprocessing.internal.hub.HubQueueLeasesTest.RecordingPeer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A bounded queue's places: room granted to a producer process ahead of its puts. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
final class HubQueuePlacesTest {
  private final HubQueue bounded = new HubQueue(1, 8, false, HubQueue.DeadConsumerPolicy.REQUEUE);
  private final RecordingPeer p = new RecordingPeer();

  private static byte[] item(int i) {
    return new byte[] {(byte) i};
  }

  private static int granted(List<Wire.Frame> frames) {
    return frames.stream().mapToInt(f -> (int) f.value()).sum();
  }

  private static Boolean putLocal(HubQueue q, int i, boolean wait, CompletableFuture<byte[]> f) {
    return q.put(item(i), wait, Peer.LOCAL, 0, f);
  }

  private static byte[] getLocal(HubQueue q) {
    return q.get(false, Peer.LOCAL, 0, new CompletableFuture<>());
  }

  /** p holds 2 places of the 8; 6 items fill the rest. */
  private void twoPlacesGrantedAndSixItemsPut() {
    bounded.askForPlaces(p, 256);
    assertEquals(2, granted(p.take(Wire.PLACES)));
    for (int i = 0; i < 6; i++) {
      assertEquals(Boolean.TRUE, putLocal(bounded, i, false, new CompletableFuture<>()));
    }
  }

  @Test
  void aProducer_isGrantedAQuarterOfTheRoom_andEachPutIntoAPlaceTopsItUp() {
    bounded.askForPlaces(p, 256);
    assertEquals(2, granted(p.take(Wire.PLACES)), "a quarter of 8");
    assertEquals(0, bounded.size(), "places are not items");

    bounded.putIntoPlace(p, item(0));
    bounded.putIntoPlace(p, item(1));
    assertEquals(2, bounded.size());
    assertEquals(2, granted(p.take(Wire.PLACES)), "topped up from the free room");
    assertArrayEquals(item(0), getLocal(bounded));
  }

  @Test
  void placesCountAgainstTheRoom_andAPutterThatMustWait_recallsThem_andComesFirst() {
    twoPlacesGrantedAndSixItemsPut();
    CompletableFuture<byte[]> waiting = new CompletableFuture<>();
    assertNull(putLocal(bounded, 6, true, waiting), "6 items and 2 places: no room");
    assertEquals(1, p.take(Wire.RECALL_PLACES).size());

    bounded.giveBackPlaces(p, 2);
    assertTrue(waiting.isDone(), "the given-back room goes to the parked putter");
    assertEquals(7, bounded.size());
    assertEquals(1, granted(p.take(Wire.PLACES)), "then what is left is granted again");
  }

  @Test
  void aPutThatWouldNotWait_waitsForRecalledPlaces_butNotForAQueueFullOfItems() {
    twoPlacesGrantedAndSixItemsPut();
    CompletableFuture<byte[]> nowOrNever = new CompletableFuture<>();
    assertNull(putLocal(bounded, 6, false, nowOrNever), "parked while the places come back");
    bounded.giveBackPlaces(p, 2);
    assertTrue(nowOrNever.isDone());
    assertEquals(1, granted(p.take(Wire.PLACES)), "the last free place, granted again");

    CompletableFuture<byte[]> last = new CompletableFuture<>();
    assertNull(putLocal(bounded, 7, false, last));
    bounded.giveBackPlaces(p, 1);
    assertTrue(last.isDone());
    assertEquals(8, bounded.size());
    assertEquals(Boolean.FALSE, putLocal(bounded, 8, false, new CompletableFuture<>()), "full");
  }

  @Test
  void aDeadProducersPlaces_comeBackAsRoom() {
    twoPlacesGrantedAndSixItemsPut();
    CompletableFuture<byte[]> waiting = new CompletableFuture<>();
    assertNull(putLocal(bounded, 6, true, waiting));
    bounded.peerGone(p);
    assertTrue(waiting.isDone());
    assertEquals(Boolean.TRUE, putLocal(bounded, 7, false, new CompletableFuture<>()));
    assertEquals(8, bounded.size());
  }

  @Test
  void aGiveBackCountedBeforeAPutInFlight_leavesTheCountExact() {
    bounded.askForPlaces(p, 256); // 2 places; the process takes one for a put, then is recalled
    p.take(Wire.PLACES);
    bounded.giveBackPlaces(p, 1); // the one it had not used, arriving before its put
    bounded.putIntoPlace(p, item(0));
    assertEquals(1, bounded.size());
    int regranted = granted(p.take(Wire.PLACES));
    assertEquals(2, regranted, "the window of 2 topped up again: 7 free");
    for (int i = 1; i < 6; i++) {
      assertEquals(Boolean.TRUE, putLocal(bounded, i, false, new CompletableFuture<>()), "" + i);
    }
    assertFalse(
        Boolean.TRUE.equals(putLocal(bounded, 6, false, new CompletableFuture<>())),
        "6 items and 2 places fill 8");
  }

  @Test
  void anUnboundedQueue_grantsNoPlaces() {
    HubQueue unbounded = new HubQueue(2, 0, false, HubQueue.DeadConsumerPolicy.REQUEUE);
    unbounded.askForPlaces(p, 256);
    assertTrue(p.take(Wire.PLACES).isEmpty());
  }
}
