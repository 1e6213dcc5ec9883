package io.jfutures.multiprocessing.internal.hub;

import io.jfutures.multiprocessing.HubUnavailableException;
import io.jfutures.multiprocessing.internal.Serialized;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * A manager's and its proxies' way to the hub that hosts their objects: straight to it in its own
 * JVM, or through a {@link HubClient} from any other; the same requests and replies either way.
 * Arguments and results always travel serialized, in the hub's own JVM too, so that a proxy behaves
 * the same everywhere: what it returns is a copy.
 */
public abstract class HostedBackend {
  HostedBackend() {}

  /** Returns the backend of {@code hub}'s hosted objects, for this process. */
  public static HostedBackend of(HubRef hub) {
    Hub local = Hub.localIfIs(hub);
    if (local != null) {
      return new Local(local);
    }
    return new Remote(hub);
  }

  /**
   * Returns the backend of {@code hub}'s hosted objects through a client, even from its own JVM.
   */
  static HostedBackend remote(HubRef hub) {
    return new Remote(hub);
  }

  /** Registers a type in this JVM's hub, for the managers it hosts. */
  public static void register(String typeId, Supplier<?> factory, Class<?> iface) {
    Hub.local().hosting().register(typeId, factory, iface);
  }

  /** Returns a new id for a manager in this JVM's hub. */
  public static long newManagerId() {
    return Hub.local().newId();
  }

  /** An object the hub created: its id, and the name of the type it is called through, if any. */
  public record Created(long id, String type) {}

  /**
   * Creates what {@code spec} asks for, for manager {@code manager}.
   *
   * @throws IllegalArgumentException if the hub refused the spec (an unregistered type, say)
   * @throws HubUnavailableException if the hub is gone
   */
  public Created create(long manager, HostedSpec spec) {
    Wire.Frame f = request(Wire.NEW_HOSTED, manager, Serialized.toBytes(spec, "cannot create"));
    check(f);
    return new Created(
        f.value(), f.payload() == null ? null : new String(f.payload(), StandardCharsets.UTF_8));
  }

  /**
   * Calls a method of hosted object {@code id}; returns its result, a copy, or a {@link HostedRef}
   * if the result is an object of a registered type, hosted in turn.
   *
   * @throws Throwable what the method threw, as it threw it
   * @throws IllegalStateException if the object is gone, or the call could not be made
   * @throws HubUnavailableException if the hub is gone
   */
  public Object invoke(long id, HostedCall call) throws Throwable {
    Wire.Frame f = request(Wire.INVOKE, id, call.toBytes());
    if (f.op() == Wire.ERROR && f.value() == Wire.ERROR_THROWN) {
      throw (Throwable) Serialized.fromBytes(f.payload());
    }
    check(f);
    return Serialized.fromBytes(f.payload());
  }

  /** Says that this process uses hosted object {@code id}, without waiting for the hub. */
  public abstract void use(long id);

  /**
   * Checks that the hub answers.
   *
   * @throws HubUnavailableException if it does not (or refuses this process's key)
   */
  public void ping() {
    check(request(Wire.FREE_ALL, PING, null));
  }

  /** A manager id that no manager has: freeing its objects frees nothing. */
  private static final long PING = -1;

  /** Frees the objects of manager {@code manager}, which shuts down. */
  public void freeAll(long manager) {
    check(request(Wire.FREE_ALL, manager, null));
  }

  abstract Wire.Frame request(byte op, long object, byte[] payload);

  private static void check(Wire.Frame f) {
    if (f.op() != Wire.ERROR) {
      return;
    }
    String message = new String(f.payload(), StandardCharsets.UTF_8);
    if (f.value() == Wire.ERROR_ARGUMENT) {
      throw new IllegalArgumentException(message);
    }
    if (f.value() == Wire.ERROR_GONE) {
      throw new HubUnavailableException(message, null);
    }
    throw new IllegalStateException(message);
  }

  /** In the hub's own JVM: each reply completes the future of its request. */
  private static final class Local extends HostedBackend {
    private final Hub hub;

    Local(Hub hub) {
      this.hub = hub;
    }

    @Override
    public void use(long id) {
      // the hub's own JVM outlives its objects
    }

    @Override
    Wire.Frame request(byte op, long object, byte[] payload) {
      SyncBackend.LocalPeer peer = SyncBackend.LocalPeer.INSTANCE;
      CompletableFuture<Wire.Frame> reply = new CompletableFuture<>();
      long request = peer.register(reply);
      try {
        switch (op) {
          case Wire.NEW_HOSTED:
            hub.hosting().create(payload, object, peer, request);
            break;
          case Wire.INVOKE:
            hub.hosting().invoke(object, payload, peer, request);
            break;
          default:
            hub.hosting().freeAll(object);
            return new Wire.Frame(Wire.OK, request, object, 0, null);
        }
        try {
          return Replies.uninterruptibly(reply);
        } catch (ExecutionException e) {
          throw new IllegalStateException(e.getCause()); // never: nothing fails these futures
        }
      } finally {
        peer.forget(request);
      }
    }
  }

  /** In any other process: over the connection to the hub. */
  private static final class Remote extends HostedBackend {
    private final HubRef hub;

    Remote(HubRef hub) {
      this.hub = hub;
    }

    @Override
    public void use(long id) {
      HubClient.of(hub).send(Wire.USE, id, 0, null);
    }

    @Override
    Wire.Frame request(byte op, long object, byte[] payload) {
      // Never cancelled: a call that was sent runs to its end, as Python's proxy calls do.
      return HubClient.of(hub).callToTheEnd(op, object, payload);
    }
  }
}
