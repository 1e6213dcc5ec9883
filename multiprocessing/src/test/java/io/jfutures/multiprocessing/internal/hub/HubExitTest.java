package io.jfutures.multiprocessing.internal.hub;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.multiprocessing.HubUnavailableException;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What an exit closes, so that no reader is left blocked in a read while a JVM exits (HotSpot waits
 * 300 ms for such threads): a child's connections to hubs, and a hub's connections at its JVM's
 * end. Played here through a client of this JVM's own hub, as a child's.
 */
@Timeout(30)
final class HubExitTest {
  private final HubRef hub = Hub.local().ref();

  @Test
  void closeAll_letsTheHubTakeInWhatWasPut_andTheNextRequestConnectsAnew() throws Exception {
    long id = QueueBackend.create(0, false, true);
    QueueBackend remote = QueueBackend.remote(hub, id, false);
    int before = 2_000;
    for (int i = 0; i < before; i++) {
      assertTrue(remote.put(item(i), -1));
    }
    assertTrue(HubClient.connected(hub));

    HubClient.closeAll();
    QueueBackend local = QueueBackend.of(hub, id, false);
    assertEquals(before, local.size(), "every item put is in when closeAll returns");
    assertFalse(HubClient.connected(hub), "closed, and forgotten");
    assertTrue(remote.put(item(before), -1), "a later put connects anew");
    assertTrue(HubClient.connected(hub));

    // The hub reads each connection on a thread of its own: the items of the closed one were all
    // in before it closed, so the one put on the new connection comes last.
    for (int i = 0; i <= before; i++) {
      assertArrayEquals(item(i), local.get(TimeUnit.SECONDS.toNanos(10)), "item " + i);
    }
  }

  @Test
  void closeAll_failsAGetStillWaiting_ratherThanLeaveItWaiting() throws Exception {
    long id = QueueBackend.create(0, false, true);
    QueueBackend remote = QueueBackend.remote(hub, id, false);
    CompletableFuture<byte[]> waiting = getParkedAtTheHub(remote, id);

    HubClient.closeAll();
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> waiting.get(10, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof HubUnavailableException, e.getCause().toString());
  }

  @Test
  void closeIdle_closesAConnectionNothingWaitsOn_andLeavesOneInUse() throws Exception {
    long id = QueueBackend.create(0, false, true);
    QueueBackend remote = QueueBackend.remote(hub, id, false);
    QueueBackend local = QueueBackend.of(hub, id, false);

    // A get waiting at the hub: in use.
    CompletableFuture<byte[]> waiting = getParkedAtTheHub(remote, id);
    HubClient.closeIdle();
    assertTrue(HubClient.connected(hub), "a get waits on it");
    assertTrue(local.put(item(1), -1));
    assertArrayEquals(item(1), waiting.get(10, TimeUnit.SECONDS));

    // Items leased to it, not yet taken: in use (closing would give them back under a get).
    for (int i = 2; i < 10; i++) {
      assertTrue(local.put(item(i), -1));
    }
    assertArrayEquals(item(2), remote.get(TimeUnit.SECONDS.toNanos(10)));
    Leases leases = HubClient.of(hub).leases(id);
    await().atMost(Duration.ofSeconds(10)).until(() -> !leases.holdsNone());
    HubClient.closeIdle();
    assertTrue(HubClient.connected(hub), "it holds leased items");
    for (int i = 3; i < 10; i++) {
      assertArrayEquals(item(i), remote.get(TimeUnit.SECONDS.toNanos(10)), "item " + i);
    }

    // Idle now (a put into another queue: its items would be leased straight back to it here):
    // closed, once the hub has what it sent; a later put connects anew.
    long other = QueueBackend.create(0, false, true);
    QueueBackend producer = QueueBackend.remote(hub, other, false);
    assertTrue(producer.put(item(10), -1));
    HubClient.closeIdle();
    assertFalse(HubClient.connected(hub), "nothing waits on it, and it holds nothing");
    QueueBackend otherLocal = QueueBackend.of(hub, other, false);
    assertEquals(1, otherLocal.size(), "its put is in");
    assertTrue(producer.put(item(11), -1));
    assertArrayEquals(item(10), otherLocal.get(TimeUnit.SECONDS.toNanos(10)));
    assertArrayEquals(item(11), otherLocal.get(TimeUnit.SECONDS.toNanos(10)));
  }

