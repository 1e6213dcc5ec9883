package io.jfutures.multiprocessing;

import io.jfutures.multiprocessing.internal.hub.HostedBackend;
import io.jfutures.multiprocessing.internal.hub.HostedCall;
import io.jfutures.multiprocessing.internal.hub.HostedRef;
import io.jfutures.multiprocessing.internal.hub.HubRef;
import java.io.Serializable;
import java.lang.reflect.Proxy;
import java.lang.reflect.UndeclaredThrowableException;

/**
 * What the proxies of a {@link Manager}'s objects share: the hub that hosts the object and its id
 * there. Serializable: a proxy passed to another process calls the same object from there. Each
 * call is a round trip to the manager with its arguments and result serialized.
 */
abstract class HostedHandle implements Serializable {
  private static final long serialVersionUID = 1L;

  final HubRef hub;
  final long id;
  private transient volatile HostedBackend backend;

  HostedHandle(HubRef hub, long id) {
    this.hub = hub;
    this.id = id;
  }

  /** Calls {@code method}, whose parameters are {@code types}, with {@code args}. */
  final Object call(String method, Class<?>[] types, Object... args) {
    try {
      return resolve(backend().invoke(id, HostedCall.of(method, types, args)));
    } catch (RuntimeException e) {
      throw unavailable(e);
    } catch (Error e) {
      throw e;
    } catch (Throwable t) {
      throw new UndeclaredThrowableException(t); // the built-ins throw no checked exception
    }
  }

  /** A process that receives a proxy uses its object: it is not freed while this process runs. */
  private void readObject(java.io.ObjectInputStream in)
      throws java.io.IOException, ClassNotFoundException {
    in.defaultReadObject();
    try {
      backend().use(id);
    } catch (RuntimeException e) {
      // the manager is gone: the first call says so
    }
  }

  /** A handle held by a proxy that is not itself one: a map's or a list's. */
  static final class Ref extends HostedHandle {
    private static final long serialVersionUID = 1L;

    Ref(HubRef hub, long id) {
      super(hub, id);
    }

    /** Calls {@code method}, returning its result as the type the caller expects. */
    @SuppressWarnings("unchecked")
    <T> T typed(String method, Class<?>[] types, Object... args) {
      return (T) call(method, types, args);
    }
  }

  final HostedBackend backend() {
    HostedBackend b = backend;
    if (b == null) {
      b = HostedBackend.of(hub);
      backend = b;
    }
    return b;
  }

  /** A hub that is gone is a manager that is gone. */
  static RuntimeException unavailable(RuntimeException e) {
    if (e instanceof HubUnavailableException h && !(e instanceof ManagerUnavailableException)) {
      return new ManagerUnavailableException(
          "the manager is gone (its JVM exited or was killed): " + h.getMessage(), h);
    }
    return e;
  }

  /** A result that is an object of a registered type comes as a reference: its proxy. */
  static Object resolve(Object result) {
    if (!(result instanceof HostedRef ref)) {
      return result;
    }
    try {
      Class<?> iface =
          Class.forName(ref.type(), false, Thread.currentThread().getContextClassLoader());
      return proxy(ref.hub(), ref.id(), iface);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("cannot load " + ref.type() + " for a manager's proxy", e);
    }
  }

  /** A proxy of hosted object {@code id} of {@code hub}, called through {@code iface}. */
  static Object proxy(HubRef hub, long id, Class<?> iface) {
    return Proxy.newProxyInstance(
        iface.getClassLoader(),
        new Class<?>[] {iface},
        new RegisteredProxy(hub, id, iface.getName()));
  }
}
