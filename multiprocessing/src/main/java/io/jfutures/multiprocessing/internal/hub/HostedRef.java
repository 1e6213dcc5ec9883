package io.jfutures.multiprocessing.internal.hub;

import java.io.Serializable;

/**
 * How a proxy names a hosted object: the hub that hosts it, its id there, and the interface (or
 * built-in kind) through which it is called. What a call returns instead of a copy when its result
 * is an object of a registered type.
 */
public final class HostedRef implements Serializable {
  private static final long serialVersionUID = 1L;
  private final HubRef hub;
  private final long id;
  private final String type;

  HostedRef(HubRef hub, long id, String type) {
    this.hub = hub;
    this.id = id;
    this.type = type;
  }

  /** The hub that hosts it. */
  public HubRef hub() {
    return hub;
  }

  /** Its id in that hub. */
  public long id() {
    return id;
  }

  /** The name of the interface through which it is called, or of its built-in kind. */
  public String type() {
    return type;
  }
}
