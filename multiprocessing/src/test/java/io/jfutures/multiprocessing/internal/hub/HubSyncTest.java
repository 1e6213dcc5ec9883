package io.jfutures.multiprocessing.internal.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.multiprocessing.internal.hub.HubQueueLeasesTest.RecordingPeer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The hub's locks, semaphores, events and barriers, with processes played by peers that record what
 * they are sent: who is answered, with what, and what a process's death changes.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
final class HubSyncTest {
  private final RecordingPeer a = new RecordingPeer();
  private final RecordingPeer b = new RecordingPeer();
  private final RecordingPeer c = new RecordingPeer();
  private long requests;

  /** Sends a request; returns its number. */
  private long send(HubSync s, Peer p, byte op, long value) {
    return send(s, p, op, s.id, value, null);
  }

  private long send(HubSync s, Peer p, byte op, long object, long value, long[] extra) {
    long r = ++requests;
    s.handle(p, op, object, r, value, extra == null ? null : Wire.payload(extra));
    return r;
  }

  /** The one frame {@code p} was sent for {@code request}, or null; removes it. */
  private static Wire.Frame answer(RecordingPeer p, long request) {
    synchronized (p) {
      for (Wire.Frame f : p.frames) {
        if (f.request() == request) {
          p.frames.remove(f);
          return f;
        }
      }
      return null;
    }
  }

  private static void answered(RecordingPeer p, long request, byte op, long value) {
    Wire.Frame f = answer(p, request);
    assertTrue(f != null, "no answer to request " + request);
    assertEquals(op, f.op(), "answer to request " + request);
    assertEquals(value, f.value(), "value of the answer to request " + request);
  }

  private static void waits(RecordingPeer p, long request) {
    assertNull(answer(p, request), "request " + request + " should still wait");
  }

  // ---- locks ----------------------------------------------------------------------------------

  @Test
  void aLock_isHeldByOneThreadOfOneProcess_andWaitersAreServedInOrder() {
    HubLock lock = new HubLock(1, false);
    answered(a, send(lock, a, Wire.LOCK, 7), Wire.OK, 0);
    answered(a, send(lock, a, Wire.LOCK_NOW, 8), Wire.EMPTY, 0); // another thread of a
    long bWaits = send(lock, b, Wire.LOCK, 7); // same thread number, another process
    long cWaits = send(lock, c, Wire.LOCK, 1);
    waits(b, bWaits);
    answered(b, send(lock, b, Wire.LOCK_STATE, 7), Wire.VALUE, -1);
    answered(a, send(lock, a, Wire.UNLOCK, 7), Wire.OK, 0);
    answered(b, bWaits, Wire.OK, 0);
    waits(c, cWaits);
    answered(b, send(lock, b, Wire.UNLOCK, 7), Wire.OK, 0);
    answered(c, cWaits, Wire.OK, 0);
  }

  @Test
  void unlockingALockOneDoesNotHold_isAMonitorError_andReentryWithoutReentrancyAStateError() {
    HubLock lock = new HubLock(1, false);
    answered(a, send(lock, a, Wire.UNLOCK, 1), Wire.ERROR, Wire.ERROR_MONITOR);
    answered(a, send(lock, a, Wire.LOCK, 1), Wire.OK, 0);
    answered(b, send(lock, b, Wire.UNLOCK, 1), Wire.ERROR, Wire.ERROR_MONITOR);
    answered(a, send(lock, a, Wire.LOCK, 1), Wire.ERROR, Wire.ERROR_STATE);
    answered(a, send(lock, a, Wire.LOCK_NOW, 1), Wire.EMPTY, 0);
  }

  @Test
  void aReentrantLock_countsItsHolds() {
    HubLock lock = new HubLock(1, true);
    answered(a, send(lock, a, Wire.LOCK, 1), Wire.OK, 0);
    answered(a, send(lock, a, Wire.LOCK, 1), Wire.OK, 0);
    answered(a, send(lock, a, Wire.LOCK_STATE, 1), Wire.VALUE, 2);
    long bWaits = send(lock, b, Wire.LOCK, 1);
    answered(a, send(lock, a, Wire.UNLOCK, 1), Wire.OK, 0);
    waits(b, bWaits);
    answered(a, send(lock, a, Wire.UNLOCK, 1), Wire.OK, 0);
    answered(b, bWaits, Wire.OK, 0);
  }

