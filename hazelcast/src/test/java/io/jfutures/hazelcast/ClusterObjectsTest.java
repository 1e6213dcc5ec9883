package io.jfutures.hazelcast;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
final class ClusterObjectsTest {
  @Test
  void onThisMember_outsideAMember_saysWhatToUseInstead() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, ClusterObjects::onThisMember);
    assertTrue(e.getMessage().contains("found 0"), e.getMessage());
    assertTrue(e.getMessage().contains("ClusterObjects.using(instance)"), e.getMessage());
  }

  @Test
  void aNullInstanceOrAllowList_isRefused() {
    assertThrows(NullPointerException.class, () -> ClusterObjects.using(null));
  }
}
