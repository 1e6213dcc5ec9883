package io.jfutures.multiprocessing.internal.hub;

import java.util.ArrayDeque;
import java.util.function.Consumer;
import java.util.stream.LongStream;

/**
 * The items of one queue that its hub leased to this process ahead of its gets ({@link HubQueue}'s
 * leases): held in order until a get claims one, or a recall gives them back. They still count in
 * the queue until claimed, and go back to it if this process dies.
 *
 * <pre>
 * States: INACTIVE (no window asked for, or recalled) -> ACTIVE (a get found none held and asked
 *         for a window: from this process's second get of the queue on) -> INACTIVE (the hub
 *         recalled them: a getter elsewhere found nothing).
 * </pre>
 *
 * <p>A process's first get asks for its item alone. A process that takes one item (a crew's go
 * token, a task's argument) would otherwise have had the rest leased to it, and every other
 * consumer waited for their recall, a round trip through a JVM that may be starting or exiting:
 * G1's fourth child waited 9-28 ms on JDK 17 and 40-80 on JDK 25, where a consumer's first lease
 * also maps its claim word on its reader thread (the JVM's first map, 20-28 ms).
 *
 * <p>Items may arrive in either state (leased before the recall arrived); a get takes them all the
 * same. The recall and the request for a window are sent holding this object's lock, so that the
 * hub sees them in the order they happened here; each request names the recalls seen, so that the
 * hub ignores one that crossed a recall. Thread-safe: guarded by this.
 *
 * <p>A get claims the item it takes: with a CLAIM frame, or, once the hub gave this process a claim
 * word in shared memory, by storing the item's lease there as it takes it, under this lock, so that
 * the word only grows and says exactly which items a get took (the hub reads it, even after this
 * process died). Leases to one process grow, and gets take them oldest first.
 *
 * <p>The window asked for covers about {@value #AHEAD_NANOS} ns of this process's own work: the
 * time between a get's return and the next get, smoothed over its gets. A consumer of small items
 * holds {@value #WINDOW}, so that it rarely waits a round trip; one whose items take milliseconds
 * each holds {@value #MIN_WINDOW}, so that it never sits on seconds of work while another consumer
 * idles, or stops at its sentinel (Python's consumers race for each item). When the estimate moves
 * by half or double, the window is asked for again.
 */
final class Leases {
  /** The most items a consumer process asks to hold ahead of its gets. */
  static final int WINDOW = 256;

  /**
   * About how long a window of items lasts this process at the rate it takes them: far longer than
   * a top-up takes (a round trip through the hub, a few milliseconds while every CPU is busy), and
   * short beside what a consumer left idle would notice.
   */
  static final long AHEAD_NANOS = 100_000_000;

  /**
   * The fewest items a process asks to hold: one to take while the hub tops up the other, whose
   * take said so ({@link Held#tellNow}).
   */
  static final int MIN_WINDOW = 2;

  /**
   * A leased item: its lease number and its bytes; once a get took it, whether the take is to be
   * told to the hub in a frame at once ({@link #poll}).
   */
  record Held(long lease, byte[] item, boolean tellNow) {}

  private final ArrayDeque<Held> held = new ArrayDeque<>();

  /** How long a get that finds none held watches the lease lane before it asks the hub. */
  final AdaptiveSpin watch = AdaptiveSpin.probing();

  private boolean active;
  private long recalls;
  private volatile LockWords.Word claims; // set once its word is mapped: takes before, in frames
  private LockWords.Word dones; // a joinable queue's: set once, with claims
  private volatile LockWords.Word full; // a pipe direction's: set once, before claims
  private long lazyDones; // taskDone calls counted in dones
  private long undone; // items this process's gets took and its taskDone calls did not mark
  private boolean firstAsked; // a get of this process asked the hub for its item already
  private LeaseRequest ask; // how the window was asked for, while active
  private int asked; // the window asked for, while active
  private long resizeBelow; // the work estimate under which the window asked for would double
  private long resizeAbove; // the work estimate over which it would halve
  private long tookAt; // System.nanoTime() when a get last returned an item; 0: none since
  private long workNanos = -1; // the time between a get's return and the next, smoothed; -1: none

  /** Whether no leased item is held here: closing the connection then gives none back. */
  synchronized boolean holdsNone() {
    return held.isEmpty();
  }

  /**
   * Takes the oldest item held, or returns null, for a get that began at {@code now} ({@code
   * System.nanoTime()}): counts it as taken (for {@link #done}), and claims it in the claim word,
   * if there is one. Asks for the window again if the work between gets has moved enough to change
   * it.
   */
  synchronized Held poll(long now) {
    if (tookAt != 0) {
      noteWork(now - tookAt);
      tookAt = 0;
      if (active && (workNanos < resizeBelow || workNanos > resizeAbove)) {
        askFor(window());
      }
    }
    Held h = held.poll();
    if (h != null) {
      tookAt = now;
      undone++;
      LockWords.Word word = claims;
      if (word != null) {
        word.set(h.lease());
      }
      // In a frame too: without a claim word (a TCP client, or its word not yet mapped); while the
      // full word says a sender waits for the room this take made (read after the claim is
      // stored: the hub raises the word before it reads the claims again, so one of the two sees
      // the other); or when half a short window is taken (a claim in the word is read at the
      // hub's next operation on the queue, which may not come before this process runs dry, its
      // producers done: told now, the hub tops the window up while this process works on what it
      // holds; its items take long enough that a frame is little beside them, and a full window
      // lasts the round trip of a get that finds it empty).
      LockWords.Word fullWord = full;
      if (word == null
          || (fullWord != null && fullWord.get() != 0)
          || (active && asked < WINDOW && held.size() == asked / 2)) {
        h = new Held(h.lease(), h.item(), true);
      }
    }
    return h;
  }

