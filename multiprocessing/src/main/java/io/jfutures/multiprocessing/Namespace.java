package io.jfutures.multiprocessing;

import io.jfutures.multiprocessing.internal.hub.HubRef;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A proxy to a namespace that a {@link Manager} holds: Python's {@code manager.Namespace()}, named
 * values that every process holding it shares. Python's {@code ns.x = 1} is {@code ns.set("x", 1)}
 * and {@code ns.x} is {@code ns.get("x")}; values are copied, as in Python.
 */
public final class Namespace extends HostedHandle {
  private static final long serialVersionUID = 1L;
  private static final Class<?>[] NAME = {String.class};

  Namespace(HubRef hub, long id) {
    super(hub, id);
  }

  /**
   * Returns the value named {@code name}.
   *
   * @param <T> the type the value is cast to, unchecked
   * @param name the value's name
   * @return the value
   * @throws NoSuchElementException if there is none (Python's {@code AttributeError})
   */
  @SuppressWarnings("unchecked")
  public <T> T get(String name) {
    return (T) call("get", NAME, name);
  }

  /**
   * Sets the value named {@code name}.
   *
   * @param name the value's name
   * @param value the value; serializable
   */
  public void set(String name, Object value) {
    call("set", new Class<?>[] {String.class, Object.class}, name, value);
  }

  /**
   * Whether there is a value named {@code name}.
   *
   * @param name the value's name
   * @return whether there is a value named {@code name}
   */
  public boolean has(String name) {
    return (Boolean) call("has", NAME, name);
  }

  /**
   * Removes the value named {@code name}; returns it, or null if there was none.
   *
   * @param name the value's name
   * @return the value that was removed, or null
   */
  public Object delete(String name) {
    return call("delete", NAME, name);
  }

  /**
   * Returns a copy of every name and value, sorted by name.
   *
   * @return a copy of every name and value
   */
  @SuppressWarnings("unchecked")
  public Map<String, Object> asMap() {
    return (Map<String, Object>) call("copy", new Class<?>[0]);
  }

  @Override
  public String toString() {
    return "Namespace" + asMap();
  }
}
