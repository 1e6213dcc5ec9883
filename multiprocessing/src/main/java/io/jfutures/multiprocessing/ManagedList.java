package io.jfutures.multiprocessing;

import io.jfutures.multiprocessing.internal.hub.HubRef;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.RandomAccess;

/**
 * A proxy to a list that a {@link Manager} holds: Python's {@code manager.list()}, and a {@link
 * List} for Java code. Every process that holds it reads and writes the same list; each method is
 * one atomic round trip to the manager, and {@link #addAll(Collection)} appends many in one.
 * Elements are copied, as in Python: changing an object after {@code add}, or one got from {@code
 * get}, changes nothing in the list. {@link #iterator()} walks a snapshot taken when it is made,
 * fetched by pages, never the live list; {@link #copy()} is Python's {@code l[:]}.
 *
 * @param <E> the type of the elements, which must be serializable
 */
public final class ManagedList<E> extends AbstractList<E>
    implements RandomAccess, java.io.Serializable {
  private static final long serialVersionUID = 1L;
  private static final Class<?>[] NONE = {};
  private static final Class<?>[] INDEX = {int.class};
  private static final Class<?>[] ELEMENT = {Object.class};

  /** The list in the manager: its hub and id. */
  private final HostedHandle.Ref handle;

  ManagedList(HubRef hub, long id) {
    this.handle = new HostedHandle.Ref(hub, id);
  }

  private <T> T call(String method, Class<?>[] types, Object... args) {
    return handle.typed(method, types, args);
  }

  @Override
  public int size() {
    return (Integer) call("size", NONE);
  }

  @Override
  public E get(int index) {
    return call("get", INDEX, index);
  }

  @Override
  public E set(int index, E element) {
    return call("set", new Class<?>[] {int.class, Object.class}, index, element);
  }

  @Override
  public boolean add(E element) {
    return (Boolean) call("add", ELEMENT, element);
  }

  @Override
  public void add(int index, E element) {
    call("add", new Class<?>[] {int.class, Object.class}, index, element);
  }

  @Override
  public E remove(int index) {
    return call("remove", INDEX, index);
  }

  /** Appends every element of {@code elements} in one round trip. */
  @Override
  public boolean addAll(Collection<? extends E> elements) {
    return (Boolean) call("addAll", new Class<?>[] {Collection.class}, new ArrayList<>(elements));
  }

  @Override
  public int indexOf(Object element) {
    return (Integer) call("indexOf", ELEMENT, element);
  }

  @Override
  public int lastIndexOf(Object element) {
    return (Integer) call("lastIndexOf", ELEMENT, element);
  }

  @Override
  public boolean contains(Object element) {
    return indexOf(element) >= 0;
  }

  @Override
  public void clear() {
    call("clear", NONE);
  }

  @Override
  protected void removeRange(int from, int to) {
    call("removeRange", new Class<?>[] {int.class, int.class}, from, to);
  }

  /**
   * Returns a copy of the whole list, in one round trip: Python's {@code l[:]}.
   *
   * @return a copy of the whole list
   */
  public List<E> copy() {
    return call("copy", NONE);
  }

  /** Elements per page of an iteration. */
  static final int PAGE = 1024;

  /**
   * Walks the list as it was when this is called (read-only), fetched by pages of {@value #PAGE}
   * elements: one round trip for a short list, and never the whole of a long one in one message.
   */
  @Override
  @SuppressWarnings("unchecked")
  public Iterator<E> iterator() {
    List<Object> first = call("pages", INDEX, PAGE);
    return (Iterator<E>) new HostedPageIterator(handle, first, PAGE);
  }

  @Override
  public Object[] toArray() {
    return copy().toArray();
  }

  @Override
  public <T> T[] toArray(T[] a) {
    return copy().toArray(a);
  }

  @Override
  public String toString() {
    return copy().toString();
  }

  @Override
  public boolean equals(Object o) {
    return o == this
        || (o instanceof List<?> other
            && copy().equals(other instanceof ManagedList<?> m ? m.copy() : other));
  }

  @Override
  public int hashCode() {
    return copy().hashCode();
  }
}
