package io.jfutures.multiprocessing.internal.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class HostedPagesTest {
  @Test
  void aSnapshotThatFitsOnePage_comesWhole_andKeepsNothingOpen() {
    long before = HostedPages.openCount();
    assertEquals(List.of(0L, "a", "b"), HostedPages.open(new ArrayList<>(List.of("a", "b")), 2));
    assertEquals(before, HostedPages.openCount());
  }

  @Test
  void aLongerSnapshot_comesByPages_thenItsCursorIsDone() {
    long before = HostedPages.openCount();
    List<Object> snapshot = new ArrayList<>(List.of(1, 2, 3, 4, 5));
    ArrayList<Object> first = HostedPages.open(snapshot, 2);
    long cursor = (Long) first.get(0);
    assertTrue(cursor != 0);
    assertEquals(List.of(1, 2), first.subList(1, 3));
    assertEquals(before + 1, HostedPages.openCount());
    assertEquals(List.of(cursor, 3, 4), HostedPages.next(cursor, 2));
    assertEquals(List.of(0L, 5), HostedPages.next(cursor, 2));
    assertEquals(before, HostedPages.openCount());
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> HostedPages.next(cursor, 2));
    assertTrue(e.getMessage().contains("Iterate again"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> HostedPages.open(snapshot, 0));
  }

  @Test
  void aSnapshotOfExactlyOnePage_endsWithoutAnotherRoundTrip() {
    assertEquals(List.of(0L, 1, 2), HostedPages.open(new ArrayList<>(List.of(1, 2)), 2));
  }
}
