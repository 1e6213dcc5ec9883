package io.jfutures.spi.backend;

import java.util.concurrent.locks.Lock;

/**
 * A lock shared between processes (or machines) whose holder may die while it holds it: the lock is
 * then released, and the next holder is told, as a robust mutex's {@code EOWNERDEAD} does.
 */
public interface OwnedLock extends Lock {

  /**
   * Returns whether the calling thread's last acquisition found that the previous holder had died
   * holding the lock; what it was doing under the lock is for this holder to check or repair.
   *
   * @return whether the previous holder died holding the lock
   */
  boolean ownerDied();
}
