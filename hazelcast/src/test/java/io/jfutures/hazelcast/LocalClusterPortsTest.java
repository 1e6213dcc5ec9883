package io.jfutures.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The ports a local cluster's members get: free, distinct, and none that a connection may take. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
final class LocalClusterPortsTest {
  @Test
  void membersPorts_areFreeDistinct_andBelowTheRangeOutgoingConnectionsTakeFrom()
      throws IOException {
    List<Integer> ports = LocalCluster.freePorts(5);
    assertEquals(5, new HashSet<>(ports).size(), "distinct: " + ports);
    int ephemeral = LocalCluster.ephemeralPortsStart();
    boolean linux = Files.isReadable(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
    if (linux) {
      assertTrue(ephemeral > 10_000, "the range's start, as Linux says it: " + ephemeral);
    }
    for (int port : ports) {
      if (linux) {
        assertTrue(port >= 10_000 && port < ephemeral, port + " below " + ephemeral);
      }
      try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        assertEquals(port, s.getLocalPort(), "free for its member to bind");
      }
    }
  }
}
