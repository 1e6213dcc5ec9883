package io.jfutures.multiprocessing.internal.hub;

import java.util.Objects;

/** A manager's value, as its hub holds it: one object; each method is atomic. */
public final class HostedValue {
  private Object value;

  HostedValue(Object value) {
    this.value = value;
  }

  public synchronized Object get() {
    return value;
  }

  public synchronized void set(Object value) {
    this.value = value;
  }

  /** Sets it to {@code update} if it equals {@code expected}; returns whether it did. */
  public synchronized boolean compareAndSet(Object expected, Object update) {
    if (!Objects.equals(value, expected)) {
      return false;
    }
    value = update;
    return true;
  }
}