  /**
   * A shutdown hook's thread took the client from the cache just before closeIdle closed it: its
   * requests, with a reply or without, go on a new connection rather than fail.
   */
  @Test
  void aRequestOnAClientThatTheExitJustClosed_goesOnANewConnection() throws Exception {
    long id = QueueBackend.create(0, false, true);
    QueueBackend.remote(hub, id, false).put(item(0), -1); // connected
    HubClient stale = HubClient.of(hub);
    HubClient.closeIdle();
    assertFalse(HubClient.connected(hub), "closed, and forgotten");

    stale.send(Wire.PUT_ASYNC, id, 0, item(1));
    assertTrue(HubClient.connected(hub), "the send connected anew");
    Wire.Frame size = stale.call(Wire.SIZE, id, 0, null, TimeUnit.SECONDS.toNanos(10));
    assertEquals(Wire.VALUE, size.op());
    assertEquals(2, size.value(), "both puts are in");
    assertEquals(Wire.VALUE, stale.callToTheEnd(Wire.SIZE, id, null).op());
    assertTrue(stale != HubClient.of(hub), "the requests went on the new connection");

    // One whose frames after it belong to its own connection fails, naming the close.
    HubUnavailableException e =
        assertThrows(
            HubUnavailableException.class,
            () -> stale.call(Wire.SIZE, id, 0, null, TimeUnit.SECONDS.toNanos(10), () -> {}));
    assertTrue(e.getMessage().contains("closed as this JVM exits"), e.getMessage());
  }

  /**
   * The reader's own write (the ACK of an item) fails, as when this JVM's exit closes the
   * connection while frames are still in the reader's buffer: what waits fails, rather than waiting
   * for ever on a reader that died, and the item, never acknowledged, goes back to the queue.
   */
  @Test
  void aReaderWhoseOwnWriteFails_failsWhatWaits_andTheHubTakesTheItemBack() throws Exception {
    long id = QueueBackend.create(0, false, true);
    QueueBackend remote = QueueBackend.remote(hub, id, false);
    QueueBackend local = QueueBackend.of(hub, id, false);
    CompletableFuture<byte[]> waiting = getParkedAtTheHub(remote, id);
    HubClient client = HubClient.of(hub);
    Field out = HubClient.class.getDeclaredField("out");
    out.setAccessible(true);
    out.set(
        client,
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            throw new IOException("broken for the test");
          }
        });

    assertTrue(local.put(item(1), -1)); // sent to the waiting get; its ACK cannot be written
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> waiting.get(10, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof HubUnavailableException, e.getCause().toString());
    assertArrayEquals(item(1), local.get(TimeUnit.SECONDS.toNanos(10)), "taken back, not lost");
    assertFalse(HubClient.connected(hub));
  }

  /** A get of queue {@code id} through {@code remote}, returned once it waits at the hub. */
  private static CompletableFuture<byte[]> getParkedAtTheHub(QueueBackend remote, long id) {
    CompletableFuture<byte[]> waiting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return remote.get(-1);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    await().atMost(Duration.ofSeconds(10)).until(() -> Hub.local().queue(id).waiting() == 1);
    return waiting;
  }

  @Test
  void closeConnections_endsEveryClientsReader_andAClientConnectsAgain() throws Exception {
    long id = QueueBackend.create(0, false, true);
    QueueBackend remote = QueueBackend.remote(hub, id, false);
    assertTrue(remote.put(item(1), -1));
    assertTrue(HubClient.connected(hub));
    QueueBackend local = QueueBackend.of(hub, id, false);
    await().atMost(Duration.ofSeconds(10)).until(() -> local.size() == 1); // read by the hub

    Hub.local().closeConnections();
    await().atMost(Duration.ofSeconds(10)).until(() -> !HubClient.connected(hub));
    assertTrue(remote.put(item(2), -1), "a later put connects anew");

    assertArrayEquals(item(1), local.get(TimeUnit.SECONDS.toNanos(10)));
    assertArrayEquals(item(2), local.get(TimeUnit.SECONDS.toNanos(10)));
  }

  private static byte[] item(int i) {
    return new byte[] {(byte) (i >>> 8), (byte) i};
  }
}
