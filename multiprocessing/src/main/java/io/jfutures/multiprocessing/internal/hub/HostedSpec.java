package io.jfutures.multiprocessing.internal.hub;

import java.io.Serializable;

/**
 * What a manager is asked to create in its hub: a built-in (a dict, a list, an array, a namespace,
 * a value), an object of a registered type, or a queue or synchronization object, with its
 * arguments.
 */
public final class HostedSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The kinds a manager creates. */
  public enum Kind {
    DICT,
    LIST,
    ARRAY,
    NAMESPACE,
    VALUE,
    REGISTERED,
    QUEUE,
    JOINABLE_QUEUE,
    LOCK,
    RLOCK,
    SEMAPHORE,
    BOUNDED_SEMAPHORE,
    EVENT,
    CONDITION,
    BARRIER
  }

  final Kind kind;
  final String typeId;

  @SuppressWarnings("serial") // serialized through Serialized, which names what cannot travel
  final Object[] args;

  private HostedSpec(Kind kind, String typeId, Object[] args) {
    this.kind = kind;
    this.typeId = typeId;
    this.args = args;
  }

  /** A built-in, queue or synchronization object of {@code kind}, made with {@code args}. */
  public static HostedSpec of(Kind kind, Object... args) {
    return new HostedSpec(kind, null, args);
  }

  /** An object of the type registered as {@code typeId}. */
  public static HostedSpec registered(String typeId) {
    return new HostedSpec(Kind.REGISTERED, typeId, new Object[0]);
  }
}
