package io.jfutures.hazelcast;

import com.hazelcast.core.HazelcastException;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * A joinable queue shared by every member and client of a cluster, as {@code
 * multiprocessing.JoinableQueue} across machines: {@link #put}, {@link #get(Duration)}, {@link
 * #taskDone()} and {@link #join(Duration)}, which returns once every item put has been taken and
 * marked done.
 *
 * <p><b>A consumer that dies.</b> Python's {@code join()} waits for ever for an item whose consumer
 * died before {@code task_done()}. Here each item stays in the queue's map, marked with its
 * consumer's presence, until it is marked done. A consumer thread's presence is a per-key lock of
 * the map {@value ClusterObjects#LOCKS}, taken by its first {@code get}, which Hazelcast releases
 * when its member leaves, and whose key names its member or client (a client is gone once its
 * {@link ClientLease lease} lapsed, {@value ClientLease#LEASE_SECONDS} s after it died). A {@code
 * get} that finds no waiting item takes an item whose consumer's presence is gone, in its place in
 * the queue: it is done once, or taken again, never forgotten.
 *
 * <p><b>A member that dies.</b> Every step is one compare-and-set on one map entry (a
 * single-partition operation, copied to a synchronous backup before it returns), never a
 * transaction over several structures, and every step is safe to repeat: an item's slot carries the
 * identity of its put through every state, so a step whose answer a member's death cut off is
 * looked up and repeated, never done twice. So one member's death loses no item, duplicates none,
 * and hides none: {@code put}, {@code get} and {@code taskDone} go on once Hazelcast has promoted
 * the backups (they give up with Hazelcast's exception after {@value #RETRY_SECONDS} s of failed
 * tries).
 *
 * <pre>
 * State (an IMap of slots, and two numbers of jfutures.values):
 *   tail: the next sequence number a put takes; head: every slot below it is finished.
 *   slot n, for head &lt;= n &lt; tail: empty (its put is under way, or died), or a JoinableRecord:
 *     WAITING -> TAKEN(presence) -> DONE, TAKEN(dead presence) -> TAKEN(another), empty -> HOLE.
 * Invariants: a put's item is in exactly one slot; unfinished = the WAITING and TAKEN slots;
 *   head moves only over DONE and HOLE slots, which never change again (a HOLE lives
 *   {@value #HOLE_TTL_MINUTES} minutes, far past any put still trying its number).
 * Per thread: its presence, and the slots it took and has not marked done, oldest first.
 * </pre>
 *
 * <p>A {@code get} scans from the head, so items are taken in the order their puts took their
 * numbers, and an item taken back from a dead consumer keeps its place. A waiting {@code get} or
 * {@code join} looks again with a growing pause (1 ms doubling to 50 ms). A slot left empty for
 * {@value #HOLE_GRACE_SECONDS} s (its producer died between taking a number and writing the item)
 * is marked a hole, so that the put, should it come after all, takes another number. Thread-safe.
 */
public final class ClusterJoinableQueue<E> {
  static final int RETRY_SECONDS = 30;
  static final int HOLE_GRACE_SECONDS = 5;
  static final int HOLE_TTL_MINUTES = 10;
  private static final long MAX_PAUSE_NANOS = 50_000_000;
  private static final int FIRST_WINDOW = 8;
  private static final int MAX_WINDOW = 512;

  private final String name;
  private final IMap<Long, byte[]> slots;
  private final ClusterLong head;
  private final ClusterLong tail;
  private final IMap<String, String> locks;
  private final ItemCodec codec;
  private final Owners owners;
  private final ThreadLocal<Consumer> consumer = new ThreadLocal<>();
  // Empty slots this handle saw, with when it first did: a hole once empty for the grace.
  private final ConcurrentSkipListMap<Long, Long> emptySince = new ConcurrentSkipListMap<>();

  /** A slot taken, and its record as read or written. */
  private static final class Taken {
    final long seq;
    final JoinableRecord record;

    Taken(long seq, JoinableRecord record) {
      this.seq = seq;
      this.record = record;
    }
  }

  /** A consumer thread's presence and what it has taken and not marked done, oldest first. */
  private static final class Consumer {
    final String presence;
    final ArrayDeque<Taken> taken = new ArrayDeque<>();

    Consumer(String presence) {
      this.presence = presence;
    }

    boolean holds(long seq) {
      for (Taken t : taken) {
        if (t.seq == seq) {
          return true;
        }
      }
      return false;
    }
  }

  ClusterJoinableQueue(
      HazelcastInstance hz,
      IMap<String, String> locks,
      IMap<String, Long> values,
      String name,
      ItemCodec codec,
      Owners owners) {
    this.name = name;
    this.slots = hz.getMap("jfutures.joinable." + name);
    this.head = new ClusterLong(values, "joinable-head:" + name);
    this.tail = new ClusterLong(values, "joinable-tail:" + name);
    this.locks = locks;
    this.codec = codec;
    this.owners = owners;
  }

  /**
   * Puts an item; it counts as unfinished until a consumer marks it done.
   *
   * @param item the item, serializable and not null
   */
  public void put(E item) {
    JoinableRecord mine = JoinableRecord.waiting(codec.encode(item));
    while (true) {
      long seq = retrying(() -> tail.addAndGet(1)) - 1;
      boolean[] repeated = {false};
      JoinableRecord prior =
          JoinableRecord.of(
              retrying(() -> slots.putIfAbsent(seq, mine.bytes()), () -> repeated[0] = true));
      if (prior == null) {
        if (repeated[0] && seq < head.get()) {
          // A first try did land, and its item was taken, done and passed by the head before this
          // repeat wrote it again below the head, where no one looks: it was delivered; unwrite.
          slots.remove(seq, mine.bytes());
        }
        return;
      }
      if (prior.samePut(mine)) {
        return; // a try whose answer was lost did land
      }
      // A scanner took this number for a hole while this put was slow: take another.
    }
  }

  /**
   * Takes the next item, waiting up to {@code timeout}; the caller marks it done with {@link
   * #taskDone()} once it has handled it.
   *
   * @param timeout how long to wait at most
   * @return the item, or null if none came in time
   * @throws InterruptedException if interrupted while waiting
   */
  public E get(Duration timeout) throws InterruptedException {
    Consumer me = consumer();
    long deadline = System.nanoTime() + timeout.toNanos();
    long pause = 1_000_000;
    while (true) {
      JoinableRecord got = takeOne(me);
      if (got != null) {
        return codec.decode(got.item());
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      LockSupport.parkNanos(Math.min(pause, left));
      if (Thread.interrupted()) {
        throw new InterruptedException("while waiting on cluster joinable queue " + name);
      }
      pause = Math.min(2 * pause, MAX_PAUSE_NANOS);
    }
  }

  /**
   * Takes the first waiting item from the head, or else the first item whose consumer is gone;
   * returns its slot, now taken by {@code me}, or null.
   */
  private JoinableRecord takeOne(Consumer me) {
    long from = retrying(head::get);
    long end = retrying(tail::get);
    List<Taken> others = new ArrayList<>(); // taken by other consumers, maybe gone
    // The finished slots from the head on, until the first that is not: the head moves past them.
    List<JoinableRecord> finished = new ArrayList<>();
    boolean prefix = true;
    int window = FIRST_WINDOW;
    for (long start = from;
        start < end;
        start += window, window = Math.min(2 * window, MAX_WINDOW)) {
      List<JoinableRecord> records = read(start, Math.min(end, start + window));
      for (int i = 0; i < records.size(); i++) {
        long seq = start + i;
        JoinableRecord r = records.get(i);
        if (prefix) {
          if (r != null && r.isFinished()) {
            finished.add(r);
            continue;
          }
          prefix = false;
          advanceHead(from, finished);
        }
        if (r == null) {
          markIfHole(seq);
        } else if (r.state() == JoinableRecord.WAITING) {
          JoinableRecord taken = r.takenBy(me.presence);
          if (claim(seq, r, taken)) {
            me.taken.add(new Taken(seq, taken));
            return taken;
          }
        } else if (r.state() == JoinableRecord.TAKEN) {
          if (r.presence().equals(me.presence)) {
            if (!me.holds(seq)) {
              me.taken.add(new Taken(seq, r)); // a claim of this thread whose answer was lost
              return r;
            }
          } else {
            others.add(new Taken(seq, r));
          }
        }
      }
    }
    if (prefix) {
      advanceHead(from, finished);
    }
    try {
      return takeFromTheGone(me, others);
    } catch (HazelcastException e) {
      return null; // a member died under the look: the next one tries again
    }
  }

  /** Takes the first of these slots whose consumer is gone, or returns null. */
  private JoinableRecord takeFromTheGone(Consumer me, List<Taken> others) {
    Map<String, Boolean> verdicts = new HashMap<>();
    for (Taken other : others) {
      if (verdicts.computeIfAbsent(other.record.presence(), this::isGone)) {
        JoinableRecord taken = other.record.takenBy(me.presence);
        if (claim(other.seq, other.record, taken)) {
          me.taken.add(new Taken(other.seq, taken));
          return taken;
        }
      }
    }
    return null;
  }

  /**
   * Moves the head from {@code from} past the {@code finished} slots that follow it, if no one
   * moved it meanwhile, and removes the DONE slots it passed.
   */
  private void advanceHead(long from, List<JoinableRecord> finished) {
    if (finished.isEmpty()) {
      return;
    }
    long to = from + finished.size();
    try {
      if (!head.compareAndSet(from, to)) {
        return;
      }
    } catch (HazelcastException e) {
      return; // the next scan moves it
    }
    // A DONE slot is never written again; a HOLE stays until its time to live ends, to turn away
    // a put that still tries its number.
    for (int i = 0; i < finished.size(); i++) {
      if (finished.get(i).state() == JoinableRecord.DONE) {
        slots.removeAsync(from + i);
      }
    }
    emptySince.headMap(to).clear();
  }

  /** Marks slot {@code seq} a hole once this handle has seen it empty for the grace. */
  private void markIfHole(long seq) {
    long now = System.nanoTime();
    Long since = emptySince.putIfAbsent(seq, now);
    if (since != null && now - since > TimeUnit.SECONDS.toNanos(HOLE_GRACE_SECONDS)) {
      try {
        slots.putIfAbsent(seq, JoinableRecord.hole(), HOLE_TTL_MINUTES, TimeUnit.MINUTES);
        emptySince.remove(seq);
      } catch (HazelcastException e) {
        // the next scan tries again
      }
    }
  }

  /**
   * Moves slot {@code seq} from {@code expected} to {@code mine}; a try whose answer a member's
   * death cut off is settled by reading the slot (only this thread writes {@code mine}).
   */
  private boolean claim(long seq, JoinableRecord expected, JoinableRecord mine) {
    try {
      if (slots.replace(seq, expected.bytes(), mine.bytes())) {
        return true;
      }
    } catch (HazelcastException e) {
      // fall through: look
    }
    byte[] now = retrying(() -> slots.get(seq));
    return now != null && Arrays.equals(now, mine.bytes());
  }

  /** Reads slots {@code [from, to)}, each null if empty. */
  private List<JoinableRecord> read(long from, long to) {
    Set<Long> keys = new LinkedHashSet<>();
    for (long seq = from; seq < to; seq++) {
      keys.add(seq);
    }
    Map<Long, byte[]> found = retrying(() -> slots.getAll(keys));
    List<JoinableRecord> records = new ArrayList<>(keys.size());
    for (long seq = from; seq < to; seq++) {
      records.add(JoinableRecord.of(found.get(seq)));
    }
    return records;
  }

  /** Reads every slot from the head to the tail. */
  private List<JoinableRecord> readAll() {
    long from = retrying(head::get);
    long end = retrying(tail::get);
    List<JoinableRecord> all = new ArrayList<>();
    for (long start = from; start < end; start += MAX_WINDOW) {
      all.addAll(read(start, Math.min(end, start + MAX_WINDOW)));
    }
    return all;
  }

  /**
   * Marks done the oldest item this thread took and has not marked done.
   *
   * @throws IllegalStateException if this thread has no such item, as Python's {@code task_done()}
   *     raises ValueError when called more times than there were items
   */
  public void taskDone() {
    Consumer me = consumer.get();
    if (me == null || me.taken.isEmpty()) {
      throw new IllegalStateException(
          "taskDone() on cluster joinable queue "
              + name
              + " called more times than "
              + Thread.currentThread().getName()
              + " took items");
    }
    Taken t = me.taken.peek();
    // False if a try whose answer was lost did it, or if another consumer took the item back from
    // this thread, judged gone (then that one marks it done): either way, this thread is done.
    retrying(() -> slots.replace(t.seq, t.record.bytes(), t.record.done().bytes()));
    me.taken.poll();
  }

  /**
   * Waits until every item put has been marked done, up to {@code timeout}; items whose consumer
   * died are taken by other consumers meanwhile.
   *
   * @param timeout how long to wait at most
   * @return whether every item is done
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean join(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pause = 1_000_000;
    while (unfinished() > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      LockSupport.parkNanos(Math.min(pause, left));
      if (Thread.interrupted()) {
        throw new InterruptedException("while joining cluster joinable queue " + name);
      }
      pause = Math.min(2 * pause, MAX_PAUSE_NANOS);
    }
    return true;
  }

  /** Returns how many items were put and not yet marked done. */
  public long unfinished() {
    return readAll().stream()
        .filter(
            r ->
                r != null
                    && (r.state() == JoinableRecord.WAITING || r.state() == JoinableRecord.TAKEN))
        .count();
  }

  /** Returns how many items wait to be taken. */
  public int qsize() {
    return (int)
        readAll().stream().filter(r -> r != null && r.state() == JoinableRecord.WAITING).count();
  }

  /**
   * Describes the items taken and not done, for a diagnosis: each one's consumer, whether its
   * presence is locked, and whether that consumer is judged gone.
   */
  String describeTaken() {
    StringBuilder sb = new StringBuilder("[");
    for (JoinableRecord r : readAll()) {
      if (r != null && r.state() == JoinableRecord.TAKEN) {
        String presence = r.presence();
        sb.append(sb.length() > 1 ? ", " : "")
            .append(presence)
            .append(locks.isLocked(presence) ? ": presence locked" : ": presence free")
            .append(owners.isGone(ownerOf(presence)) ? ", owner gone" : ", owner alive");
      }
    }
    return sb.append("]").toString();
  }

  /** Whether the consumer of {@code presence} is gone; opens its presence if it outlived it. */
  private boolean isGone(String presence) {
    boolean ownerGone = owners.isGone(ownerOf(presence));
    if (ownerGone && locks.isLocked(presence)) {
      locks.forceUnlock(presence); // it died, and its lock outlived it (its own key: no race)
    }
    return ownerGone || !locks.isLocked(presence);
  }

  private static String ownerOf(String presence) {
    return presence.split(":", 3)[1];
  }

  /** This thread's consumer: its presence is locked by its first get, until its JVM ends. */
  private Consumer consumer() {
    Consumer me = consumer.get();
    if (me == null) {
      me = new Consumer("joinable:" + owners.tag() + ":" + UUID.randomUUID() + ":" + name);
      locks.lock(me.presence);
      consumer.set(me);
    }
    return me;
  }

  private static <T> T retrying(Supplier<T> step) {
    return retrying(step, () -> {});
  }

  /**
   * Runs a step that is safe to repeat, again while a member's death fails it (Hazelcast's own
   * exceptions), for up to {@value #RETRY_SECONDS} s; {@code onRepeat} runs before each repeat.
   */
  private static <T> T retrying(Supplier<T> step, Runnable onRepeat) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(RETRY_SECONDS);
    while (true) {
      try {
        return step.get();
      } catch (HazelcastException e) {
        if (System.nanoTime() - deadline > 0) {
          throw e;
        }
        LockSupport.parkNanos(MAX_PAUSE_NANOS);
        onRepeat.run();
      }
    }
  }

  @Override
  public String toString() {
    return "ClusterJoinableQueue[" + name + ", unfinished=" + unfinished() + "]";
  }
}
