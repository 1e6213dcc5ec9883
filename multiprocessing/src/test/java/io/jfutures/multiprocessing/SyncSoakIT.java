package io.jfutures.multiprocessing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Several worker processes share a manager's dict, a lock, a semaphore, a barrier and shared
 * values, while random workers are killed with SIGKILL and replaced. Afterwards the counts are
 * exact (or off by at most one per kill, where a kill can land between an operation and its
 * record), nothing hung, no permit is lost, and no process or shared memory block is left.
 */
final class SyncSoakIT {
  private static final int WORKERS = 3;
  private static final int KILLS = 8;
  private static final int SLOTS = WORKERS + KILLS;

  /** Everything the workers share. */
  record Shared(
      ManagedMap<String, Integer> dict,
      ProcessLock lock,
      ProcessSemaphore slots,
      ProcessBarrier barrier,
      SharedLong guarded, // incremented under the lock, with lockedDone
      SharedLong atomic, // incremented without a lock, with atomicDone
      SharedLongArray lockedDone,
      SharedLongArray atomicDone,
      SharedLongArray dictDone,
      SharedLongArray semaphoreDone,
      SharedLong repairs,
      SharedLong barrierTrips,
      SharedLong barrierBroken,
      ProcessEvent stop)
      implements java.io.Serializable {}

  static void work(Shared s, int slot) throws Exception {
    for (long i = 0; !s.stop().isSet(); i++) {
      s.lock().lock();
      try {
        if (s.lock().ownerDied()) {
          // The last holder died between its two writes: make the count whole again.
          long sum = 0;
          for (long d : s.lockedDone().toArray()) {
            sum += d;
          }
          s.guarded().set(sum);
          s.repairs().incrementAndGet();
        }
        s.guarded().set(s.guarded().get() + 1); // not atomic: only the lock keeps it exact
        // A round trip between the two writes: a kill lands between them now and then.
        s.dict().merge("ops", 1, Integer::sum);
        s.dictDone().incrementAndGet(slot);
        s.lockedDone().incrementAndGet(slot);
      } finally {
        s.lock().unlock();
      }
      s.atomic().incrementAndGet();
      s.atomicDone().incrementAndGet(slot);
      if (s.slots().tryAcquire(Duration.ofSeconds(5))) {
        try {
          s.semaphoreDone().incrementAndGet(slot);
        } finally {
          s.slots().release();
        }
      }
      if (i % 50 == 49) {
        try {
          s.barrier().await(Duration.ofSeconds(5));
          s.barrierTrips().incrementAndGet();
        } catch (BrokenBarrierException | TimeoutException e) {
          s.barrierBroken().incrementAndGet(); // a party died, or was replaced meanwhile
        }
      }
    }
  }

  private static long sum(SharedLongArray a) {
    long total = 0;
    for (long v : a.toArray()) {
      total += v;
    }
    return total;
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void killingRandomParticipants_leavesCountsExact_nothingHung_andNothingBehind() throws Exception {
    long started = System.nanoTime();
    try (Manager manager = Manager.start()) {
      Shared s =
          new Shared(
              manager.dict(java.util.Map.of("ops", 0)),
              new ProcessLock(),
              new ProcessSemaphore(2),
              new ProcessBarrier(WORKERS),
              SharedLong.create(0),
              SharedLong.create(0),
              SharedLongArray.create(SLOTS),
              SharedLongArray.create(SLOTS),
              SharedLongArray.create(SLOTS),
              SharedLongArray.create(SLOTS),
              SharedLong.create(0),
              SharedLong.create(0),
              SharedLong.create(0),
              new ProcessEvent());
      List<JvmProcess> running = new ArrayList<>();
      int nextSlot = 0;
      try {
        for (; nextSlot < WORKERS; nextSlot++) {
          int slot = nextSlot;
          running.add(new JvmProcess(() -> work(s, slot)).start());
        }
        for (int kill = 0; kill < KILLS; kill++) {
          // Let the survivors get on a while: until 300 more locked increments.
          long target = s.guarded().get() + 300;
          await().atMost(Duration.ofSeconds(60)).until(() -> s.guarded().get() >= target);
          JvmProcess victim = running.remove(ThreadLocalRandom.current().nextInt(running.size()));
          ChildProcesses.kill9(victim);
          s.barrier().reset(); // its place at the barrier goes to its replacement
          int slot = nextSlot++;
          running.add(new JvmProcess(() -> work(s, slot)).start());
        }
        long target = s.guarded().get() + 300;
        await().atMost(Duration.ofSeconds(60)).until(() -> s.guarded().get() >= target);
      } finally {
        s.stop().set();
        s.barrier().abort(); // nobody waits out a barrier's timeout at the end
        List<JvmProcess> hung = new ArrayList<>();
        for (JvmProcess p : running) {
          if (!p.join(ChildProcesses.LONG)) {
            hung.add(p);
            ChildProcesses.kill9(p); // so that no later test meets it
          }
        }
        assertEquals(List.of(), hung, "workers that did not stop: something hung");
        for (JvmProcess p : running) {
          assertEquals(0, p.exitCode().orElseThrow(), p + " failed");
        }
      }

      long locked = sum(s.lockedDone());
      long atomic = sum(s.atomicDone());
      long dict = sum(s.dictDone());
      // Under the lock both writes happen, or the next holder repairs the count: exact.
      assertEquals(locked, s.guarded().get(), "the lock-guarded count");
      // A kill may land between an operation and its record: at most one per kill.
      assertTrue(s.atomic().get() - atomic >= 0 && s.atomic().get() - atomic <= KILLS);
      long ops = s.dict().get("ops");
      assertTrue(ops - dict >= 0 && ops - dict <= KILLS, "dict " + ops + " vs " + dict);
      assertEquals(2, s.slots().availablePermits(), "a dead holder's permits came back");
      assertTrue(!s.lock().isLocked(), "the lock is free at the end");
      assertTrue(s.repairs().get() <= KILLS);
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.printf(
          "soak: %d kills in %.1f s; %,d locked increments (%d repairs after a holder died),"
              + " %,d atomic, %,d dict merges, %,d semaphore passes, %d barrier trips, %d"
              + " broken waits%n",
          KILLS,
          seconds,
          locked,
          s.repairs().get(),
          atomic,
          dict,
          sum(s.semaphoreDone()),
          s.barrierTrips().get(),
          s.barrierBroken().get());
      for (SharedSlots block :
          List.of(s.lockedDone(), s.atomicDone(), s.dictDone(), s.semaphoreDone())) {
        block.unlink();
      }
      for (SharedLong value :
          List.of(s.guarded(), s.atomic(), s.repairs(), s.barrierTrips(), s.barrierBroken())) {
        value.unlink();
      }
    }
    ChildProcesses.awaitNone();
  }
}
