package io.jfutures.multiprocessing.internal.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.multiprocessing.internal.Serialized;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Call lines to this JVM's own hub: a manager's requests, answered on the line that sent them. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
final class CallLineTest {
  private static final Class<?>[] KEY = {Object.class};
  private static final Class<?>[] KEY_VALUE = {Object.class, Object.class};

  private final Hub hub = Hub.local();
  private long requests;

  private CallLine open() throws IOException {
    HubRef ref = hub.ref();
    return CallLine.open(Path.of(ref.socket()), ref.token(), LockWords.pid());
  }

  private long newDict(CallLine line) throws IOException {
    Wire.Frame made =
        line.call(
            Wire.NEW_HOSTED,
            ++requests,
            0,
            Serialized.toBytes(HostedSpec.of(HostedSpec.Kind.DICT), ""));
    assertEquals(Wire.VALUE, made.op(), "a dict is made");
    return made.value();
  }

  private Object invoke(CallLine line, long dict, HostedCall call) throws IOException {
    Wire.Frame reply = line.call(Wire.INVOKE, ++requests, dict, call.toBytes());
    assertEquals(Wire.VALUE, reply.op(), "the call is answered with its value");
    return Serialized.fromBytes(reply.payload());
  }

  @Test
  void aLine_carriesAManagersCalls_andAnInterruptMeanwhileIsKept() throws IOException {
    try (CallLine line = open()) {
      long dict = newDict(line);
      invoke(line, dict, HostedCall.of("put", KEY_VALUE, "a", 1));
      Thread.currentThread().interrupt();
      try {
        assertEquals(1, invoke(line, dict, HostedCall.of("get", KEY, "a")));
        assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept");
        assertEquals(1, invoke(line, dict, HostedCall.of("get", KEY, "a")), "and the line works");
      } finally {
        Thread.interrupted();
      }
    }
  }

  @Test
  void aLine_isNoProcessOfItsOwn_andItsEndFreesWhatOnlyItUsed() throws Exception {
    ObjectName figures = new ObjectName("io.jfutures:type=Hub,name=" + LockWords.pid());
    var jmx = ManagementFactory.getPlatformMBeanServer();
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> jmx.isRegistered(figures));
    int clients = (Integer) jmx.getAttribute(figures, "Clients");
    long dict;
    try (CallLine line = open()) {
      dict = newDict(line); // answered: the hub has taken the line in
      assertEquals(clients, (Integer) jmx.getAttribute(figures, "Clients"));
      assertTrue(hub.hosting().hosts(dict));
    }
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !hub.hosting().hosts(dict));
  }

  @Test
  void aLine_thatSendsAnythingButAManagersCall_isEnded() throws IOException {
    CallLine line = open();
    assertFalse(CallLine.carries(Wire.GET));
    assertThrows(IOException.class, () -> line.call(Wire.SIZE, ++requests, 1, null));
    assertThrows(IOException.class, () -> newDict(line), "and stays closed");
  }
}
