package io.jfutures.multiprocessing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.multiprocessing.internal.hub.HubClientsForTests;
import io.jfutures.multiprocessing.internal.hub.HubRef;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A lock's handle read in a process that connects to its hub ahead (a child reading its launch) has
 * its word fetched on that connection's thread, before its first use; one of a hub that is gone is
 * read quietly, and its first use says why. The hub is this JVM's own, seen as another process sees
 * it (another pid), so that its handles go through a connection as a child's do.
 */
@Timeout(30)
final class SyncHandleAheadTest {
  @AfterEach
  void closeConnections() {
    HubClientsForTests.closeAll();
  }

  @Test
  void aLockReadWhileItsHubIsConnectedAhead_hasItsWordBeforeItsFirstUse() throws Exception {
    ProcessLock lock = new ProcessLock();
    HubRef own = lock.hub;
    HubRef fromAfar = new HubRef(own.socket(), own.token(), own.pid() + 11);
    ProcessLock copy = roundTrip(new ProcessLock(fromAfar, lock.id, false));

    await().atMost(Duration.ofSeconds(10)).until(copy::sharedFetched);
    copy.lock();
    try {
      assertTrue(lock.isLocked(), "taken through the word the copy fetched ahead");
    } finally {
      copy.unlock();
    }
    assertFalse(lock.isLocked());
  }

  @Test
  void aLockOfAHubThatIsGone_isReadQuietly_andItsFirstUseSaysWhy() throws Exception {
    HubRef gone = new HubRef("/tmp/jfutures-hub-gone/hub.sock", "00ff", 4_000_000_011L);
    ProcessLock copy = roundTrip(new ProcessLock(gone, 7, false));

    assertFalse(copy.sharedFetched());
    HubUnavailableException e = assertThrows(HubUnavailableException.class, copy::lock);
    assertTrue(e.getMessage().contains("cannot be reached"), e.getMessage());
  }

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T handle) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(handle);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (T) in.readObject();
    }
  }
}
