package io.jfutures.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A client's lease, which tells a client that died from a live one: Hazelcast frees a dead client's
 * locks only when the members clean up after it, which takes from seconds to minutes (its {@code
 * hazelcast.client.cleanup.timeout.millis} is 120 s), where a member's death is seen in a second.
 * So each client that uses shared objects keeps an entry in the map {@value #MAP}, named by its
 * owner tag and written with a time to live of {@link #LEASE}; a daemon thread of this JVM writes
 * it again every {@link #RENEWAL}. An entry that has expired names a client that died, or that has
 * not reached the cluster for a whole lease: either way, what it held is taken back.
 *
 * <pre>
 * States, per client instance: HELD (the first write was done, before any lock could be taken;
 *   renewals scheduled) -> ENDED (the instance no longer runs: renewals stop, the entry expires).
 * </pre>
 *
 * Invariant: while a client instance of this JVM runs and reaches its cluster, its entry is present
 * (each renewal extends it by a lease, long before it would expire). A renewal that fails (a member
 * dying under it) is logged and tried again at the next; only a lease's worth of failures lets the
 * entry expire. Thread-safe.
 */
final class ClientLease {
  /** The map of leases: a client's owner tag to when it last renewed, in epoch milliseconds. */
  static final String MAP = "jfutures.clients";

  /** How long, in seconds, a client's entry lives unless renewed. */
  static final int LEASE_SECONDS = 10;

  /** How long a client's entry lives unless renewed. */
  static final Duration LEASE = Duration.ofSeconds(LEASE_SECONDS);

  /** How often a client renews its entry: five times a lease, so that a renewal may fail. */
  static final Duration RENEWAL = Duration.ofSeconds(2);

  private static final System.Logger LOG = System.getLogger(ClientLease.class.getName());

  /** The leases held by this JVM's client instances, by instance UUID. */
  private static final Map<UUID, ScheduledFuture<?>> HELD = new ConcurrentHashMap<>();

  /** Renews every lease of this JVM; its thread ends once no client holds one. */
  private static final ScheduledExecutorService RENEWER = renewer();

  private static ScheduledThreadPoolExecutor renewer() {
    ScheduledThreadPoolExecutor renewer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "jfutures-cluster-lease");
              t.setDaemon(true);
              return t;
            });
    renewer.setRemoveOnCancelPolicy(true);
    renewer.setKeepAliveTime(RENEWAL.toMillis() * 5, TimeUnit.MILLISECONDS);
    renewer.allowCoreThreadTimeOut(true);
    return renewer;
  }

  private ClientLease() {}

  /**
   * Makes sure that {@code client}, whose owner tag is {@code tag}, holds its lease: the first call
   * for an instance writes the entry before returning, then schedules its renewals.
   */
  static void hold(HazelcastInstance client, String tag) {
    HELD.computeIfAbsent(
        client.getLocalEndpoint().getUuid(),
        uuid -> {
          IMap<String, Long> leases = client.getMap(MAP);
          renew(leases, tag);
          return RENEWER.scheduleAtFixedRate(
              () -> renewWhileRunning(client, uuid, leases, tag),
              RENEWAL.toMillis(),
              RENEWAL.toMillis(),
              TimeUnit.MILLISECONDS);
        });
  }

  /** Whether the client tagged {@code tag} has no lease: it died, or lost its cluster. */
  static boolean lapsed(HazelcastInstance any, String tag) {
    IMap<String, Long> leases = any.getMap(MAP);
    return !leases.containsKey(tag);
  }

  private static void renew(IMap<String, Long> leases, String tag) {
    leases.set(tag, System.currentTimeMillis(), LEASE.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static void renewWhileRunning(
      HazelcastInstance client, UUID uuid, IMap<String, Long> leases, String tag) {
    if (!client.getLifecycleService().isRunning()) {
      ScheduledFuture<?> renewal = HELD.remove(uuid);
      if (renewal != null) {
        renewal.cancel(false);
      }
      return;
    }
    try {
      renew(leases, tag);
    } catch (RuntimeException e) {
      // A member dying under it, or the cluster out of reach: the next renewal tries again.
      LOG.log(Level.DEBUG, "cannot renew the cluster lease of client " + tag + ": " + e);
    }
  }
}
