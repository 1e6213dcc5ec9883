package io.jfutures.multiprocessing.internal.hub;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.impl.internal.PrivateDirectories;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A hub binds its socket on its accept thread, after {@code local()} has returned: its path leaves
 * the JVM only once the socket listens, and a socket that cannot be bound is reported where a
 * handle is handed on.
 */
final class HubListeningTest {
  @Test
  void aHubsAcceptThread_bindsItsSocket_andAwaitListeningReturnsOnceItListens() throws Exception {
    Path dir = PrivateDirectories.create(Path.of("/tmp"), "jfutures-listening-test-");
    Path socket = dir.resolve("hub.sock");
    Hub hub = Hub.listenOn(socket, new HubRef(socket.toString(), "00ff", 1));
    try {
      hub.awaitListening();
      try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
        c.connect(UnixDomainSocketAddress.of(socket)); // listening: a connection is accepted
      }
    } finally {
      hub.closeListening();
      Files.deleteIfExists(socket);
      Files.deleteIfExists(dir);
    }
  }

  @Test
  void theLocalHubsRef_canBeConnectedTo_asSoonAsItIsSerialized() throws Exception {
    HubRef ref = Hub.local().ref();
    try (ObjectOutputStream out = new ObjectOutputStream(new ByteArrayOutputStream())) {
      out.writeObject(ref); // waits for the socket, if the hub has just started
    }
    try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      c.connect(UnixDomainSocketAddress.of(Path.of(ref.socket())));
    }
  }

  @Test
  void aSocketThatCannotBeBound_failsTheWait_namingThePath() {
    Path socket = Path.of("/tmp", "jfutures-no-such-dir-" + ProcessHandle.current().pid(), "s");
    Hub hub = Hub.listenOn(socket, new HubRef(socket.toString(), "00ff", 1));
    UncheckedIOException e = assertThrows(UncheckedIOException.class, hub::awaitListening);
    assertTrue(e.getMessage().contains("cannot listen on " + socket), e.getMessage());
    hub.closeListening(); // nothing to close: returns at once
  }
}
