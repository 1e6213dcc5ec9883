package io.jfutures.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import java.util.UUID;

/**
 * Tags that say which member or client holds a shared object's per-key lock, so that a holder whose
 * member has left can be told from a live one even if its lock was not released: Hazelcast releases
 * a dead member's locks, but a lock kept on the partition replica that the death promoted was seen
 * to survive (a joinable queue's item stuck for a minute in CI). A tag is {@code m} or {@code c}
 * (member or client) and the instance's UUID. Only a member's death can be judged from here; a
 * client's locks go when the members drop its connection. Thread-safe.
 */
final class Owners {
  private final HazelcastInstance hz;
  private final String tag;

  Owners(HazelcastInstance hz) {
    this.hz = hz;
    this.tag =
        (hz.getLocalEndpoint() instanceof Member ? "m" : "c") + hz.getLocalEndpoint().getUuid();
  }

  /** Returns this instance's tag. */
  String tag() {
    return tag;
  }

  /** Whether {@code tag} names a member that is no longer in the cluster. */
  boolean isGoneMember(String tag) {
    if (tag == null || tag.length() < 2 || tag.charAt(0) != 'm') {
      return false;
    }
    UUID uuid;
    try {
      uuid = UUID.fromString(tag.substring(1));
    } catch (IllegalArgumentException e) {
      return false;
    }
    for (Member m : hz.getCluster().getMembers()) {
      if (m.getUuid().equals(uuid)) {
        return false;
      }
    }
    return true;
  }
}
