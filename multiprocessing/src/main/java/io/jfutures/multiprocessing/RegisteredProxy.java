package io.jfutures.multiprocessing;

import io.jfutures.multiprocessing.internal.hub.HostedCall;
import io.jfutures.multiprocessing.internal.hub.HubRef;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;

/**
 * The handler of a proxy to an object of a registered type ({@link Manager#create}): each method of
 * the interface is called on the object in the manager, with the arguments and the result
 * serialized; what it throws is thrown here as it was thrown there. {@code equals}, {@code
 * hashCode} and {@code toString} are the proxy's own: two proxies are equal when they name the same
 * object.
 */
final class RegisteredProxy extends HostedHandle implements InvocationHandler {
  private static final long serialVersionUID = 1L;
  private final String type;

  RegisteredProxy(HubRef hub, long id, String type) {
    super(hub, id);
    this.type = type;
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getDeclaringClass() == Object.class) {
      switch (method.getName()) {
        case "equals":
          return args[0] != null
              && java.lang.reflect.Proxy.isProxyClass(args[0].getClass())
              && java.lang.reflect.Proxy.getInvocationHandler(args[0]) instanceof RegisteredProxy o
              && o.id == id
              && o.hub.equals(hub);
        case "hashCode":
          return Long.hashCode(id) * 31 + hub.hashCode();
        default:
          return type + " proxy [" + id + ", manager " + hub + "]";
      }
    }
    try {
      return resolve(backend().invoke(id, HostedCall.of(method, args)));
    } catch (RuntimeException e) {
      throw unavailable(e);
    }
  }
}
