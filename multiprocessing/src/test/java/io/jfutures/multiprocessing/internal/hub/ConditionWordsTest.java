package io.jfutures.multiprocessing.internal.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A condition's waiters in shared memory: places in line, signals, and what a waiter leaves. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
final class ConditionWordsTest {
  private final ConditionWords words =
      new ConditionWords(LockWords.detached(ConditionWords.RUN_WORDS));
  private final long token = LockWords.token(ProcessHandle.current().pid(), Thread.currentThread());

  @Test
  void signalsTakeTheLongestWaitersFirst_andSayHowManyTheyWoke() {
    long a = words.enqueue(token);
    long b = words.enqueue(token);
    long c = words.enqueue(token);
    assertFalse(words.leave(a), "a gave up before any signal");
    assertEquals(2, words.occupied());
    List<Long> parked = new ArrayList<>();
    assertEquals(1, words.signal(1, parked::add));
    assertTrue(words.isSignalled(b));
    assertFalse(words.isSignalled(c));
    long d = words.enqueue(token); // takes a's free place, behind c in line
    assertEquals(2, words.signal(-1, parked::add), "all: c and d");
    assertTrue(words.isSignalled(c) && words.isSignalled(d));
    assertEquals(0, words.signal(5, parked::add), "nobody waits");
    assertEquals(List.of(), parked, "nobody had parked at the hub");
    assertTrue(words.leave(b) && words.leave(c) && words.leave(d));
    assertEquals(0, words.occupied());
  }

  @Test
  void aParkedWaiter_isReportedToTheSignaller_andOneSignalledAlreadyNeedNotPark() {
    long a = words.enqueue(token);
    long b = words.enqueue(token);
    assertTrue(words.park(a));
    assertTrue(words.parkedNow(a));
    List<Long> parked = new ArrayList<>();
    assertEquals(2, words.signal(2, parked::add));
    assertEquals(List.of(a), parked, "only a must be woken through the hub");
    assertFalse(words.park(b), "signalled before it parked");
    assertFalse(words.parkedNow(a));
    assertTrue(words.leave(a) && words.leave(b));
  }

  @Test
  void whileTheHubHasWaitersOrThePlacesAreFull_waitersGoToTheHub() {
    words.hubMode(true);
    assertEquals(-1, words.enqueue(token));
    words.hubMode(false);
    List<Long> in = new ArrayList<>();
    for (int i = 0; i < ConditionWords.SLOTS; i++) {
      in.add(words.enqueue(token));
    }
    assertEquals(-1, words.enqueue(token), "no place left");
    long hubsTicket = words.nextTicket();
    assertTrue(hubsTicket > ConditionWords.ticket(in.get(in.size() - 1)), "one line of tickets");
    for (long w : in) {
      assertFalse(words.leave(w));
    }
  }

  @Test
  void aSignalThatCrossesAWaitersTimeout_isTakenByIt_andAStaleChangeFails() {
    long a = words.enqueue(token);
    long oldest = words.oldestWaiting();
    assertEquals(a, oldest);
    assertFalse(words.leave(a), "gave up first");
    assertEquals(ConditionWords.CHANGED, words.signalOne(oldest), "the signaller looks again");
    long b = words.enqueue(token); // the same place, a new ticket
    assertEquals(ConditionWords.CHANGED, words.signalOne(a), "a's ticket is not b's");
    assertFalse(words.isSignalled(b));
    assertEquals(ConditionWords.SIGNALLED_ONE, words.signalOne(b));
    assertTrue(words.leave(b), "a timeout after the signal still counts it");
  }

  @Test
  void aDeadProcessesPlaces_areFreed_countingTheSignalsItNeverTook() {
    long other = LockWords.token(ProcessHandle.current().pid() + 100_000, Thread.currentThread());
    long mine = words.enqueue(token);
    long theirs = words.enqueue(other);
    long theirsToo = words.enqueue(other);
    assertEquals(ConditionWords.SIGNALLED_ONE, words.signalOne(theirs));
    assertEquals(1, words.dropOwnedBy(LockWords.pid(other)));
    assertEquals(1, words.occupied());
    assertFalse(words.leave(theirsToo));
    assertFalse(words.isSignalled(mine));
    assertFalse(words.leave(mine));
  }
}
