package io.jfutures.multiprocessing.internal.hub;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A manager's list, as its hub holds it: each method is atomic. Proxies call its public methods by
 * name; {@link #copy} and {@link #slice} come back as copies. A manager's array is such a list of
 * fixed length: what would change its length is refused.
 */
public final class HostedList {
  private final List<Object> list;
  private final boolean fixedLength;

  HostedList(Collection<?> initial, boolean fixedLength) {
    this.list = new ArrayList<>(initial);
    this.fixedLength = fixedLength;
  }

  private void checkResizable() {
    if (fixedLength) {
      throw new UnsupportedOperationException(
          "a manager's array has a fixed length, as Python's Array has: set its elements instead");
    }
  }

  public synchronized int size() {
    return list.size();
  }

  public synchronized Object get(int index) {
    return list.get(index);
  }

  public synchronized Object set(int index, Object element) {
    return list.set(index, element);
  }

  public synchronized boolean add(Object element) {
    checkResizable();
    return list.add(element);
  }

  public synchronized void add(int index, Object element) {
    checkResizable();
    list.add(index, element);
  }

  public synchronized Object remove(int index) {
    checkResizable();
    return list.remove(index);
  }

  public synchronized boolean addAll(Collection<?> elements) {
    checkResizable();
    return list.addAll(elements);
  }

  public synchronized int indexOf(Object element) {
    return list.indexOf(element);
  }

  public synchronized int lastIndexOf(Object element) {
    return list.lastIndexOf(element);
  }

  public synchronized void clear() {
    checkResizable();
    list.clear();
  }

  /** The whole list, copied. */
  public synchronized ArrayList<Object> copy() {
    return new ArrayList<>(list);
  }

  /** Elements {@code from} (inclusive) to {@code to} (exclusive), copied. */
  public synchronized ArrayList<Object> slice(int from, int to) {
    return new ArrayList<>(list.subList(from, to));
  }

  /** Removes elements {@code from} (inclusive) to {@code to} (exclusive). */
  public synchronized void removeRange(int from, int to) {
    checkResizable();
    list.subList(from, to).clear();
  }

  @Override
  public synchronized String toString() {
    return list.toString();
  }

  /** Begins an iteration over the elements by pages of {@code size}; see {@link HostedPages}. */
  public synchronized ArrayList<Object> pages(int size) {
    return HostedPages.open(new ArrayList<>(list), size);
  }

  /** The next page of an iteration: up to {@code size} elements. */
  public ArrayList<Object> nextPage(long cursor, int size) {
    return HostedPages.next(cursor, size);
  }
}
