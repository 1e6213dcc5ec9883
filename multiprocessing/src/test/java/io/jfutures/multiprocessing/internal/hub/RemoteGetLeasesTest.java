package io.jfutures.multiprocessing.internal.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A process's first get of a queue asks the hub for its item alone; from its second on, a get that
 * finds none held also asks for the window of leases. The process is this JVM, reaching its own hub
 * through a connection as another process would.
 */
@Timeout(30)
final class RemoteGetLeasesTest {
  @AfterEach
  void closeConnections() {
    HubClient.closeAll();
  }

  @Test
  void aProcessFirstGet_takesItsItemAlone_andItsSecondAsksForTheWindow() throws Exception {
    HubRef own = Hub.local().ref();
    long id = QueueBackend.create(0, false, true);
    QueueBackend here = QueueBackend.of(own, id, false);
    for (int i = 0; i < 4; i++) {
      assertTrue(here.put(new byte[] {(byte) i}, -1));
    }
    QueueBackend remote = QueueBackend.remote(own, id, false);
    Leases leases = HubClient.of(own).leases(id);

    assertArrayEquals(new byte[] {0}, remote.get(-1));
    // A round trip after the get: whatever the hub leased on it has arrived before the reply.
    assertEquals(3, remote.size());
    assertTrue(leases.holdsNone(), "one get: nothing was leased to this process");

    assertArrayEquals(new byte[] {1}, remote.get(-1));
    assertEquals(2, remote.size(), "leased items still count in the queue");
    assertFalse(leases.holdsNone(), "the second get asked for the window: the rest came ahead");
    assertArrayEquals(new byte[] {2}, remote.get(-1));
    assertArrayEquals(new byte[] {3}, remote.get(-1));
    assertEquals(0, remote.size());
  }
}
