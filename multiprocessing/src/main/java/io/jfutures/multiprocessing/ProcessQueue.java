package io.jfutures.multiprocessing;

import io.jfutures.multiprocessing.internal.Serialized;
import io.jfutures.multiprocessing.internal.hub.Hub;
import io.jfutures.multiprocessing.internal.hub.HubRef;
import io.jfutures.multiprocessing.internal.hub.QueueBackend;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.AbstractQueue;
import java.util.Collection;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A FIFO queue shared by any number of producer and consumer processes: Python's {@code
 * multiprocessing.Queue}, and a {@link BlockingQueue} for Java code. Pass it to a {@link
 * JvmProcess} or a pool task as an argument (a captured value); it works in whichever process holds
 * it.
 *
 * <pre>{@code
 * ProcessQueue<String> q = new ProcessQueue<>();
 * new JvmProcess(() -> q.put("hello")).start();
 * System.out.println(q.get());       // hello
 * }</pre>
 *
 * <p>The items live in the hub of the JVM that created the queue (see the README), not in the
 * producers: {@code put} serializes the item on the caller's thread, so an item that cannot be
 * serialized fails there (F2), and once {@code put} returns the item is the hub's, delivered even
 * if its producer exits or is killed right after (F1). A producer killed in the middle of a put
 * leaves nothing behind (F4); a consumer killed while it waits takes nothing with it, and an item
 * sent to a consumer that dies before it received it goes back to the front. {@link #qsize()} is
 * exact, on every OS. Items are copies: what a consumer gets is deserialized from the bytes its
 * producer wrote, even in the same JVM.
 *
 * <p>A consumer in another process is sent items ahead of its gets from its second get on, so that
 * it does not wait for a round trip per item: as many as it works through in about a tenth of a
 * second, judged by the time between its gets (2 to 256, and about 1 MiB); its first get takes one
 * item alone, so that a process that takes one item holds no others. They stay in the queue, and in
 * {@link #qsize()}, until its {@code get} takes them; they go back, each ahead of every item put
 * after it, as soon as a getter elsewhere finds nothing else, or when that consumer's process ends
 * or dies. So no item sits with a process that does not take it while another waits, each process
 * sees the items of one producer in the order they were put, and a sentinel put after every item
 * (Python's pattern) reaches the last consumer only after every item was taken. A {@link
 * #getNowait()} that finds only such items waits for them to come back (at most a second, which
 * only a frozen holder would take).
 *
 * <p>A producer in another process puts into a bounded queue without waiting for a reply while it
 * holds <em>places</em>: room the hub granted it ahead of its puts, up to a quarter of {@code
 * maxSize} (at most 256). A place counts as taken room, though not in {@link #qsize()}, until the
 * producer's put fills it; places are called back as soon as a put elsewhere finds no other room
 * (that put comes first, and a put that would not wait waits for them, at most a second), and they
 * come back when the producer's process ends or dies.
 *
 * <p>An item's serialized form may be up to {@code 2^31 - 90} bytes (2 GiB), and is held in the
 * putting JVM's heap twice while it is made. A larger one, or one that the heap cannot hold, fails
 * the put with {@link IllegalArgumentException} before anything reaches the queue, which stays
 * usable: put such data as several items.
 *
 * <p>If the hub's JVM exits, every call fails with {@link HubUnavailableException}, at once.
 *
 * <p>The iterator, {@code contains} and {@code remove(Object)} of {@link java.util.Collection} are
 * not supported: a shared queue's contents change under any snapshot.
 *
 * @param <E> the type of the items, which must be serializable
 */
public class ProcessQueue<E> extends AbstractQueue<E> implements BlockingQueue<E>, Serializable {
  private static final long serialVersionUID = 1L;

  /** The hub that holds the queue. */
  private final HubRef hub;

  /** The queue's id in its hub. */
  private final long id;

  /** The most items the queue holds, or 0 for no limit. */
  private final int maxSize;

  private transient volatile QueueBackend backend;
  private transient volatile boolean closed;

  /** Creates an unbounded queue. */
  public ProcessQueue() {
    this(0);
  }

  /**
   * Creates a queue of at most {@code maxSize} items; 0 means unbounded, as in Python.
   *
   * @param maxSize the most items the queue holds, or 0 for no limit
   * @throws IllegalArgumentException if {@code maxSize} is negative
   */
  public ProcessQueue(int maxSize) {
    this(maxSize, false, true);
  }

  ProcessQueue(int maxSize, boolean joinable, boolean requeueDeadConsumersItems) {
    if (maxSize < 0) {
      throw new IllegalArgumentException("maxSize must be 0 (unbounded) or more: " + maxSize);
    }
    this.maxSize = maxSize;
    this.hub = Hub.local().ref();
    this.id = QueueBackend.create(maxSize, joinable, requeueDeadConsumersItems);
  }

  /** A handle to queue {@code id} of {@code hub}, which a manager created there. */
  ProcessQueue(HubRef hub, long id, int maxSize) {
    this.hub = hub;
    this.id = id;
    this.maxSize = maxSize;
  }

  QueueBackend backend() {
    QueueBackend b = backend;
    if (b == null) {
      b = QueueBackend.of(hub, id, maxSize > 0, true);
      backend = b;
    }
    return b;
  }

  // ---- Python's verbs ------------------------------------------------------------------------

  /**
   * Puts {@code item}, waiting at most {@code timeout} for room: Python's {@code put(item,
   * timeout=t)}.
   *
   * @param item the item to put; serializable
   * @param timeout how long to wait for room at most
   * @throws IllegalStateException if the queue stayed full (Python's {@code queue.Full}), or this
   *     handle was closed, or the queue's hub has no heap for an item this large
   * @throws IllegalArgumentException if the item cannot be serialized, naming the class, or its
   *     serialized form is larger than 2 GiB or than this JVM's heap holds; nothing was put, and
   *     the queue stays usable
   * @throws InterruptedException if interrupted while waiting; the item was not put
   */
  public void put(E item, Duration timeout) throws InterruptedException {
    if (!offer(item, timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      throw new IllegalStateException("Queue full: no room within " + timeout);
    }
  }

  /**
   * Puts {@code item} if there is room now: Python's {@code put_nowait}.
   *
   * @param item the item to put; serializable
   * @throws IllegalStateException if the queue is full (Python's {@code queue.Full})
   */
  public void putNowait(E item) {
    if (!offer(item)) {
      throw new IllegalStateException("Queue full");
    }
  }

  /**
   * Waits for an item and takes it: Python's {@code get()}.
   *
   * @return the item
   * @throws InterruptedException if interrupted while waiting
   */
  public E get() throws InterruptedException {
    return take();
  }

  /**
   * Takes an item, waiting at most {@code timeout}: Python's {@code get(timeout=t)}.
   *
   * @param timeout how long to wait at most
   * @return the item
   * @throws NoSuchElementException if none came in time (Python's {@code queue.Empty})
   * @throws IllegalStateException if this JVM's heap has no room for the first item; it stays at
   *     the front of the queue
   * @throws InterruptedException if interrupted while waiting
   */
  public E get(Duration timeout) throws InterruptedException {
    E item = poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    if (item == null) {
      throw new NoSuchElementException("Queue empty: no item within " + timeout);
    }
    return item;
  }

  /**
   * Takes an item if there is one now: Python's {@code get_nowait}. Items on their way to another
   * consumer (sent ahead of its gets) are not there to take now: they are called back, for the next
   * get.
   *
   * @return the item
   * @throws NoSuchElementException if the queue is empty (Python's {@code queue.Empty})
   */
  public E getNowait() {
    E item = poll();
    if (item == null) {
      throw new NoSuchElementException("Queue empty");
    }
    return item;
  }

  /**
   * Returns the exact number of items in the queue: Python's {@code qsize()}.
   *
   * @return the number of items in the queue
   */
  public int qsize() {
    return size();
  }

  /**
   * Whether the queue is empty now: Python's {@code empty()}.
   *
   * @return whether the queue is empty now
   */
  public boolean empty() {
    return size() == 0;
  }

  /**
   * Whether the queue is full now: Python's {@code full()}.
   *
   * @return whether the queue is full now
   */
  public boolean full() {
    return maxSize > 0 && size() >= maxSize;
  }

  /**
   * Says this process will put no more items through this handle: later puts through it fail. Items
   * already put are delivered. Python's {@code close()}; other handles, here or in other processes,
   * are unaffected.
   */
  public void close() {
    closed = true;
  }

  // ---- BlockingQueue -------------------------------------------------------------------------

  @Override
  public boolean offer(E item) {
    try {
      return backend().put(serialize(item), 0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // cannot be: put now-or-never does not wait
      return false;
    }
  }

  @Override
  public boolean offer(E item, long timeout, TimeUnit unit) throws InterruptedException {
    return backend().put(serialize(item), Math.max(0, unit.toNanos(timeout)));
  }

  /**
   * Puts {@code item}, waiting for room as long as it takes: Python's {@code put(item)}.
   *
   * @throws IllegalStateException if this handle was closed, or the JVM that holds the queue (its
   *     hub) has no heap for an item this large; nothing was put then, and the queue stays usable
   * @throws IllegalArgumentException if the item cannot be serialized, naming the class, or its
   *     serialized form is larger than 2 GiB or than this JVM's heap holds; nothing was put, and
   *     the queue stays usable
   * @throws InterruptedException if interrupted while waiting; the item was not put
   */
  @Override
  public void put(E item) throws InterruptedException {
    backend().put(serialize(item), -1);
  }

  @Override
  public E take() throws InterruptedException {
    return deserialize(backend().get(-1));
  }

  @Override
  public E poll(long timeout, TimeUnit unit) throws InterruptedException {
    byte[] item = backend().get(Math.max(0, unit.toNanos(timeout)));
    return item == null ? null : deserialize(item);
  }

  @Override
  public E poll() {
    try {
      byte[] item = backend().get(0);
      return item == null ? null : deserialize(item);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Not supported: an item seen here may be taken by another process before it is read. */
  @Override
  public E peek() {
    throw new UnsupportedOperationException("peek() on a queue shared between processes");
  }

  @Override
  public int size() {
    return (int) Math.min(Integer.MAX_VALUE, backend().size());
  }

  @Override
  public int remainingCapacity() {
    return maxSize == 0 ? Integer.MAX_VALUE : Math.max(0, maxSize - size());
  }

  @Override
  public int drainTo(Collection<? super E> c) {
    return drainTo(c, Integer.MAX_VALUE);
  }

  @Override
  public int drainTo(Collection<? super E> c, int maxElements) {
    Objects.requireNonNull(c);
    if (c == this) {
      throw new IllegalArgumentException("cannot drain a queue into itself");
    }
    int n = 0;
    for (E item; n < maxElements && (item = poll()) != null; n++) {
      c.add(item);
    }
    return n;
  }

  /** Not supported: a shared queue's contents change under any snapshot. */
  @Override
  public Iterator<E> iterator() {
    throw new UnsupportedOperationException("iterating over a queue shared between processes");
  }

  // ---- items ---------------------------------------------------------------------------------

  private byte[] serialize(E item) {
    Objects.requireNonNull(item, "a queue's items cannot be null");
    if (closed) {
      throw new IllegalStateException("this queue handle was closed: it puts no more items");
    }
    return Serialized.toBytes(item, "cannot put");
  }

  @SuppressWarnings("unchecked")
  private E deserialize(byte[] item) {
    try {
      return (E) Serialized.fromBytes(item);
    } catch (IOException e) {
      throw new IllegalStateException("could not read an item of the queue: " + e, e);
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName()
        + "["
        + id
        + " in "
        + hub
        + (maxSize > 0 ? ", maxSize " + maxSize : "")
        + "]";
  }
}
