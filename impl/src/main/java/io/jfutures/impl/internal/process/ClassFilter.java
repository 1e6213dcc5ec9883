package io.jfutures.impl.internal.process;

import java.io.ObjectInputFilter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The allow-list every object read by the pool or a worker passes. A class is allowed if it is in
 * {@code java.base}, in jfutures, in a package of a class this side has sent (or, in a worker, a
 * class the pool has sent), or allowed by the user's patterns; a user pattern that rejects wins. A
 * rejection names the class and says how to allow it, with the builder method of the executor whose
 * filter it is. Thread-safe.
 */
public final class ClassFilter implements ObjectInputFilter {
  private static final Module JAVA_BASE = Object.class.getModule();
  private static final long MAX_DEPTH = 10_000;

  private final Set<String> packages = ConcurrentHashMap.newKeySet();
  private final String allowMethod;
  private volatile String userPatterns = "";
  private volatile ObjectInputFilter userFilter;

  /**
   * A process pool's filter.
   *
   * @param userPatterns patterns in {@link ObjectInputFilter.Config#createFilter} syntax, or empty
   */
  public ClassFilter(String userPatterns) {
    this(userPatterns, "ProcessPoolExecutor.newBuilder().allowClasses");
  }

  /**
   * A filter whose rejections tell the user to call {@code allowMethod}.
   *
   * @param userPatterns patterns in {@link ObjectInputFilter.Config#createFilter} syntax, or empty
   * @param allowMethod the call that widens this filter, as {@code
   *     BackendExecutor.newBuilder(backend).allowClasses}
   */
  public ClassFilter(String userPatterns, String allowMethod) {
    this.allowMethod = allowMethod;
    setUserPatterns(userPatterns);
  }

  /** Returns the user's patterns, or the empty string. */
  public String userPatterns() {
    return userPatterns;
  }

  /** Replaces the user's patterns (a worker learns them from its INIT frame). */
  public void setUserPatterns(String patterns) {
    this.userFilter = patterns.isEmpty() ? null : ObjectInputFilter.Config.createFilter(patterns);
    this.userPatterns = patterns;
  }

  /** Allows the package of {@code cl} (of its element type, for an array). */
  public void learn(Class<?> cl) {
    while (cl.isArray()) {
      cl = cl.getComponentType();
    }
    if (!cl.isPrimitive()) {
      packages.add(cl.getPackageName());
    }
  }

  /** Allows the package of the class of that name, as {@link Class#getName()} spells it. */
  public void learn(String className) {
    String name = className;
    while (name.startsWith("[")) {
      name = name.substring(1);
    }
    if (name.startsWith("L") && name.endsWith(";")) {
      name = name.substring(1, name.length() - 1);
    }
    if (name.length() > 1 || "ZBCSIJFDV".indexOf(name.charAt(0)) < 0) {
      int dot = name.lastIndexOf('.');
      packages.add(dot > 0 ? name.substring(0, dot) : "");
    }
  }

  @Override
  public Status checkInput(FilterInfo info) {
    if (info.depth() > MAX_DEPTH) {
      return Status.REJECTED;
    }
    Class<?> cl = info.serialClass();
    if (cl == null) {
      return Status.UNDECIDED;
    }
    ObjectInputFilter user = userFilter;
    if (user != null) {
      Status status = user.checkInput(info);
      if (status != Status.UNDECIDED) {
        if (status == Status.REJECTED) {
          throw new Rejected(cl.getName() + " is rejected by " + userPatterns);
        }
        return status;
      }
    }
    Class<?> c = cl;
    while (c.isArray()) {
      c = c.getComponentType();
    }
    if (java.lang.reflect.Proxy.isProxyClass(c)) {
      // A dynamic proxy (a manager's, say) is named by the JVM: it is allowed when every
      // interface it implements is.
      for (Class<?> i : c.getInterfaces()) {
        if (!allowed(i)) {
          throw rejected(i);
        }
      }
      return Status.ALLOWED;
    }
    if (allowed(c)) {
      return Status.ALLOWED;
    }
    throw rejected(c);
  }

  private boolean allowed(Class<?> c) {
    return c.isPrimitive()
        || c.getModule() == JAVA_BASE
        || c.getName().startsWith("io.jfutures.")
        || packages.contains(c.getPackageName());
  }

  private Rejected rejected(Class<?> c) {
    return new Rejected(
        c.getName()
            + " is not allowed by the deserialization filter; allow it with "
            + allowMethod
            + "(\""
            + (c.getPackageName().isEmpty() ? c.getName() : c.getPackageName() + ".*")
            + "\")");
  }

  /** Thrown by the filter so that the rejection names the class; the stream wraps it. */
  public static final class Rejected extends SecurityException {
    private static final long serialVersionUID = 1L;

    Rejected(String message) {
      super(message);
    }
  }
}
