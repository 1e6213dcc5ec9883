package io.jfutures.multiprocessing;

import io.jfutures.multiprocessing.internal.hub.AdaptiveSpin;
import io.jfutures.multiprocessing.internal.hub.EventWord;
import io.jfutures.multiprocessing.internal.hub.LockWords;
import io.jfutures.multiprocessing.internal.hub.SyncBackend;
import java.time.Duration;

/**
 * An event shared by processes: Python's {@code multiprocessing.Event}, a flag that processes wait
 * for. {@link #set()} wakes every waiter without waiting for any of them (Python's fault F12), and
 * a waiter whose process dies is forgotten.
 *
 * <pre>{@code
 * ProcessEvent go = new ProcessEvent();
 * new JvmProcess(() -> { go.await(); work(); }).start();
 * go.set();
 * }</pre>
 *
 * <p>Python's {@code wait()} is {@link #await()}: {@code Object.wait()} is final in Java.
 *
 * <p><b>Cost.</b> The flag is a word in shared memory: {@link #set()}, {@link #clear()} and {@link
 * #isSet()} send no message unless threads are parked waiting, and a waiter watches the word (on a
 * machine with more than one CPU) before it parks at the hub of the JVM that created the event: for
 * about twice as long as its handle's recent waits took when they ended while watching, for less
 * after waits that parked ({@link AdaptiveSpin}). So a set that a waiter is about to see costs no
 * wake-up through the kernel, and a waiter for a set that comes rarely soon stops spending a CPU.
 * After eight waits in a row that parked, one watches for 3 ms: two processes that set events for
 * each other in turn would otherwise both stay parked for good once one of them was late (each
 * round a wake-up through the hub on each side, 117-133 us against 1 us on a 2-vCPU guest). A
 * process that reaches that hub over TCP does everything through it.
 */
public final class ProcessEvent extends SyncHandle {
  private static final long serialVersionUID = 1L;

  /** How long this handle's waiters watch the word before they park; made on first use. */
  private transient volatile AdaptiveSpin spin;

  /** Creates an event, not set, in this JVM's hub. */
  public ProcessEvent() {
    super(SyncBackend::newEvent);
  }

  /** A handle to event {@code id} of {@code hub}, which a manager created there. */
  ProcessEvent(io.jfutures.multiprocessing.internal.hub.HubRef hub, long id) {
    super(hub, id);
  }

  /** Sets the flag, and wakes every waiter. */
  public void set() {
    LockWords.Word w = word();
    if (w == null) {
      callNow(SyncBackend.SET, 0);
    } else if (EventWord.set(w)) {
      callNow(SyncBackend.SET, 1); // threads are parked at the hub: it wakes them
    }
  }

  /** Clears the flag. */
  public void clear() {
    LockWords.Word w = word();
    if (w == null) {
      callNow(SyncBackend.CLEAR, 0);
    } else {
      EventWord.clear(w);
    }
  }

  /**
   * Whether the flag is set.
   *
   * @return whether the flag is set
   */
  public boolean isSet() {
    LockWords.Word w = word();
    return w == null ? callNow(SyncBackend.IS_SET, 0).value() == 1 : EventWord.isSet(w.get());
  }

  /**
   * Waits until the flag is set.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  public void await() throws InterruptedException {
    awaitNanos(-1);
  }

  /**
   * Waits at most {@code timeout} until the flag is set: Python's {@code wait(timeout)}.
   *
   * @param timeout how long to wait at most
   * @return whether it is set
   * @throws InterruptedException if interrupted while waiting
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  public boolean await(Duration timeout) throws InterruptedException {
    return awaitNanos(nanos(timeout));
  }

  /** This handle's spin: for tests. */
  AdaptiveSpin spin() {
    AdaptiveSpin s = spin;
    if (s == null) {
      s = AdaptiveSpin.probing(); // two threads may each make one: either will do
      spin = s;
    }
    return s;
  }

  /** Waits at most {@code nanos} (negative: however long); returns whether the flag is set. */
  private boolean awaitNanos(long nanos) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    LockWords.Word w = word();
    if (w != null) {
      long start = System.nanoTime();
      AdaptiveSpin spin = spin();
      long budget = spin.budget(nanos);
      if (EventWord.spinUntilSet(w, budget)) {
        spin.ended(System.nanoTime() - start);
        return true;
      }
      if (budget > 0 && !Thread.currentThread().isInterrupted()) {
        spin.parked();
      }
      if (nanos >= 0) {
        nanos = Math.max(0, nanos - (System.nanoTime() - start));
      }
    }
    return call(SyncBackend.WAIT, 0, nanos).ok();
  }
}
