package io.jfutures.multiprocessing;

import io.jfutures.api.SerializableRunnable;
import io.jfutures.multiprocessing.internal.hub.AdaptiveSpin;
import io.jfutures.multiprocessing.internal.hub.BarrierWords;
import io.jfutures.multiprocessing.internal.hub.SyncBackend;
import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeoutException;

/**
 * A barrier shared by processes: Python's {@code multiprocessing.Barrier}, with the behaviour of
 * {@link java.util.concurrent.CyclicBarrier}. When {@code parties} threads, in any processes, have
 * called {@link #await()}, the last to arrive runs the action (if any), and all go on; then it
 * starts over.
 *
 * <pre>{@code
 * ProcessBarrier start = new ProcessBarrier(3);
 * for (int i = 0; i < 3; i++) {
 *   new JvmProcess(() -> { start.await(); race(); }).start();
 * }
 * }</pre>
 *
 * <p>It breaks, and every waiter gets {@link BrokenBarrierException}, when a waiter times out or is
 * interrupted, when the action throws, on {@link #abort()}, and <b>when the process of a waiting
 * party dies</b> (Python's fault F13: the others wait for ever, or for their timeout). A broken
 * barrier stays broken until {@link #reset()}.
 *
 * <p><b>Cost.</b> The barrier's state is in shared memory: parties arrive, and the last releases
 * the others, with no message to anyone; a waiter watches for its generation's end (on a machine
 * with more than one CPU, letting other threads run often) before it waits at the hub of the JVM
 * that created the barrier, and only then does the end cost a message. How long it watches, from 20
 * microseconds to 3 milliseconds (1 at first), each handle learns from its own recent waits:
 * parties that meet often stop paying the hub's wake-ups, and parties with work between meetings
 * leave the CPUs to it. A process that reaches that hub over TCP, or one past the 56 processes a
 * barrier has room for, arrives through the hub. A waiter that learns of its generation's end only
 * after 64 more have ended (other threads tripping it meanwhile, or resets) gets {@link
 * BrokenBarrierException}.
 */
public final class ProcessBarrier extends SyncHandle {
  private static final long serialVersionUID = 1L;

  /** How many parties trip the barrier. */
  private final int parties;

  /** This machine's CPUs: a barrier with more parties is crowded ({@link #awaitDecided}). */
  private static final int CPUS = Runtime.getRuntime().availableProcessors();

  /** How long a waiter here watches the words before it parks at the hub: see {@link #spin()}. */
  private transient volatile AdaptiveSpin spin;

  /** What the last party to arrive runs, or null. */
  private final SerializableRunnable action;

  /**
   * Creates a barrier for {@code parties} parties in this JVM's hub.
   *
   * @param parties the number of parties, at least 1
   * @throws IllegalArgumentException if {@code parties} is less than 1, or more than 16,777,215
   */
  public ProcessBarrier(int parties) {
    this(parties, null);
  }

  /**
   * Creates a barrier for {@code parties} parties whose last arrival runs {@code action} (in its
   * own process) before the others go on.
   *
   * @param parties the number of parties, at least 1
   * @param action what the last party to arrive runs, in its own process, before the others go on;
   *     or null
   * @throws IllegalArgumentException if {@code parties} is less than 1, or more than 16,777,215
   */
  public ProcessBarrier(int parties, SerializableRunnable action) {
    super(() -> SyncBackend.newBarrier(checked(parties), action != null));
    this.parties = parties;
    this.action = action;
  }

  /** A handle to barrier {@code id} of {@code hub}, which a manager created there. */
  ProcessBarrier(
      io.jfutures.multiprocessing.internal.hub.HubRef hub,
      long id,
      int parties,
      SerializableRunnable action) {
    super(hub, id);
    this.parties = parties;
    this.action = action;
  }

  static int checked(int parties) {
    if (parties < 1) {
      throw new IllegalArgumentException("a barrier needs at least 1 party, not " + parties);
    }
    if (parties > BarrierWords.MAX_PARTIES) {
      throw new IllegalArgumentException(
          "a barrier counts at most " + BarrierWords.MAX_PARTIES + " parties, not " + parties);
    }
    return parties;
  }

  /**
   * Waits until every party has arrived.
   *
   * @return the arrival index: {@code parties - 1} for the first, 0 for the last
   * @throws BrokenBarrierException if the barrier is or becomes broken while waiting
   * @throws InterruptedException if interrupted while waiting; the barrier breaks for the others
   */
  public int await() throws InterruptedException, BrokenBarrierException {
    try {
      return arrive(-1);
    } catch (TimeoutException e) {
      throw new IllegalStateException("cannot be: no timeout", e);
    }
  }

  /**
   * Waits at most {@code timeout} until every party has arrived.
   *
   * @param timeout how long to wait at most
   * @return the arrival index: {@code parties - 1} for the first, 0 for the last
   * @throws TimeoutException if the time ran out; the barrier breaks for the others
   * @throws BrokenBarrierException if the barrier is or becomes broken while waiting
   * @throws InterruptedException if interrupted while waiting; the barrier breaks for the others
   */
  public int await(Duration timeout)
      throws InterruptedException, BrokenBarrierException, TimeoutException {
    return arrive(nanos(timeout));
  }

