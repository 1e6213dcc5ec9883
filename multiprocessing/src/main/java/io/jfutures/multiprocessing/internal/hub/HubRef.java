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

  @Override
  public String toString() {
    return "hub of pid " + pid; // never print the token
  }
}
