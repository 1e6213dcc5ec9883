package io.jfutures.api;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Future;

/**
 * The two sets {@link Futures#wait} returns: the futures that were done when it returned, and those
 * that were not. Both sets are unmodifiable and keep the order the futures were given in.
 *
 * @param <F> the future type
 * @param done the futures that were done
 * @param notDone the futures that were not done
 */
public record DoneAndNotDone<F extends Future<?>>(Set<F> done, Set<F> notDone) {
  /**
   * Copies both sets.
   *
   * @param done the futures that were done
   * @param notDone the futures that were not done
   * @throws NullPointerException if either set is null
   */
  public DoneAndNotDone {
    done = Collections.unmodifiableSet(new LinkedHashSet<>(Objects.requireNonNull(done, "done")));
    notDone =
        Collections.unmodifiableSet(
            new LinkedHashSet<>(Objects.requireNonNull(notDone, "notDone")));
  }
}