  /** F3: the holder's death frees the lock, and the next holder learns it. */
  @Test
  void theHoldersDeath_givesTheLockToTheNextWaiter_withOwnerDied_andDropsDeadWaiters() {
    HubLock lock = new HubLock(1, false);
    send(lock, a, Wire.LOCK, 1);
    long bWaits = send(lock, b, Wire.LOCK, 1);
    long cWaits = send(lock, c, Wire.LOCK, 1);
    lock.peerGone(b); // a waiter dies: nothing changes for the others
    lock.peerGone(a);
    answered(c, cWaits, Wire.OK, 1); // ownerDied
    assertNull(answer(b, bWaits));
    answered(c, send(lock, c, Wire.UNLOCK, 1), Wire.OK, 0);
    answered(c, send(lock, c, Wire.LOCK, 1), Wire.OK, 0); // told once
  }

  @Test
  void aCancelledWait_isAnsweredCancelled_andACrossedOneIsIgnored() {
    HubLock lock = new HubLock(1, false);
    long aHolds = send(lock, a, Wire.LOCK, 1);
    long bWaits = send(lock, b, Wire.LOCK, 1);
    lock.cancel(b, bWaits);
    answered(b, bWaits, Wire.CANCELLED, 0);
    lock.cancel(a, aHolds); // answered already: nothing more
    assertTrue(a.frames.stream().noneMatch(f -> f.op() == Wire.CANCELLED));
  }

  @Test
  void aConditionsWaiter_givesBackEveryHold_andIsAnsweredOnlyWithTheLockAgain() {
    HubLock lock = new HubLock(1, true);
    lock.addCondition(2);
    send(lock, a, Wire.LOCK, 1);
    send(lock, a, Wire.LOCK, 1);
    long aWaits = send(lock, a, Wire.AWAIT, 2, 1, null);
    answered(b, send(lock, b, Wire.LOCK, 5), Wire.OK, 0); // a gave the lock back
    answered(b, send(lock, b, Wire.SIGNAL, 2, 1, new long[] {5}), Wire.VALUE, 1);
    waits(a, aWaits); // signalled, but b holds the lock
    answered(b, send(lock, b, Wire.UNLOCK, 5), Wire.OK, 0);
    answered(a, aWaits, Wire.OK, 0);
    answered(a, send(lock, a, Wire.LOCK_STATE, 1), Wire.VALUE, 2); // both holds back
  }

  @Test
  void aConditionsWaiterThatTimesOut_takesTheLockBack_thenHearsCancelled() {
    HubLock lock = new HubLock(1, false);
    lock.addCondition(2);
    send(lock, a, Wire.LOCK, 1);
    long aWaits = send(lock, a, Wire.AWAIT, 2, 1, null);
    send(lock, b, Wire.LOCK, 1);
    lock.cancel(a, aWaits);
    waits(a, aWaits); // b holds the lock
    answered(b, send(lock, b, Wire.SIGNAL, 2, -1, new long[] {1}), Wire.VALUE, 0); // gone
    answered(b, send(lock, b, Wire.UNLOCK, 1), Wire.OK, 0);
    answered(a, aWaits, Wire.CANCELLED, 0);
  }

  @Test
  void signallingWithoutTheLock_isAMonitorError_andADeadWaiterIsForgotten() {
    HubLock lock = new HubLock(1, false);
    lock.addCondition(2);
    answered(a, send(lock, a, Wire.SIGNAL, 2, 1, new long[] {1}), Wire.ERROR, Wire.ERROR_MONITOR);
    answered(a, send(lock, a, Wire.AWAIT, 2, 1, null), Wire.ERROR, Wire.ERROR_MONITOR);
    send(lock, b, Wire.LOCK, 1);
    send(lock, b, Wire.AWAIT, 2, 1, null);
    lock.peerGone(b);
    send(lock, a, Wire.LOCK, 1);
    answered(a, send(lock, a, Wire.SIGNAL, 2, -1, new long[] {1}), Wire.VALUE, 0);
  }

  // ---- semaphores -----------------------------------------------------------------------------

  @Test
  void aSemaphore_servesInOrder_andADeadProcessesPermitsComeBack() {
    HubSemaphore s = new HubSemaphore(1, 3, false);
    answered(a, send(s, a, Wire.ACQUIRE, 2), Wire.OK, 0);
    long bWaits = send(s, b, Wire.ACQUIRE, 2); // 1 left: waits
    answered(c, send(s, c, Wire.ACQUIRE_NOW, 1), Wire.EMPTY, 0); // not ahead of b
    waits(b, bWaits);
    s.peerGone(a);
    answered(b, bWaits, Wire.OK, 0);
    answered(c, send(s, c, Wire.PERMITS, 0), Wire.VALUE, 1);
  }

  @Test
  void aBoundedSemaphore_refusesAReleasePastItsBound() {
    HubSemaphore s = new HubSemaphore(1, 1, true);
    answered(a, send(s, a, Wire.RELEASE, 1), Wire.ERROR, Wire.ERROR_STATE);
    send(s, a, Wire.ACQUIRE, 1);
    answered(b, send(s, b, Wire.RELEASE, 1), Wire.OK, 0); // a signal from another process
    s.peerGone(a); // a's permit comes back, but not past the bound
    answered(b, send(s, b, Wire.PERMITS, 0), Wire.VALUE, 1);
  }