  private int arrive(long nanos)
      throws InterruptedException, BrokenBarrierException, TimeoutException {
    BarrierWords w = words();
    if (w == null) {
      return arriveAtHub(nanos);
    }
    if (Thread.interrupted()) {
      wake(w.abort()); // as CyclicBarrier: an interrupted party breaks it
      throw new InterruptedException();
    }
    long start = System.nanoTime();
    while (true) {
      BarrierWords.Arrival a = w.arrive(w.mySlot(), parties);
      wake(a.wake());
      switch (a.kind()) {
        case BROKEN:
          throw new BrokenBarrierException();
        case FULL:
          awaitDecided(w, a.gen(), start, nanos); // then arrive in the next generation
          continue;
        default:
          if (a.index() == 0) {
            return last(w, a.gen());
          }
          if (awaitDecided(w, a.gen(), start, nanos) != BarrierWords.Outcome.TRIPPED) {
            throw new BrokenBarrierException();
          }
          return a.index();
      }
    }
  }

  /** The last party of generation {@code gen}: runs the action, and trips the barrier. */
  private int last(BarrierWords w, long gen) throws BrokenBarrierException {
    if (action != null) {
      try {
        action.run();
      } catch (RuntimeException | Error e) {
        w.decide(gen, false); // the others get BrokenBarrierException
        wake(w.settle(gen));
        throw e;
      }
    }
    boolean tripped = w.decide(gen, true);
    wake(w.settle(gen));
    if (!tripped) {
      throw new BrokenBarrierException(); // broken while the action ran
    }
    return 0;
  }

  /**
   * Waits until generation {@code gen} is decided, and returns how: watches it, then waits at the
   * hub. A wait that times out or is interrupted breaks the generation, unless it was decided
   * first: then an interrupt stays set, and the outcome is returned.
   */
  private BarrierWords.Outcome awaitDecided(BarrierWords w, long gen, long start, long nanos)
      throws InterruptedException, TimeoutException {
    AdaptiveSpin spin = spin();
    long watchStart = System.nanoTime();
    long limit = nanos < 0 ? -1 : Math.max(0, nanos - (watchStart - start));
    BarrierWords.Outcome o = w.spinUntilDecided(gen, spin.budget(limit), parties > CPUS);
    if (o == BarrierWords.Outcome.UNDECIDED) {
      spin.parked();
    } else {
      spin.ended(System.nanoTime() - watchStart);
    }
    boolean interrupted = false;
    while (o == BarrierWords.Outcome.UNDECIDED) {
      long left = nanos < 0 ? -1 : nanos - (System.nanoTime() - start);
      if (Thread.interrupted()) {
        interrupted = true;
      } else if (nanos < 0 || left > 0) {
        try {
          call(SyncBackend.WAIT, gen, left); // OK once decided; CANCELLED at the timeout
          o = w.outcome(gen);
          continue;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      // Stopped waiting: break the generation, unless it was decided meanwhile.
      if (w.decide(gen, false)) {
        wake(w.settle(gen));
        if (interrupted) {
          throw new InterruptedException();
        }
        throw new TimeoutException(
            "not every party arrived within the timeout; the barrier is broken");
      }
      o = w.outcome(gen);
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return o;
  }

  /** This handle's watch, made on first use (a deserialized handle has none). */
  private AdaptiveSpin spin() {
    AdaptiveSpin s = spin;
    if (s == null) {
      s = new AdaptiveSpin();
      spin = s;
    }
    return s;
  }

  /** Tells the hub to wake its parked threads, if a settle found any. */
  private void wake(boolean parked) {
    if (parked) {
      backend().post(SyncBackend.SET, id, 0, null);
    }
  }

  /** The barrier's words in shared memory, or null if this process arrives through the hub. */
  private BarrierWords words() {
    return shared();
  }

  @Override
  Object fetchShared(SyncBackend backend) {
    return backend.barrierWords(id);
  }

  /** Arrives through the hub: for a process that cannot map the barrier's words. */
  private int arriveAtHub(long nanos)
      throws InterruptedException, BrokenBarrierException, TimeoutException {
    SyncBackend.Reply r = call(SyncBackend.ARRIVE, 0, nanos);
    if (r.op() == SyncBackend.RUN_ACTION) {
      try {
        action.run();
      } catch (RuntimeException | Error e) {
        callNow(SyncBackend.ACTION_DONE, 0); // the others get BrokenBarrierException
        throw e;
      }
      r = callNow(SyncBackend.ACTION_DONE, 1);
    }
    if (r.op() == SyncBackend.OK) {
      return (int) r.value();
    }
    if (r.op() == SyncBackend.CANCELLED) {
      throw new TimeoutException(
          "not every party arrived within the timeout; the barrier is broken");
    }
    throw new BrokenBarrierException();
  }

  /** Breaks the barrier: every waiter, and every later arrival until {@link #reset()}, fails. */
  public void abort() {
    BarrierWords w = words();
    if (w == null) {
      callNow(SyncBackend.ABORT, 0);
    } else {
      wake(w.abort());
    }
  }

  /** Breaks the barrier for its waiters, then makes it whole again, with nobody waiting. */
  public void reset() {
    BarrierWords w = words();
    if (w == null) {
      callNow(SyncBackend.RESET, 0);
    } else {
      wake(w.reset());
    }
  }

  /**
   * Whether the barrier is broken.
   *
   * @return whether the barrier is broken
   */
  public boolean isBroken() {
    BarrierWords w = words();
    return w == null ? callNow(SyncBackend.WAITING, 0).value() < 0 : w.isBroken();
  }

  /**
   * Returns how many parties are waiting now: Python's {@code n_waiting}.
   *
   * @return the number of parties waiting now
   */
  public int getNumberWaiting() {
    BarrierWords w = words();
    return w == null ? (int) Math.max(0, callNow(SyncBackend.WAITING, 0).value()) : w.waiting();
  }

  /**
   * Returns how many parties trip it: Python's {@code parties}.
   *
   * @return the number of parties
   */
  public int getParties() {
    return parties;
  }
}
