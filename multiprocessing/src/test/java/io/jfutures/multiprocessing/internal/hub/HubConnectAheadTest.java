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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
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

  @Test
  void stepsOfferedWhileConnectingAhead_runOnceConnected_inOrder_pastOneThatFails() {
    HubRef own = Hub.local().ref();
    HubRef fromAfar = new HubRef(own.socket(), own.token(), own.pid() + 2);
    HubClient.ConnectAhead ahead = new HubClient.ConnectAhead(fromAfar);
    List<String> ran = new CopyOnWriteArrayList<>();
    assertTrue(ahead.offer(() -> ran.add("first, connected: " + HubClient.connected(fromAfar))));
    assertTrue(
        ahead.offer(
            () -> {
              throw new IllegalStateException("a step that fails");
            }));
    assertTrue(
        ahead.offer(
            () -> {
              ran.add("third");
              assertTrue(ahead.offer(() -> ran.add("offered by a step")));
            }));

    ahead.run();

    assertEquals(List.of("first, connected: true", "third", "offered by a step"), ran);
    assertFalse(ahead.offer(() -> ran.add("too late")), "taken after its thread ended");
  }

  @Test
  void stepsOfAConnectionThatFails_neverRun_andLaterOnesAreRefused() {
    HubRef gone = new HubRef("/tmp/jfutures-hub-gone/hub.sock", "00ff", 4_000_000_002L);
    HubClient.ConnectAhead ahead = new HubClient.ConnectAhead(gone);
    AtomicBoolean ran = new AtomicBoolean();
    assertTrue(ahead.offer(() -> ran.set(true)));

    ahead.run();

    assertFalse(ran.get());
    assertFalse(ahead.offer(() -> ran.set(true)));
  }

  @Test
  void noConnectionBeingMadeAhead_takesNoStep() {
    AtomicBoolean ran = new AtomicBoolean();
    assertFalse(HubClient.afterConnectAhead(Hub.local().ref(), () -> ran.set(true)));
    assertFalse(ran.get());
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
