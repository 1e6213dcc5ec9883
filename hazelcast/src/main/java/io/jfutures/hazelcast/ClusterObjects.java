package io.jfutures.hazelcast;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import io.jfutures.impl.internal.process.ClassFilter;
import io.jfutures.spi.backend.BackendCapability;
import io.jfutures.spi.backend.SharedObjectBackend;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The toolbox's shared objects on a Hazelcast cluster, found by name from any member or client:
 * {@link ClusterQueue queues} and {@link ClusterJoinableQueue joinable queues}, dicts and lists
 * (Hazelcast's {@code IMap}, a {@link ConcurrentMap}), {@link ClusterLock locks} whose dead
 * holder's successor is told, {@link ClusterSemaphore semaphores} whose dead holders' permits come
 * back, {@link ClusterBarrier barriers} that a dead party breaks, {@link ClusterEvent events} and
 * {@link ClusterLong numbers}. Only the open edition's structures are used (its CP subsystem, with
 * consensus, is Enterprise-only since 5.5): each object lives on a partition owner with one
 * synchronous backup, which keeps it through one member's death, but nothing protects it from a
 * network split.
 *
 * <pre>{@code
 * ClusterObjects shared = ClusterObjects.using(hazelcastInstance);      // in the application
 * ClusterObjects shared = ClusterObjects.onThisMember();                // in a task, on a member
 * ClusterLock lock = shared.lock("inventory");
 * }</pre>
 *
 * <p>Thread-safe. Handles are cheap: make one wherever it is needed.
 */
public final class ClusterObjects implements SharedObjectBackend {
  /** The map whose keys are the locks. */
  public static final String LOCKS = "jfutures.locks";

  /** The map whose entries are the events' flags. */
  public static final String EVENTS = "jfutures.events";

  /** The map whose entries are the barriers' states. */
  public static final String BARRIERS = "jfutures.barriers";

  /** The map whose entries are the numbers. */
  public static final String VALUES = "jfutures.values";

  private static final String QUEUE_PREFIX = "jfutures.queue.";
  private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final long RETRY_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final HazelcastInstance hz;
  private final ClassFilter filter;
  private final Owners owners;

  private ClusterObjects(HazelcastInstance hz, String allowedClasses) {
    this.hz = hz;
    this.filter = new ClassFilter(allowedClasses, "ClusterObjects.using(instance, allowedClasses)");
    this.owners = retried(() -> new Owners(hz)); // a client writes its lease here
  }

  /**
   * Shared objects through {@code instance}, a member or a client.
   *
   * @param instance a running member or client
   * @return shared objects on its cluster
   */
  public static ClusterObjects using(HazelcastInstance instance) {
    return using(instance, "");
  }

  /**
   * Shared objects through {@code instance}, whose queues' items are read through an allow-list
   * widened by {@code allowedClasses} (in {@link java.io.ObjectInputFilter.Config#createFilter}
   * syntax), as an executor's {@code allowClasses}.
   *
   * @param instance a running member or client
   * @param allowedClasses filter patterns, or empty
   * @return shared objects on its cluster
   */
  public static ClusterObjects using(HazelcastInstance instance, String allowedClasses) {
    return new ClusterObjects(
        Objects.requireNonNull(instance, "instance"),
        Objects.requireNonNull(allowedClasses, "allowedClasses"));
  }

  /**
   * Shared objects through the member this code runs on: for a task on a worker member.
   *
   * @return shared objects on this member's cluster
   * @throws IllegalStateException unless this JVM runs exactly one Hazelcast member
   */
  public static ClusterObjects onThisMember() {
    Set<HazelcastInstance> here = Hazelcast.getAllHazelcastInstances();
    if (here.size() != 1) {
      throw new IllegalStateException(
          "onThisMember() needs exactly one Hazelcast member in this JVM, found "
              + here.size()
              + "; use ClusterObjects.using(instance)");
    }
    return using(here.iterator().next());
  }

  @Override
  public String name() {
    return "hazelcast";
  }

  @Override
  public Set<BackendCapability> capabilities() {
    return EnumSet.of(BackendCapability.OWNER_DEATH_NOTICE);
  }