  @Test
  void aCancelledHeadOfTheSemaphoresQueue_letsTheNextIn() {
    HubSemaphore s = new HubSemaphore(1, 1, false);
    long aWaits = send(s, a, Wire.ACQUIRE, 5);
    long bWaits = send(s, b, Wire.ACQUIRE, 1);
    waits(b, bWaits);
    s.cancel(a, aWaits);
    answered(a, aWaits, Wire.CANCELLED, 0);
    answered(b, bWaits, Wire.OK, 0);
  }

  // ---- events ---------------------------------------------------------------------------------

  @Test
  void setWakesEveryWaiter_evenWithADeadOneAmongThem() {
    HubEvent e = new HubEvent(1);
    long aWaits = send(e, a, Wire.WAIT, 0);
    long bWaits = send(e, b, Wire.WAIT, 0);
    e.peerGone(b);
    answered(c, send(e, c, Wire.SET, 0), Wire.OK, 0);
    answered(a, aWaits, Wire.OK, 0);
    assertNull(answer(b, bWaits));
    answered(a, send(e, a, Wire.WAIT, 0), Wire.OK, 0); // set: no wait
    send(e, a, Wire.CLEAR, 0);
    answered(a, send(e, a, Wire.IS_SET, 0), Wire.VALUE, 0);
  }

  // ---- barriers -------------------------------------------------------------------------------

  @Test
  void aBarrier_releasesAllWithArrivalIndexes_andStartsOver() {
    HubBarrier bar = new HubBarrier(1, 3, false);
    long first = send(bar, a, Wire.ARRIVE, 0);
    long second = send(bar, b, Wire.ARRIVE, 0);
    answered(c, send(bar, c, Wire.WAITING, 0), Wire.VALUE, 2);
    answered(c, send(bar, c, Wire.ARRIVE, 0), Wire.OK, 0);
    answered(a, first, Wire.OK, 2);
    answered(b, second, Wire.OK, 1);
    waits(a, send(bar, a, Wire.ARRIVE, 0)); // the next generation
  }

  @Test
  void theLastArrivalRunsTheAction_andLaterArrivalsWaitForTheNextGeneration() {
    HubBarrier bar = new HubBarrier(1, 2, true);
    long first = send(bar, a, Wire.ARRIVE, 0);
    answered(b, send(bar, b, Wire.ARRIVE, 0), Wire.RUN_ACTION, 0);
    long early = send(bar, c, Wire.ARRIVE, 0);
    waits(a, first);
    answered(b, send(bar, b, Wire.ACTION_DONE, 1), Wire.OK, 0);
    answered(a, first, Wire.OK, 1);
    waits(c, early);
    answered(c, send(bar, c, Wire.WAITING, 0), Wire.VALUE, 1);
  }

  /** F13: a waiting party's death breaks the barrier at once for the others. */
  @Test
  void aWaitingPartysDeath_aCancelledWait_orAFailedAction_breaksTheBarrier() {
    HubBarrier bar = new HubBarrier(1, 3, true);
    long aWaits = send(bar, a, Wire.ARRIVE, 0);
    send(bar, b, Wire.ARRIVE, 0);
    bar.peerGone(b);
    answered(a, aWaits, Wire.BROKEN, 0);
    answered(c, send(bar, c, Wire.ARRIVE, 0), Wire.BROKEN, 0);
    answered(c, send(bar, c, Wire.WAITING, 0), Wire.VALUE, -1);

    send(bar, c, Wire.RESET, 0);
    long again = send(bar, a, Wire.ARRIVE, 0);
    bar.cancel(a, again);
    answered(a, again, Wire.CANCELLED, 0);
    answered(c, send(bar, c, Wire.WAITING, 0), Wire.VALUE, -1);

    send(bar, c, Wire.RESET, 0);
    long waiting = send(bar, a, Wire.ARRIVE, 0);
    send(bar, b, Wire.ARRIVE, 0);
    answered(c, send(bar, c, Wire.ARRIVE, 0), Wire.RUN_ACTION, 0);
    answered(c, send(bar, c, Wire.ACTION_DONE, 0), Wire.BROKEN, 0);
    answered(a, waiting, Wire.BROKEN, 0);
  }

  @Test
  void theActionRunnersDeath_breaksTheBarrier() {
    HubBarrier bar = new HubBarrier(1, 2, true);
    long aWaits = send(bar, a, Wire.ARRIVE, 0);
    send(bar, b, Wire.ARRIVE, 0);
    bar.peerGone(b);
    answered(a, aWaits, Wire.BROKEN, 0);
    assertEquals(List.of(), c.frames);
  }
}
