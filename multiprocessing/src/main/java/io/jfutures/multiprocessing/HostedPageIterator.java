package io.jfutures.multiprocessing;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Walks a snapshot of a hosted collection a page at a time: the first page came with the call that
 * took the snapshot; each further one is a round trip by the cursor that came with the page before.
 * So a walk of a map of millions of entries never holds them all, here or in one message, and one
 * of a small collection costs a single round trip.
 *
 * <pre>
 * States: MORE (cursor != 0: the manager holds the rest) -> LAST (cursor == 0: what is buffered is
 * all). Not thread-safe, as any iterator.
 * </pre>
 */
final class HostedPageIterator implements Iterator<Object> {
  private static final Class<?>[] NEXT_PAGE = {long.class, int.class};

  private final HostedHandle.Ref handle;
  private final int pageSize;
  private List<Object> page;
  private int next = 1; // page.get(0) is the cursor
  private long cursor;

  /**
   * Starts with {@code first}, the reply of a call that took the snapshot: the cursor, then up to
   * {@code pageSize} elements.
   */
  HostedPageIterator(HostedHandle.Ref handle, List<Object> first, int pageSize) {
    this.handle = handle;
    this.pageSize = pageSize;
    take(first);
  }

  private void take(List<Object> p) {
    page = p;
    next = 1;
    cursor = (Long) p.get(0);
  }

  @Override
  public boolean hasNext() {
    while (next >= page.size() && cursor != 0) {
      take(handle.typed("nextPage", NEXT_PAGE, cursor, pageSize));
    }
    return next < page.size();
  }

  @Override
  public Object next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return page.get(next++);
  }
}
