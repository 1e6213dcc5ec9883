package io.jfutures.spi.backend;

import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentMap;

/**
 * Where shared objects live when the processes that share them are not children of one JVM: a
 * cluster's members and clients reach the same queue, dict or lock by its name. Each object has the
 * contract of the Java interface it implements, plus what its backend says of a participant that
 * dies: a lock's holder ({@link OwnedLock#ownerDied()}), a producer after {@code put} returned (its
 * item stays), a consumer (what it took is its own).
 *
 * <p>Implementations are thread-safe; the objects they return are too.
 */
public interface SharedObjectBackend {

  /**
   * Returns the name messages give this backend, as {@code hazelcast}.
   *
   * @return the backend's name
   */
  String name();

  /**
   * Returns what this backend guarantees beyond the objects' interfaces; {@link
   * BackendCapability#OWNER_DEATH_NOTICE} if a dead holder's lock is released and the next holder
   * told.
   *
   * @return the backend's capabilities
   */
  Set<BackendCapability> capabilities();

  /**
   * Returns the queue of that name, made empty and unbounded on first use; an item put stays until
   * taken, whatever happens to its producer after {@code put} returned.
   *
   * @param <E> the type of the items
   * @param name the queue's name
   * @return the queue
   */
  <E> BlockingQueue<E> queue(String name);

  /**
   * Returns the dict of that name, made empty on first use.
   *
   * @param <K> the type of the keys
   * @param <V> the type of the values
   * @param name the dict's name
   * @return the dict
   */
  <K, V> ConcurrentMap<K, V> dict(String name);

  /**
   * Returns the lock of that name.
   *
   * @param name the lock's name
   * @return the lock
   */
  OwnedLock lock(String name);
}
