package io.jfutures.multiprocessing;

import io.jfutures.multiprocessing.internal.hub.HubRef;

/**
 * A proxy to a value that a {@link Manager} holds: Python's {@code manager.Value(typecode, v)}, one
 * object that every process holding it shares. Its {@code .value} is {@link #get()} and {@link
 * #set}; the value is copied, as in Python. For numbers that many processes update, a {@link
 * SharedInt} or its kin is far faster (shared memory, no round trip).
 *
 * @param <T> the type of the value, which must be serializable
 */
public final class ManagedValue<T> extends HostedHandle {
  private static final long serialVersionUID = 1L;
  private static final Class<?>[] ONE = {Object.class};

  ManagedValue(HubRef hub, long id) {
    super(hub, id);
  }

  /**
   * Returns (a copy of) the value.
   *
   * @return a copy of the value
   */
  @SuppressWarnings("unchecked")
  public T get() {
    return (T) call("get", new Class<?>[0]);
  }

  /**
   * Sets the value.
   *
   * @param value the new value; serializable
   */
  public void set(T value) {
    call("set", ONE, value);
  }

  /**
   * Sets the value to {@code update} if it equals {@code expected}; returns whether it did.
   *
   * @param expected the value it is expected to equal
   * @param update the value to set if it equals {@code expected}; serializable
   * @return whether the value was set
   */
  public boolean compareAndSet(T expected, T update) {
    return (Boolean)
        call("compareAndSet", new Class<?>[] {Object.class, Object.class}, expected, update);
  }

  @Override
  public String toString() {
    return "ManagedValue[" + get() + "]";
  }
}
