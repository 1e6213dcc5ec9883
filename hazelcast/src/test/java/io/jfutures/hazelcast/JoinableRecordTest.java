package io.jfutures.hazelcast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
final class JoinableRecordTest {
  private static final byte[] ITEM = {1, 2, 3, 4};

  @Test
  void aPutsIdentity_travelsThroughEveryState_andTellsItFromAnotherPutOfTheSameItem() {
    JoinableRecord waiting = JoinableRecord.waiting(ITEM);
    JoinableRecord taken = waiting.takenBy("joinable:mX:p1:q");
    JoinableRecord again = taken.takenBy("joinable:mY:p2:q");
    JoinableRecord done = again.done();
    for (JoinableRecord r : List.of(taken, again, done)) {
      assertTrue(r.samePut(waiting), r.toString());
    }
    JoinableRecord other = JoinableRecord.waiting(ITEM);
    assertFalse(other.samePut(waiting), "the same item put twice is two puts");
    assertNotEquals(other, waiting);
    JoinableRecord hole = JoinableRecord.of(JoinableRecord.hole());
    assertFalse(hole.samePut(waiting));
    assertFalse(waiting.samePut(hole));
  }

  @Test
  void everyStateReadsBackFromItsBytes() {
    JoinableRecord waiting = JoinableRecord.waiting(ITEM);
    assertArrayEquals(ITEM, waiting.item());
    JoinableRecord taken = JoinableRecord.of(waiting.takenBy("joinable:mX:pé:q").bytes());
    assertEquals(JoinableRecord.TAKEN, taken.state());
    assertEquals("joinable:mX:pé:q", taken.presence());
    assertArrayEquals(ITEM, taken.item());
    assertEquals(taken, JoinableRecord.of(taken.bytes().clone()));
    JoinableRecord done = JoinableRecord.of(taken.done().bytes());
    assertEquals(JoinableRecord.DONE, done.state());
    assertTrue(done.isFinished());
    assertFalse(taken.isFinished());
    assertTrue(JoinableRecord.of(JoinableRecord.hole()).isFinished());
    assertNull(JoinableRecord.of(null));
  }

  @Test
  void anEmptyItem_andAStateWithoutItsPart_areToldApart() {
    JoinableRecord waiting = JoinableRecord.waiting(new byte[0]);
    assertArrayEquals(new byte[0], waiting.takenBy("p").item());
    assertThrows(IllegalStateException.class, waiting::presence);
    assertThrows(IllegalStateException.class, () -> waiting.takenBy("p").done().item());
    assertThrows(IllegalArgumentException.class, () -> JoinableRecord.of(new byte[] {9}));
    assertThrows(IllegalArgumentException.class, () -> JoinableRecord.of(new byte[0]));
  }
}
