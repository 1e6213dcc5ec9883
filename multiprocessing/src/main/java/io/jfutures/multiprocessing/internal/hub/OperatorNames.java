package io.jfutures.multiprocessing.internal.hub;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * How the hub names processes to an operator ({@link io.jfutures.multiprocessing.HubMXBean}): by
 * pid, the hub's own JVM as such, a manager's TCP client by its number.
 */
final class OperatorNames {
  private OperatorNames() {}

  /** The process of {@code peer}. */
  static String of(Peer peer) {
    return peer == Peer.LOCAL
        ? of(LockWords.pid())
        : peer.pid() < 0 ? "a process not yet known" : of(peer.pid());
  }

  /** Process {@code pid} as the hub knows it: a pid, or a TCP client's number. */
  static String of(long pid) {
    if (pid == LockWords.pid()) {
      return "the hub's JVM, pid " + pid;
    }
    return pid >= LockWords.TCP_PROCESSES
        ? "TCP client " + (pid - LockWords.TCP_PROCESSES)
        : "pid " + pid;
  }

  /** The processes of {@code peers}, each once, in order. */
  static String of(Collection<Peer> peers) {
    Set<String> names = new LinkedHashSet<>();
    for (Peer p : peers) {
      names.add(of(p));
    }
    return String.join(", ", names);
  }
}
