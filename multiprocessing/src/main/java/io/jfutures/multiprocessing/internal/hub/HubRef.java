package io.jfutures.multiprocessing.internal.hub;

import java.io.Serializable;

/**
 * Where a hub is, and the token that proves a client may use it: what every handle carries, so that
 * it reconnects in whichever process deserializes it. A handle travels only inside jfutures' own
 * channels (a process's launch, a pool's task), whose ends authenticated each other.
 *
 * @param socket the path of the hub's Unix-domain socket
 * @param token the hub's token
 * @param pid the pid of the hub's JVM
 */
public record HubRef(String socket, String token, long pid) implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final String TCP = "tcp:";

  /** The hub of a manager at {@code host}:{@code port}, reached with {@code key}. */
  public static HubRef tcp(String host, int port, byte[] key, long pid) {
    return new HubRef(TCP + host + ":" + port, java.util.HexFormat.of().formatHex(key), pid);
  }

  /**
   * Whether the hub is reached over TCP, with an authentication key, rather than a local socket.
   */
  public boolean isTcp() {
    return socket.startsWith(TCP);
  }

  /** The TCP address of a hub reached over TCP. */
  public java.net.InetSocketAddress tcpAddress() {
    String hostPort = socket.substring(TCP.length());
    int colon = hostPort.lastIndexOf(':');
    return new java.net.InetSocketAddress(
        hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }

  /** The authentication key of a hub reached over TCP. */
  byte[] key() {
    return java.util.HexFormat.of().parseHex(token);
  }

  @Override
  public String toString() {
    // never print the token
    return isTcp() ? "manager at " + socket.substring(TCP.length()) : "hub of pid " + pid;
  }
}
