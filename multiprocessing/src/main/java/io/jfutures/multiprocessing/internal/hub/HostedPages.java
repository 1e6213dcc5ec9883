package io.jfutures.multiprocessing.internal.hub;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Iterations over hosted collections, a page per call: a proxy that iterates gets the first page
 * with the call that takes the snapshot, and each further page by the cursor that came with it. The
 * snapshot holds the collection's elements (references, not copies) as they were when the iteration
 * began, so a walk sees each element that was there then exactly once, whatever other processes
 * change meanwhile, and neither side ever holds the whole collection serialized.
 *
 * <pre>
 * A cursor: OPEN (its snapshot is held here) -> DONE (its last page was sent, or it was idle for
 * IDLE, or more than MAX_OPEN cursors were open and it was the least recently used). A page asked
 * of a DONE cursor is refused with an error that says so.
 * </pre>
 *
 * <p>Thread-safe; one table for the whole hub.
 */
final class HostedPages {
  /** How long an iteration may pause between pages before its snapshot is dropped. */
  static final Duration IDLE = Duration.ofMinutes(10);

  /** The most iterations open at once; beyond it the least recently used is dropped. */
  static final int MAX_OPEN = 10_000;

  private static final Cache<Long, Iterator<Object>> OPEN =
      CacheBuilder.newBuilder().expireAfterAccess(IDLE).maximumSize(MAX_OPEN).build();
  private static final AtomicLong CURSORS = new AtomicLong();

  private HostedPages() {}

  /**
   * Begins an iteration over {@code snapshot}; returns its first page: the cursor for the rest (0
   * if there is none), then up to {@code size} elements.
   */
  static ArrayList<Object> open(List<Object> snapshot, int size) {
    checkSize(size);
    Iterator<Object> rest = snapshot.iterator();
    long cursor = 0;
    if (snapshot.size() > size) {
      cursor = CURSORS.incrementAndGet();
      OPEN.put(cursor, rest);
    }
    return page(cursor, rest, size);
  }

  /**
   * Returns the next page of iteration {@code cursor}: the cursor again (0 if this is the last
   * page), then up to {@code size} elements.
   *
   * @throws IllegalStateException if the iteration is done, or was dropped
   */
  static ArrayList<Object> next(long cursor, int size) {
    checkSize(size);
    Iterator<Object> rest = OPEN.getIfPresent(cursor);
    if (rest == null) {
      throw new IllegalStateException(
          "this iteration's snapshot was dropped: it paused for more than "
              + IDLE.toMinutes()
              + " minutes between pages, or more than "
              + MAX_OPEN
              + " iterations were open at once. Iterate again");
    }
    synchronized (rest) {
      return page(cursor, rest, size);
    }
  }

  private static ArrayList<Object> page(long cursor, Iterator<Object> rest, int size) {
    ArrayList<Object> page = new ArrayList<>(1 + size);
    page.add(cursor);
    while (page.size() <= size && rest.hasNext()) {
      page.add(rest.next());
    }
    if (!rest.hasNext() && cursor != 0) {
      OPEN.invalidate(cursor);
      page.set(0, 0L);
    }
    return page;
  }

  private static void checkSize(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("a page holds at least one element, not " + size);
    }
  }

  /** The number of iterations open now: for tests. */
  static long openCount() {
    OPEN.cleanUp();
    return OPEN.size();
  }
}
