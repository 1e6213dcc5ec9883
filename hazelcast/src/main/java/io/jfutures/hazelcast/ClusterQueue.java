package io.jfutures.hazelcast;

import com.hazelcast.collection.IQueue;
import io.jfutures.impl.internal.process.ClassFilter;
import java.time.Duration;
import java.util.AbstractQueue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A queue shared by every member and client of a cluster, as {@code multiprocessing.Queue} across
 * machines: a {@link BlockingQueue} over Hazelcast's {@code IQueue}. Each item travels serialized
 * by jfutures and is read through the allow-list of the {@link ClusterObjects} it came from.
 *
 * <p><b>A participant that dies.</b> An item is in the queue once {@code put} returns, kept on a
 * partition owner and one synchronous backup: its producer may die at once, and one member's death
 * loses no item. An item is taken whole or not at all; a consumer that dies after {@code take}
 * returned took it with it (as in Python). No consensus: a network split may duplicate or lose what
 * each side did while apart.
 *
 * <p>Unbounded; {@code null} items are refused. Thread-safe.
 */
public final class ClusterQueue<E> extends AbstractQueue<E> implements BlockingQueue<E> {
  private final IQueue<byte[]> queue;
  private final ItemCodec codec;

  ClusterQueue(IQueue<byte[]> queue, ClassFilter filter) {
    this.queue = queue;
    this.codec = new ItemCodec(filter, "cluster queue " + queue.getName());
  }

  /** Returns the queue's name, which every handle to it shares. */
  public String name() {
    return queue.getName();
  }

  private byte[] encode(E item) {
    return codec.encode(item);
  }

  private E decode(byte[] bytes) {
    return codec.decode(bytes);
  }

  @Override
  public boolean offer(E item) {
    return queue.offer(encode(item));
  }

  @Override
  public void put(E item) throws InterruptedException {
    queue.put(encode(item));
  }

  @Override
  public boolean offer(E item, long timeout, TimeUnit unit) throws InterruptedException {
    return queue.offer(encode(item), timeout, unit);
  }

  @Override
  public E take() throws InterruptedException {
    return decode(queue.take());
  }

  @Override
  public E poll(long timeout, TimeUnit unit) throws InterruptedException {
    return decode(queue.poll(timeout, unit));
  }

  /**
   * Python's {@code get(timeout=...)}: the next item, or null if none came in time.
   *
   * @param timeout how long to wait at most
   * @return the next item, or null
   * @throws InterruptedException if interrupted while waiting
   */
  public E get(Duration timeout) throws InterruptedException {
    return poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public E poll() {
    return decode(queue.poll());
  }

  @Override
  public E peek() {
    return decode(queue.peek());
  }

  @Override
  public int size() {
    return queue.size();
  }

  @Override
  public int remainingCapacity() {
    return queue.remainingCapacity();
  }

  @Override
  public int drainTo(Collection<? super E> c) {
    return drainTo(c, Integer.MAX_VALUE);
  }

  @Override
  public int drainTo(Collection<? super E> c, int maxElements) {
    List<byte[]> taken = new ArrayList<>();
    int n = queue.drainTo(taken, maxElements);
    for (byte[] bytes : taken) {
      c.add(decode(bytes));
    }
    return n;
  }

  /** Iterates over a snapshot of the items, in order; its {@code remove} is not supported. */
  @Override
  public Iterator<E> iterator() {
    List<E> items = new ArrayList<>();
    for (byte[] bytes : queue) {
      items.add(decode(bytes));
    }
    return java.util.Collections.unmodifiableList(items).iterator();
  }

  @Override
  public String toString() {
    return "ClusterQueue[" + name() + ", size=" + size() + "]";
  }
}