  /**
   * Adds {@code sample} to the smoothed work between gets: an eighth of the way, and at most eight
   * times the estimate, so that one pause (a collection, a page fault) moves it little.
   */
  private void noteWork(long sample) {
    if (workNanos < 0) {
      workNanos = sample;
    } else {
      workNanos += (Math.min(sample, 8 * workNanos + 1_000) - workNanos) / 8;
    }
  }

  /** The window that lasts about {@link #AHEAD_NANOS} at the work estimated between gets. */
  int window() {
    if (workNanos <= 0) {
      return WINDOW;
    }
    return (int) Math.max(MIN_WINDOW, Math.min(WINDOW, AHEAD_NANOS / workNanos));
  }

  /**
   * Asks for {@code window}, and notes the work estimates at which it would be half or double it:
   * the window is asked for again only then, and each get compares, without dividing.
   */
  private void askFor(int window) {
    asked = window;
    resizeBelow = window == WINDOW ? Long.MIN_VALUE : AHEAD_NANOS / (2L * window);
    resizeAbove = window == MIN_WINDOW ? Long.MAX_VALUE : 2 * AHEAD_NANOS / window;
    ask.send(recalls, window);
  }

  /**
   * The hub's claim word for this process's gets: the items leased from now on are claimed there.
   */
  synchronized void claimIn(LockWords.Word word) {
    claims = word;
  }

  /** The hub's done word for this process's taskDone calls (a joinable queue). */
  synchronized void doneIn(LockWords.Word word) {
    dones = word;
  }

  /** How a taskDone reaches the hub. */
  enum Done {
    /** This process took no item it has not marked done: refused. */
    TOO_MANY,
    /** Counted in the done word: the hub reads it at its next operation on the queue. */
    IN_WORD,
    /** To be sent as a TASK_DONE frame, after this returns. */
    BY_FRAME
  }

  /** A get of this process took an item of the queue that was sent as its reply, at {@code now}. */
  synchronized void took(long now) {
    undone++;
    tookAt = now;
  }

  /**
   * Marks the oldest item this process took and has not marked as done, and counts it in the done
   * word if there is one and this process still holds items of the queue (leased, or taken and not
   * done). Then the queue's unfinished count cannot reach 0 by this call, so nobody waits to hear
   * of it at once; the hub reads the word at its next operation on the queue, which this process's
   * last taskDone (a frame), a give-back or its end will be. Both under this lock, so that a
   * taskDone sent as a frame comes after every one counted in the word before it.
   */
  synchronized Done done() {
    if (undone == 0) {
      return Done.TOO_MANY;
    }
    undone--;
    if (dones == null || (held.isEmpty() && undone == 0)) {
      return Done.BY_FRAME;
    }
    dones.set(++lazyDones);
    return Done.IN_WORD;
  }

  /**
   * Notes a get that found none held and asks the hub for its item; returns whether it asks for the
   * window too: every such get but this process's first.
   */
  synchronized boolean askingForItem() {
    boolean window = firstAsked;
    firstAsked = true;
    return window;
  }

  /** The hub's full word for a pipe direction's leases. */
  synchronized void fullIn(LockWords.Word word) {
    full = word;
  }

  /** Whether an item is held, for a get to take. */
  synchronized boolean holdsAny() {
    return !held.isEmpty();
  }

  /** Whether a window was asked for since the last recall: the hub may lease items here. */
  synchronized boolean active() {
    return active;
  }

  /** An item the hub leased to this process. */
  synchronized void add(long lease, byte[] item) {
    held.add(new Held(lease, item, false));
  }

  /**
   * Asks for the window, through {@code ask} (given the recalls seen), unless it was asked for
   * since the last recall.
   */
  synchronized void activate(LeaseRequest ask) {
    if (!active) {
      active = true;
      this.ask = ask;
      askFor(window());
    }
  }

  /**
   * The hub's recall, its {@code generation}-th: gives back, through {@code giveBack}, the leases
   * of the items held, oldest first, and asks for no more until a get finds none held.
   */
  synchronized void recall(long generation, Consumer<long[]> giveBack) {
    recalls = generation;
    active = false;
    ask = null;
    if (!held.isEmpty() || claims != null) {
      // Even with none held: the hub then reads the claim word, and knows that none are left.
      long[] back = new long[held.size()]; // a loop: a stream would cost a cold JVM milliseconds
      int i = 0;
      for (Held h : held) {
        back[i++] = h.lease();
      }
      giveBack.accept(back);
      held.clear();
    }
  }

  /**
   * The item of {@code lease} arrived, and this process has no heap for it: ends the window through
   * {@code endWindow}, and gives back, through {@code giveBack}, the items held and that one,
   * oldest first.
   */
  synchronized void refuse(long lease, LeaseRequest endWindow, Consumer<long[]> giveBack) {
    active = false;
    ask = null;
    endWindow.send(recalls, 0);
    long[] back =
        LongStream.concat(held.stream().mapToLong(Held::lease), LongStream.of(lease)).toArray();
    held.clear();
    giveBack.accept(back);
  }

  /** How a window is asked for. */
  interface LeaseRequest {
    void send(long recallsSeen, int window);
  }
}
