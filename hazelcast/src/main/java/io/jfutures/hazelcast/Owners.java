package io.jfutures.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Tags that say which member or client holds a shared object's per-key lock, so that a holder that
 * died can be told from a live one even if its lock was not released. Hazelcast releases a dead
 * member's locks, but a lock kept on the partition replica that the death promoted was seen to
 * survive (a joinable queue's item stuck for a minute in CI); and it releases a dead client's locks
 * only when the members clean up after it, which took from 7.5 s to over 90 s in tests. A tag is
 * {@code m} or {@code c} (member or client) and the instance's UUID. A member is gone once it has
 * left the cluster; a client once its {@link ClientLease lease} has lapsed, which a client of this
 * JVM holds from the moment it makes its first {@code Owners}.
 *
 * <p>A value that names a holder starts with its tag, then a space. What a dead holder held is
 * taken back by whoever first {@link #claim claims} it (a {@code putIfAbsent} on the map): two
 * waiters that both find the holder dead never both open its lock by force, which could open the
 * lock of a holder that took it in between. Thread-safe.
 */
final class Owners {
  /** How long a claim on a dead holder's lock stands. */
  static final int CLAIM_TTL_SECONDS = 30;

  private final HazelcastInstance hz;
  private final String tag;

  Owners(HazelcastInstance hz) {
    this.hz = hz;
    boolean member = hz.getLocalEndpoint() instanceof Member;
    this.tag = (member ? "m" : "c") + hz.getLocalEndpoint().getUuid();
    if (!member) {
      ClientLease.hold(hz, tag);
    }
  }

  /** Returns this instance's tag. */
  String tag() {
    return tag;
  }

  /** Returns the tag at the start of {@code value}, a holder's or a reclaimer's. */
  static String tagOf(String value) {
    int space = value.indexOf(' ');
    return space < 0 ? value : value.substring(0, space);
  }

  /**
   * Claims the right to open by force the lock of {@code key}, in {@code locks}, whose holder's
   * value {@code deadValue} names a holder that is gone: returns true for the first caller in the
   * cluster only. The claim is an entry of its own (the key itself cannot be written while the dead
   * holder's lock is on it), which expires after {@link #CLAIM_TTL_SECONDS}: should the claimer die
   * before it opens the lock, another claims it then.
   */
  boolean claim(IMap<String, String> locks, String key, String deadValue) {
    return locks.putIfAbsent(
            "reclaim:" + key + ":" + deadValue, tag, CLAIM_TTL_SECONDS, TimeUnit.SECONDS)
        == null;
  }

  /**
   * Whether {@code tag} names a member that is no longer in the cluster, or a client whose lease
   * has lapsed. A tag that is neither (a malformed one) is never judged gone.
   */
  boolean isGone(String tag) {
    if (tag == null || tag.length() < 2) {
      return false;
    }
    UUID uuid;
    try {
      uuid = UUID.fromString(tag.substring(1));
    } catch (IllegalArgumentException e) {
      return false;
    }
    switch (tag.charAt(0)) {
      case 'm':
        for (Member m : hz.getCluster().getMembers()) {
          if (m.getUuid().equals(uuid)) {
            return false;
          }
        }
        return true;
      case 'c':
        return ClientLease.lapsed(hz, tag);
      default:
        return false;
    }
  }
}
