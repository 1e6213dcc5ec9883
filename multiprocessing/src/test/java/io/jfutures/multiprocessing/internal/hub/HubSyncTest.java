package io.jfutures.multiprocessing.internal.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

  /** A process with a pid, whose threads' tokens are what a lock's word holds. */
  static final class Process extends RecordingPeer {
    final long pid;

    Process(long pid) {
      this.pid = pid;
    }

    @Override
    public long pid() {
      return pid;
    }

    long thread(int t) {
      return (pid << 32) | ((long) t << 1);
    }
  }

  /** The pid of a process that has ended. */
  private static long deadPid() throws Exception {
    java.lang.Process p = new ProcessBuilder("true").start();
    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    return p.pid();
  }

  private final Process pa = new Process(ProcessHandle.current().pid());
  private final Process pb = new Process(ProcessHandle.current().pid() + 100_000);
  private final Process pc = new Process(ProcessHandle.current().pid() + 200_000);
  private final LockWords.Word word = LockWords.detached();
  private final ConditionWords condWords =
      new ConditionWords(LockWords.detached(ConditionWords.RUN_WORDS));

  @Test
  void aLock_isHeldByOneThreadOfOneProcess_andWaitersAreServedInOrder() {
    HubLock lock = new HubLock(1, word);
    answered(pa, send(lock, pa, Wire.LOCK, pa.thread(7)), Wire.OK, 0);
    assertEquals(pa.thread(7), word.get());
    answered(pa, send(lock, pa, Wire.LOCK_NOW, pa.thread(8)), Wire.EMPTY, 0);
    long bWaits = send(lock, pb, Wire.LOCK, pb.thread(7));
    long cWaits = send(lock, pc, Wire.LOCK, pc.thread(1));
    waits(pb, bWaits);
    assertEquals(pa.thread(7) | LockWords.WAITED, word.get(), "marked as waited for");
    assertFalse(word.compareAndSet(pa.thread(7), 0), "a holder's quick release fails");
    answered(pa, send(lock, pa, Wire.UNLOCK, pa.thread(7)), Wire.OK, 0);
    answered(pb, bWaits, Wire.OK, 0);
    assertEquals(pb.thread(7) | LockWords.WAITED, word.get());
    waits(pc, cWaits);
    answered(pb, send(lock, pb, Wire.UNLOCK, pb.thread(7)), Wire.OK, 0);
    answered(pc, cWaits, Wire.OK, 0);
    assertEquals(pc.thread(1), word.get(), "nobody waits now");
    assertTrue(word.compareAndSet(pc.thread(1), 0), "so the holder gives it back alone");
  }

  @Test
  void aLockTakenWithoutTheHub_isWaitedForThroughIt() {
    HubLock lock = new HubLock(1, word);
    assertTrue(word.compareAndSet(0, pa.thread(1))); // a thread's compare-and-set
    long bWaits = send(lock, pb, Wire.LOCK, pb.thread(1));
    waits(pb, bWaits);
    assertFalse(word.compareAndSet(pa.thread(1), 0));
    answered(pa, send(lock, pa, Wire.UNLOCK, pa.thread(1)), Wire.OK, 0);
    answered(pb, bWaits, Wire.OK, 0);
  }

  @Test
  void unlockingALockOneDoesNotHold_isAMonitorError_andReentryWithoutWaitingAStateError() {
    HubLock lock = new HubLock(1, word);
    answered(pa, send(lock, pa, Wire.UNLOCK, pa.thread(1)), Wire.ERROR, Wire.ERROR_MONITOR);
    answered(pa, send(lock, pa, Wire.LOCK, pa.thread(1)), Wire.OK, 0);
    answered(pb, send(lock, pb, Wire.UNLOCK, pb.thread(1)), Wire.ERROR, Wire.ERROR_MONITOR);
    answered(pa, send(lock, pa, Wire.LOCK, pa.thread(1)), Wire.ERROR, Wire.ERROR_STATE);
    answered(pa, send(lock, pa, Wire.LOCK_NOW, pa.thread(1)), Wire.EMPTY, 0);
  }

  /** F3: the holder's death frees the lock, and the next holder learns it. */
  @Test
  void theHoldersDeath_givesTheLockToTheNextWaiter_withOwnerDied_andDropsDeadWaiters()
      throws Exception {
    Process dead = new Process(deadPid());
    HubLock lock = new HubLock(1, word);
    assertTrue(word.compareAndSet(0, dead.thread(1)));
    long bWaits = send(lock, pb, Wire.LOCK, pb.thread(1));
    long cWaits = send(lock, pc, Wire.LOCK, pc.thread(1));
    lock.peerGone(pb); // a waiter dies: nothing changes for the others
    lock.peerGone(dead);
    answered(pc, cWaits, Wire.OK, 1); // ownerDied
    assertNull(answer(pb, bWaits));
    assertEquals(pc.thread(1), word.get());
  }

  @Test
  void aHolderThatDiesWithNobodyWaiting_leavesTheWordOwnerDied_forTheNextToLearn()
      throws Exception {
    Process dead = new Process(deadPid());
    HubLock lock = new HubLock(1, word);
    answered(dead, send(lock, dead, Wire.LOCK, dead.thread(1)), Wire.OK, 0);
    lock.peerGone(dead);
    assertEquals(LockWords.OWNER_DIED, word.get());
    assertFalse(word.compareAndSet(0, pc.thread(1)), "a quick take does not skip the news");
    answered(pc, send(lock, pc, Wire.LOCK_NOW, pc.thread(1)), Wire.OK, 1);
    answered(pc, send(lock, pc, Wire.UNLOCK, pc.thread(1)), Wire.OK, 0);
    answered(pc, send(lock, pc, Wire.LOCK, pc.thread(1)), Wire.OK, 0); // told once
  }

  @Test
  void aHolderStillExitingWhenItsConnectionEnds_isLookedAtAgain_untilItIsGone() throws Exception {
    java.lang.Process exiting = new ProcessBuilder("sleep", "30").start(); // plays the holder
    try {
      Process holder = new Process(exiting.pid());
      HubLock lock = new HubLock(1, word);
      assertTrue(word.compareAndSet(0, holder.thread(1)));
      long bWaits = send(lock, pb, Wire.LOCK, pb.thread(1));
      lock.peerGone(holder); // its socket closed first: it still runs
      waits(pb, bWaits);
      exiting.destroyForcibly();
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(10))
          .until(() -> pb.frames.stream().anyMatch(f -> f.request() == bWaits));
      answered(pb, bWaits, Wire.OK, 1);
    } finally {
      exiting.destroyForcibly();
    }
  }

  @Test
  void aConnectionThatEndsWhileItsProcessRuns_keepsItsHold() {
    HubLock lock = new HubLock(1, word);
    answered(pa, send(lock, pa, Wire.LOCK, pa.thread(1)), Wire.OK, 0); // pa: this process
    lock.peerGone(pa);
    assertEquals(pa.thread(1), word.get());
  }

  @Test
  void aCancelledWait_isAnsweredCancelled_andTheLastClearsTheMark() {
    HubLock lock = new HubLock(1, word);
    long aHolds = send(lock, pa, Wire.LOCK, pa.thread(1));
    long bWaits = send(lock, pb, Wire.LOCK, pb.thread(1));
    lock.cancel(pb, bWaits);
    answered(pb, bWaits, Wire.CANCELLED, 0);
    assertEquals(pa.thread(1), word.get(), "nobody waits: not marked");
    lock.cancel(pa, aHolds); // answered already: nothing more
    assertTrue(pa.frames.stream().noneMatch(f -> f.op() == Wire.CANCELLED));
  }

  @Test
  void aConditionsWaiter_givesBackTheLock_andIsAnsweredOnlyWithTheLockAgain() {
    HubLock lock = new HubLock(1, word);
    lock.addCondition(2, condWords);
    send(lock, pa, Wire.LOCK, pa.thread(1));
    long aWaits = send(lock, pa, Wire.AWAIT, 2, pa.thread(1), null);
    assertEquals(0, word.get(), "given back");
    answered(pb, send(lock, pb, Wire.LOCK, pb.thread(5)), Wire.OK, 0);
    answered(pb, send(lock, pb, Wire.SIGNAL, 2, 1, new long[] {pb.thread(5)}), Wire.VALUE, 1);
    waits(pa, aWaits); // signalled, but b holds the lock
    assertEquals(pb.thread(5) | LockWords.WAITED, word.get());
    answered(pb, send(lock, pb, Wire.UNLOCK, pb.thread(5)), Wire.OK, 0);
    answered(pa, aWaits, Wire.OK, 0);
    assertEquals(pa.thread(1), word.get());
  }

  @Test
  void aConditionsWaiterThatTimesOut_takesTheLockBack_thenHearsCancelled() {
    HubLock lock = new HubLock(1, word);
    lock.addCondition(2, condWords);
    send(lock, pa, Wire.LOCK, pa.thread(1));
    long aWaits = send(lock, pa, Wire.AWAIT, 2, pa.thread(1), null);
    send(lock, pb, Wire.LOCK, pb.thread(1));
    lock.cancel(pa, aWaits);
    waits(pa, aWaits); // b holds the lock
    answered(pb, send(lock, pb, Wire.SIGNAL, 2, -1, new long[] {pb.thread(1)}), Wire.VALUE, 0);
    answered(pb, send(lock, pb, Wire.UNLOCK, pb.thread(1)), Wire.OK, 0);
    answered(pa, aWaits, Wire.CANCELLED, 0);
  }

  @Test
  void signallingWithoutTheLock_isAMonitorError_andADeadWaiterIsForgotten() {
    HubLock lock = new HubLock(1, word);
    lock.addCondition(2, condWords);
    answered(
        pa,
        send(lock, pa, Wire.SIGNAL, 2, 1, new long[] {pa.thread(1)}),
        Wire.ERROR,
        Wire.ERROR_MONITOR);
    answered(pa, send(lock, pa, Wire.AWAIT, 2, pa.thread(1), null), Wire.ERROR, Wire.ERROR_MONITOR);
    send(lock, pb, Wire.LOCK, pb.thread(1));
    send(lock, pb, Wire.AWAIT, 2, pb.thread(1), null);
    lock.peerGone(pb);
    send(lock, pa, Wire.LOCK, pa.thread(1));
    answered(pa, send(lock, pa, Wire.SIGNAL, 2, -1, new long[] {pa.thread(1)}), Wire.VALUE, 0);
  }

  @Test
  void waitersInTheWordsAndAtTheHub_areSignalledByTicket_andTheWordsSayHubWhileItHasAny() {
    HubLock lock = new HubLock(1, word);
    lock.addCondition(2, condWords);
    send(lock, pa, Wire.LOCK, pa.thread(1));
    long first = condWords.enqueue(pa.thread(1)); // a thread of a in the words
    send(lock, pa, Wire.UNLOCK, pa.thread(1));
    send(lock, pb, Wire.LOCK, pb.thread(1));
    long bWaits = send(lock, pb, Wire.AWAIT, 2, pb.thread(1), null); // b at the hub
    assertTrue(condWords.hubMode(), "the hub has a waiter of its own");
    assertEquals(-1, condWords.enqueue(pa.thread(2)), "so later waiters wait at the hub too");
    send(lock, pc, Wire.LOCK, pc.thread(1));
    answered(pc, send(lock, pc, Wire.SIGNAL, 2, 1, new long[] {pc.thread(1)}), Wire.VALUE, 1);
    assertTrue(condWords.isSignalled(first), "the oldest, in the words, first");
    waits(pb, bWaits);
    assertTrue(condWords.hubMode());
    answered(pc, send(lock, pc, Wire.SIGNAL, 2, 1, new long[] {pc.thread(1)}), Wire.VALUE, 1);
    assertFalse(condWords.hubMode(), "the hub's line is empty");
    answered(pc, send(lock, pc, Wire.UNLOCK, pc.thread(1)), Wire.OK, 0);
    answered(pb, bWaits, Wire.OK, 0);
    assertTrue(condWords.leave(first));
  }

  @Test
  void aWaiterParkedAtTheHub_isWokenBySignalsInTheWordsOrAtTheHub_orHearsCancelled() {
    HubLock lock = new HubLock(1, word);
    lock.addCondition(2, condWords);
    long w = condWords.enqueue(pb.thread(1));
    assertTrue(condWords.park(w));
    long parked = send(lock, pb, Wire.COND_PARK, 2, w, null);
    waits(pb, parked);
    List<Long> woken = new java.util.ArrayList<>();
    assertEquals(1, condWords.signal(1, woken::add), "a signaller in some process, in the words");
    assertEquals(List.of(w), woken, "which tells the hub to wake the parked waiter");
    waits(pb, parked);
    send(lock, pa, Wire.COND_WAKE, 2, w, null);
    answered(pb, parked, Wire.OK, 0);
    assertTrue(condWords.leave(w));

    long late = condWords.enqueue(pb.thread(1));
    assertTrue(condWords.park(late));
    send(lock, pa, Wire.LOCK, pa.thread(1));
    answered(pa, send(lock, pa, Wire.SIGNAL, 2, -1, new long[] {pa.thread(1)}), Wire.VALUE, 1);
    answered(pb, send(lock, pb, Wire.COND_PARK, 2, late, null), Wire.OK, 0); // signalled first
    assertTrue(condWords.leave(late));

    long timed = condWords.enqueue(pb.thread(1));
    assertTrue(condWords.park(timed));
    long gaveUp = send(lock, pb, Wire.COND_PARK, 2, timed, null);
    lock.cancel(pb, gaveUp);
    answered(pb, gaveUp, Wire.CANCELLED, 0);
    assertFalse(condWords.leave(timed), "nobody signalled it");
  }

  @Test
  void aConditionsRequestNamingTheLock_isRefused_andTheWordsAskedForAreEachObjectsOwn() {
    HubLock lock = new HubLock(1, word);
    ConditionWords elsewhere =
        new ConditionWords(
            new LockWords.Word(
                java.nio.ByteBuffer.allocateDirect((3 + ConditionWords.RUN_WORDS) * Long.BYTES),
                "block",
                3));
    lock.addCondition(2, elsewhere);
    Wire.Frame refused = answer(pa, send(lock, pa, Wire.COND_PARK, 1, 0, null));
    assertEquals(Wire.ERROR, refused.op(), "a park for the lock itself: no such condition");
    send(lock, pa, Wire.LOCK, pa.thread(1));
    assertEquals(Wire.ERROR, answer(pa, send(lock, pa, Wire.AWAIT, 1, pa.thread(1), null)).op());
    assertEquals(
        Wire.ERROR,
        answer(pa, send(lock, pa, Wire.SIGNAL, 1, 1, new long[] {pa.thread(1)})).op(),
        "the lock is no condition");
    assertEquals(pa.thread(1), word.get(), "and the lock is still held");
    send(lock, pa, Wire.COND_WAKE, 1, 0, null); // ignored, as a post gets no reply
    Wire.Frame lockWord = answer(pa, send(lock, pa, Wire.LOCK_WORD, 1, 0, null));
    Wire.Frame condWord = answer(pa, send(lock, pa, Wire.LOCK_WORD, 2, 0, null));
    assertEquals(word.index, lockWord.value());
    assertEquals(3, condWord.value());
    assertEquals("block", new String(condWord.payload(), java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void aDeadProcessesPlacesInTheWords_areTakenBack_andASignalItNeverTookGoesToTheNext() {
    HubLock lock = new HubLock(1, word);
    lock.addCondition(2, condWords);
    long dead = condWords.enqueue(pb.thread(1));
    long deadToo = condWords.enqueue(pb.thread(2));
    long alive = condWords.enqueue(pc.thread(1));
    long parked = condWords.enqueue(pa.thread(1));
    assertTrue(condWords.park(parked));
    long aParks = send(lock, pa, Wire.COND_PARK, 2, parked, null);
    assertEquals(1, condWords.signal(1, x -> {}));
    assertTrue(condWords.isSignalled(dead));
    lock.peerGone(pb);
    assertEquals(2, condWords.occupied(), "b's two places are free");
    assertTrue(condWords.isSignalled(alive), "the signal b's thread never took");
    assertFalse(condWords.isSignalled(parked));
    assertFalse(condWords.leave(deadToo), "a stale leave changes nothing");
    assertEquals(2, condWords.occupied());
    assertEquals(1, condWords.signal(1, x -> send(lock, pc, Wire.COND_WAKE, 2, x, null)));
    answered(pa, aParks, Wire.OK, 0);
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

  /** The place of {@code s}'s words (slot << 16 | index), as the hub gives it to {@code p}. */
  private long placeOf(HubSync s, Process p) {
    Wire.Frame f = answer(p, send(s, p, Wire.LOCK_WORD, 0));
    assertEquals(Wire.VALUE, f.op());
    return f.value() & 0xFFFF_FFFFL;
  }

  /** A process's slot in the words of {@code s} (a semaphore's, a barrier's). */
  private int slotOf(HubSync s, Process p) {
    return (int) (placeOf(s, p) >>> 16);
  }

  /** The semaphore's words as process {@code p} sees them, with the slot the hub gives it. */
  private SemaphoreWords wordsOf(HubSemaphore s, Process p) {
    return s.words().withSlot(slotOf(s, p));
  }

  /** The barrier's words as process {@code p} sees them, with the slot the hub gives it. */
  private BarrierWords wordsOf(HubBarrier bar, Process p) {
    return bar.words().withSlot(slotOf(bar, p));
  }

  /**
   * While nobody waits at the hub, processes take and give back permits in the words themselves,
   * and the hub sees what each holds: a dead process's permits come back. While anyone waits there,
   * both go through the hub, so the waiter is served first.
   */
  @Test
  void aSemaphoresWords_takeAndGiveBackWithoutTheHub_untilSomeoneWaitsThere() {
    HubSemaphore s = new HubSemaphore(1, 2, false);
    SemaphoreWords inA = wordsOf(s, pa);
    SemaphoreWords inB = wordsOf(s, pb);
    assertEquals(slotOf(s, pa), slotOf(s, pa)); // a process keeps its slot
    assertEquals(s.words().index(), placeOf(s, pa) & 0xFFFF);
    assertNotEquals(slotOf(s, pa), slotOf(s, pb));
    assertEquals(SemaphoreWords.Outcome.DONE, inA.tryAcquire(2, pa.thread(1)));
    assertEquals(SemaphoreWords.Outcome.NOT_NOW, inB.tryAcquire(1, pb.thread(1)));
    long bWaits = send(s, pb, Wire.ACQUIRE, 1);
    waits(pb, bWaits);
    assertTrue(inA.waited());
    assertEquals(SemaphoreWords.Outcome.ASK_HUB, inA.tryAcquire(0, pa.thread(1))); // not ahead of b
    assertEquals(SemaphoreWords.Outcome.ASK_HUB, inA.release(1, -1, pa.thread(1)));
    answered(pa, send(s, pa, Wire.RELEASE, 1), Wire.OK, 0);
    answered(pb, bWaits, Wire.OK, 0);
    assertFalse(inA.waited()); // the last waiter left
    assertEquals(0, inA.permits());
    s.peerGone(pa); // held 1: it comes back
    assertEquals(1, inB.permits());
    assertEquals(SemaphoreWords.Outcome.DONE, inB.release(1, -1, pb.thread(1)));
    assertEquals(SemaphoreWords.Outcome.DONE, inB.release(1, -1, pb.thread(1))); // a signal
    s.peerGone(pb); // held 0 after its release: nothing more comes back
    answered(pc, send(s, pc, Wire.PERMITS, 0), Wire.VALUE, 3);
  }

  @Test
  void aBoundedSemaphoresWords_refuseAReleasePastTheBound_inTheProcess() {
    HubSemaphore s = new HubSemaphore(1, 1, true);
    SemaphoreWords inA = wordsOf(s, pa);
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> inA.release(1, inA.initial(), pa.thread(1)));
    assertTrue(e.getMessage().contains("would pass its bound"), e.getMessage());
    assertEquals(SemaphoreWords.Outcome.DONE, inA.tryAcquire(1, pa.thread(1)));
    assertEquals(SemaphoreWords.Outcome.DONE, inA.release(1, inA.initial(), pa.thread(1)));
    assertEquals(1, inA.permits());
  }

  /**
   * A process that dies holding the words' guard, in the middle of a change: the next to take the
   * guard finds its process gone, and puts the count and its slot back as they were before.
   */
  @Test
  void aProcessThatDiesInTheMiddleOfAChange_isUndone_byTheNextToTakeTheGuard() throws Exception {
    HubSemaphore s = new HubSemaphore(1, 3, false);
    Process dead = new Process(deadPid());
    SemaphoreWords inDead = wordsOf(s, dead);
    SemaphoreWords inA = wordsOf(s, pa);
    int deadSlot = slotOf(s, dead);
    assertEquals(SemaphoreWords.Outcome.DONE, inDead.tryAcquire(1, dead.thread(1))); // 2 left
    // It starts taking 2 more: guard, journal, the count written, its slot not yet.
    long token = dead.thread(1);
    inDead.lock(token);
    inDead.journal(token, inDead.state(), deadSlot);
    inDead.setState(inDead.state() - (2 << 1));
    assertEquals(0, inA.permits());
    assertEquals(SemaphoreWords.Outcome.DONE, inA.release(1, -1, pa.thread(1))); // takes over
    assertEquals(3, inA.permits()); // 2, as before the dead one's change, and a's 1
    assertEquals(1, inA.held(deadSlot));
    s.peerGone(dead); // its one permit comes back
    assertEquals(4, inA.permits());

    // Dead with the guard taken but nothing journaled, hence nothing changed: taken over as is.
    inDead.lock(token);
    assertEquals(SemaphoreWords.Outcome.DONE, inA.tryAcquire(4, pa.thread(1)));
    assertEquals(0, inA.permits());
  }

  // ---- events ---------------------------------------------------------------------------------

  @Test
  void setWakesEveryWaiter_evenWithADeadOneAmongThem() {
    HubEvent e = new HubEvent(1, LockWords.detached());
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

  /**
   * The flag is a word the processes set themselves: the hub parks a waiter only while the flag is
   * clear, marks the word while anyone is parked, so that a setter knows to tell it, and unmarks it
   * when the last one leaves, whether woken, cancelled or dead.
   */
  @Test
  void anEventsWord_tellsASetterWhetherToWakeTheHub() {
    LockWords.Word word = LockWords.detached();
    HubEvent e = new HubEvent(1, word);
    assertFalse(EventWord.set(word)); // nobody parked: no message
    answered(a, send(e, a, Wire.WAIT, 0), Wire.OK, 0); // set: not parked
    answered(a, send(e, a, Wire.IS_SET, 0), Wire.VALUE, 1);
    EventWord.clear(word);
    long aWaits = send(e, a, Wire.WAIT, 0);
    long bWaits = send(e, b, Wire.WAIT, 0);
    waits(a, aWaits);
    assertTrue(EventWord.set(word)); // parked waiters: the setter must tell the hub
    assertFalse(EventWord.set(word)); // a second setter need not: the first one tells it
    answered(c, send(e, c, Wire.SET, 1), Wire.OK, 0);
    answered(a, aWaits, Wire.OK, 0);
    answered(b, bWaits, Wire.OK, 0);
    EventWord.clear(word);
    assertFalse(EventWord.set(word)); // nobody parked any more
    EventWord.clear(word);

    long cancelled = send(e, a, Wire.WAIT, 0);
    e.cancel(a, cancelled);
    answered(a, cancelled, Wire.CANCELLED, 0);
    long dead = send(e, b, Wire.WAIT, 0);
    waits(b, dead);
    e.peerGone(b);
    assertFalse(EventWord.set(word)); // the cancelled and the dead waiter left no mark
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

  /**
   * Processes that map the words arrive and trip the barrier themselves; one that waited long
   * enough parks at the hub and is answered when the process that settled its generation says so,
   * and a process without a slot takes part through the hub, in the same generations.
   */
  @Test
  void aBarriersWords_tripWithoutTheHub_andWakeWhoParkedThere() {
    HubBarrier bar = new HubBarrier(1, 3, false);
    BarrierWords inA = wordsOf(bar, pa);
    BarrierWords inB = wordsOf(bar, pb);
    BarrierWords.Arrival first = inA.arrive(inA.mySlot(), 3);
    assertEquals(new BarrierWords.Arrival(BarrierWords.Kind.ARRIVED, 0, 2, false), first);
    long parked = send(bar, pa, Wire.WAIT, first.gen()); // a's thread waited long enough
    waits(pa, parked);
    long viaHub = send(bar, c, Wire.ARRIVE, 0); // no slot: arrives through the hub
    waits(c, viaHub);
    assertEquals(2, inB.waiting());
    BarrierWords.Arrival last = inB.arrive(inB.mySlot(), 3);
    assertEquals(0, last.index());
    assertTrue(inB.decide(last.gen(), true));
    assertTrue(inB.settle(last.gen())); // threads are parked: the hub must be told
    waits(pa, parked); // the words say it is decided; the hub has not been told yet
    waits(c, viaHub);
    answered(pb, send(bar, pb, Wire.SET, 0), Wire.OK, 0);
    answered(pa, parked, Wire.OK, 0);
    answered(c, viaHub, Wire.OK, 1);
    assertEquals(BarrierWords.Outcome.TRIPPED, inA.outcome(first.gen()));
    assertEquals(0, inA.waiting());
    answered(pa, send(bar, pa, Wire.WAIT, first.gen()), Wire.OK, 0); // decided: not parked
  }

  /**
   * F13 with the words: a process that dies with a party counted in the undecided generation breaks
   * it, and one that dies after deciding a generation but before settling it is settled for by the
   * hub, so that nobody parked waits for it.
   */
  @Test
  void aDeadPartyInTheWords_breaksTheBarrier_andADeadDecidersGenerationIsSettled() {
    HubBarrier bar = new HubBarrier(1, 2, false);
    BarrierWords inA = wordsOf(bar, pa);
    BarrierWords inB = wordsOf(bar, pb);
    BarrierWords.Arrival a1 = inA.arrive(inA.mySlot(), 2);
    long parked = send(bar, pb, Wire.WAIT, a1.gen()); // another thread of b, parked before
    bar.peerGone(pa);
    assertEquals(BarrierWords.Outcome.BROKEN, inB.outcome(a1.gen()));
    assertTrue(inB.isBroken());
    answered(pb, parked, Wire.OK, 0);
    assertEquals(BarrierWords.Kind.BROKEN, inB.arrive(inB.mySlot(), 2).kind());

    inB.reset();
    Process pc = new Process(ProcessHandle.current().pid() + 300_000);
    BarrierWords inC = wordsOf(bar, pc);
    BarrierWords.Arrival b1 = inB.arrive(inB.mySlot(), 2);
    long bParked = send(bar, pb, Wire.WAIT, b1.gen());
    BarrierWords.Arrival c1 = inC.arrive(inC.mySlot(), 2);
    assertTrue(inC.decide(c1.gen(), true)); // then c dies before it settles
    bar.peerGone(pc);
    answered(pb, bParked, Wire.OK, 0);
    assertEquals(BarrierWords.Outcome.TRIPPED, inB.outcome(b1.gen()));
    assertFalse(inB.isBroken());
    assertEquals(b1.gen() + 1, inB.arrive(inB.mySlot(), 2).gen()); // settled: the next one
  }

  /**
   * A party that arrives while the last one has decided the generation and not yet settled it
   * settles it itself, and so it is the one that tells the hub to wake who parked.
   */
  @Test
  void anArrivalThatSettlesForTheDecider_saysThatTheHubMustWakeItsParkedThreads() {
    HubBarrier bar = new HubBarrier(1, 2, false);
    BarrierWords inA = wordsOf(bar, pa);
    BarrierWords inB = wordsOf(bar, pb);
    BarrierWords.Arrival a1 = inA.arrive(inA.mySlot(), 2);
    long parked = send(bar, pa, Wire.WAIT, a1.gen());
    BarrierWords.Arrival b1 = inB.arrive(inB.mySlot(), 2);
    assertTrue(inB.decide(b1.gen(), true)); // b has not settled yet when another thread arrives
    BarrierWords.Arrival next = inB.arrive(inB.mySlot(), 2);
    assertEquals(b1.gen() + 1, next.gen());
    assertTrue(next.wake());
    assertFalse(inB.settle(b1.gen())); // the decider's own settle: done already, nothing to say
    waits(pa, parked);
    answered(pb, send(bar, pb, Wire.SET, 0), Wire.OK, 0);
    answered(pa, parked, Wire.OK, 0);
  }

  /** An outcome is kept for the 64 generations after it; a waiter that looks later reads broken. */
  @Test
  void aGenerationsOutcome_isForgotten_after64More() {
    HubBarrier bar = new HubBarrier(1, 1, false);
    BarrierWords w = wordsOf(bar, pa);
    long gen = w.arrive(w.mySlot(), 1).gen();
    w.decide(gen, true);
    w.settle(gen);
    for (int i = 0; i < 63; i++) {
      w.reset();
    }
    assertEquals(BarrierWords.Outcome.TRIPPED, w.outcome(gen));
    w.reset();
    assertEquals(BarrierWords.Outcome.FORGOTTEN, w.outcome(gen));
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
