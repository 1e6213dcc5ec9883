package io.jfutures.multiprocessing.internal.hub;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.multiprocessing.HubUnavailableException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A handle read in a JVM that is not its hub's connects to that hub ahead of the first request (as
 * a child reads the handles in its launch); one of a hub that is gone throws nothing there, and the
 * first request says why.
 */
@Timeout(30)
final class HubConnectAheadTest {
  @AfterEach
  void closeConnections() {
    HubClient.closeAll();
  }

  @Test
  void aHandleRead_connectsToItsHubAhead() throws Exception {
    HubRef own = Hub.local().ref();
    // This JVM's hub as another process sees it: a different pid, so not this JVM's own.
    HubRef fromAfar = new HubRef(own.socket(), own.token(), own.pid() + 1);
    assertFalse(HubClient.connected(fromAfar));

    assertEquals(fromAfar, roundTrip(fromAfar));
    await().atMost(Duration.ofSeconds(10)).until(() -> HubClient.connected(fromAfar));
  }

  @Test
  void aHandleOfAHubThatIsGone_isReadQuietly_andTheFirstRequestSaysWhy() throws Exception {
    HubRef gone = new HubRef("/tmp/jfutures-hub-gone/hub.sock", "00ff", 4_000_000_001L);
    assertEquals(gone, roundTrip(gone));
    HubUnavailableException e =
        assertThrows(HubUnavailableException.class, () -> HubClient.of(gone));
    assertTrue(e.getMessage().contains("cannot be reached"), e.getMessage());
  }

  private static HubRef roundTrip(HubRef ref) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(ref);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (HubRef) in.readObject();
    }
  }
}
