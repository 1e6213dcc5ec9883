package io.jfutures.multiprocessing.internal.hub;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.ObjIntConsumer;

/**
 * The hub's count of the places it granted in one bounded queue ({@link HubQueue}'s places): per
 * producer process, its window and the places it holds, and their sum, which the queue counts as
 * taken room. Only counts: the queue decides when to grant and recall, under its lock, which guards
 * this object too.
 *
 * <pre>
 * A process's places: + what is granted (up to its window); - one per put into a place that
 * arrives; - what it gives back (a recall); all of them when its process is gone. A put and a
 * give-back may arrive in either order: each only counts down, never below 0.
 * </pre>
 */
final class GrantedPlaces {
  /** One producer process: its window, and its places neither used by a put nor given back. */
  private static final class Grantee {
    int window;
    int places;
  }

  private final Map<Peer, Grantee> grantees = new LinkedHashMap<>();
  private long total;

  /** The places held, over all processes: room that counts as taken. */
  long total() {
    return total;
  }

  /** {@code peer} may hold up to {@code window} places. */
  void window(Peer peer, int window) {
    grantees.computeIfAbsent(peer, p -> new Grantee()).window = Math.max(0, window);
  }

  /** A put of {@code peer}'s arrived, into one of its places. */
  void used(Peer peer) {
    countDown(peer, 1);
  }

  /** {@code peer} gave back {@code places} it had not used; returns how many were counted. */
  int givenBack(Peer peer, int places) {
    return countDown(peer, places);
  }

  private int countDown(Peer peer, int places) {
    Grantee g = grantees.get(peer);
    int n = g == null ? 0 : Math.min(places, g.places);
    if (n > 0) {
      g.places -= n;
      total -= n;
    }
    return n;
  }

  /** {@code peer}'s process is gone: its places are room again. */
  void gone(Peer peer) {
    Grantee g = grantees.remove(peer);
    if (g != null) {
      total -= g.places;
    }
  }

  /**
   * Grants up to {@code free} places, in order, to the processes whose windows are not full, and
   * tells each through {@code grant}.
   */
  void grant(long free, ObjIntConsumer<Peer> grant) {
    for (Map.Entry<Peer, Grantee> e : grantees.entrySet()) {
      Grantee g = e.getValue();
      int n = (int) Math.min(free, g.window - g.places);
      if (n > 0) {
        g.places += n;
        total += n;
        free -= n;
        grant.accept(e.getKey(), n);
      }
    }
  }

  /** Names, through {@code recall}, every process that holds places. */
  void holders(Consumer<Peer> recall) {
    grantees.forEach(
        (peer, g) -> {
          if (g.places > 0) {
            recall.accept(peer);
          }
        });
  }
}
