package io.jfutures.multiprocessing.internal.hub;

import java.io.Serializable;
import java.lang.reflect.Method;

/**
 * A call of a hosted object's method, as it travels to the hub: the method's name and parameter
 * types (as named by its interface) and the arguments. A final class, not a record: a cold JVM's
 * first record read costs tens of milliseconds.
 */
public final class HostedCall implements Serializable {
  private static final long serialVersionUID = 1L;
  final String method;
  final String[] parameterTypes;

  @SuppressWarnings("serial") // serialized through Serialized, which names what cannot travel
  final Object[] args;

  HostedCall(String method, String[] parameterTypes, Object[] args) {
    this.method = method;
    this.parameterTypes = parameterTypes;
    this.args = args;
  }

  /** The call of {@code method} with {@code args}. */
  public static HostedCall of(Method method, Object[] args) {
    Class<?>[] types = method.getParameterTypes();
    String[] names = new String[types.length];
    for (int i = 0; i < types.length; i++) {
      names[i] = types[i].getName();
    }
    return new HostedCall(method.getName(), names, args == null ? new Object[0] : args);
  }

  /** The call of the method named {@code method} whose parameters are {@code types}. */
  public static HostedCall of(String method, Class<?>[] types, Object... args) {
    String[] names = new String[types.length];
    for (int i = 0; i < types.length; i++) {
      names[i] = types[i].getName();
    }
    return new HostedCall(method, names, args);
  }

  @Override
  public String toString() {
    return method + "(" + String.join(", ", parameterTypes) + ")";
  }
}