  @Override
  public <E> ClusterQueue<E> queue(String name) {
    String checked = QUEUE_PREFIX + checked(name);
    return new ClusterQueue<>(retried(() -> hz.getQueue(checked)), filter);
  }

  /**
   * Returns the joinable queue of that name, made empty on first use.
   *
   * @param <E> the type of the items
   * @param name the queue's name
   * @return the queue
   */
  public <E> ClusterJoinableQueue<E> joinableQueue(String name) {
    String checked = checked(name);
    return new ClusterJoinableQueue<>(
        hz,
        map(LOCKS),
        map(VALUES),
        checked,
        new ItemCodec(filter, "cluster joinable queue " + checked),
        owners);
  }

  /** Returns Hazelcast's map of that name: values travel by Hazelcast's own serialization. */
  @Override
  public <K, V> ConcurrentMap<K, V> dict(String name) {
    String checked = checked(name);
    return retried(() -> hz.getMap(checked));
  }

  /**
   * Returns Hazelcast's list of that name (a {@link java.util.List}, as a manager's {@code
   * list()}): each call is one operation on the member that holds the list, and elements travel by
   * Hazelcast's own serialization.
   *
   * @param <E> the type of the elements
   * @param name the list's name
   * @return the list
   */
  public <E> java.util.List<E> list(String name) {
    String checked = "jfutures.list." + checked(name);
    return retried(() -> hz.getList(checked));
  }

  @Override
  public ClusterLock lock(String name) {
    return new ClusterLock(map(LOCKS), checked(name), describe(), owners);
  }

  private <K, V> IMap<K, V> map(String name) {
    return retried(() -> hz.getMap(name));
  }

  /**
   * Makes a handle (a proxy, which the cluster registers), again if the member it asked died
   * meanwhile: making a handle twice does no harm, and a member's death is no reason to fail it.
   * Operations on the objects are not retried: a {@code put} or {@code take} whose member died
   * under it may or may not have happened, and its caller gets Hazelcast's exception.
   */
  private static <T> T retried(Supplier<T> make) {
    long deadline = System.nanoTime() + RETRY_NANOS;
    while (true) {
      try {
        return make.get();
      } catch (TargetDisconnectedException | TargetNotMemberException e) {
        if (System.nanoTime() - deadline > 0) {
          throw e;
        }
        LockSupport.parkNanos(RETRY_PAUSE_NANOS);
      }
    }
  }

  /**
   * Returns the bounded semaphore of that name, with {@code permits} permits.
   *
   * @param name the semaphore's name
   * @param permits its number of permits, which its first handle fixes
   * @return the semaphore
   * @throws IllegalArgumentException if the semaphore exists with another number of permits
   */
  public ClusterSemaphore semaphore(String name, int permits) {
    return new ClusterSemaphore(map(LOCKS), map(VALUES), checked(name), permits, owners);
  }

  /**
   * Returns the barrier of that name, for {@code parties} parties.
   *
   * @param name the barrier's name
   * @param parties how many parties it waits for, which its first handle fixes
   * @return the barrier
   * @throws IllegalArgumentException if the barrier exists with another number of parties
   */
  public ClusterBarrier barrier(String name, int parties) {
    return new ClusterBarrier(map(BARRIERS), map(LOCKS), checked(name), parties, owners);
  }

  /**
   * Returns the event of that name.
   *
   * @param name the event's name
   * @return the event
   */
  public ClusterEvent event(String name) {
    return new ClusterEvent(map(EVENTS), checked(name));
  }

  /**
   * Returns the number of that name.
   *
   * @param name the number's name
   * @return the number
   */
  public ClusterLong value(String name) {
    return new ClusterLong(map(VALUES), checked(name));
  }

  private static String checked(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a shared object's name must not be blank");
    }
    return name;
  }

  /** How a lock names its holder: its owner tag, then this JVM's pid and its instance. */
  private String describe() {
    return owners.tag() + " pid " + ProcessHandle.current().pid() + " (" + hz.getName() + ")";
  }

  @Override
  public String toString() {
    return "ClusterObjects[" + hz.getName() + "]";
  }
}
