package io.jfutures.hazelcast;

import io.jfutures.api.RemoteTaskException;
import io.jfutures.impl.internal.process.ClassFilter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.OutputStream;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Java serialization of tasks, results and exceptions as they cross between a submitter and a
 * member, with the same allow-list a process pool applies: what is read passes a {@link
 * ClassFilter}, and the writer notes every class it writes, so that the reader (and the writer's
 * own filter, for what comes back) can allow their packages.
 *
 * <p>An outcome is one tag byte, then the object: {@link #RESULT} and the task's return value, or
 * {@link #FAILURE} and what it threw (a {@link RemoteTaskException} in its place when that cannot
 * be serialized).
 *
 * <p>Stateless; thread-safe.
 */
final class TaskCodec {
  static final byte RESULT = 0;
  static final byte FAILURE = 1;

  /** The tag of an outcome that is the executor's initializer's exception, not the task's. */
  static final byte INIT_FAILURE = 2;

  /** The call a rejection tells the user to make. */
  static final String ALLOW_METHOD = "BackendExecutor.newBuilder(backend).allowClasses";

  private TaskCodec() {}

  /** Serializes {@code value}, adding the name of each class written to {@code classes}. */
  static byte[] write(Object value, Set<String> classes) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (NotingStream out = new NotingStream(bytes, classes)) {
      out.writeObject(value);
    }
    return bytes.toByteArray();
  }

  /** Serializes an outcome: a tag, then the value or the exception. */
  static byte[] writeOutcome(byte tag, Object value) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    bytes.write(tag);
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    return bytes.toByteArray();
  }

  /** Serializes a task's exception, or a {@link RemoteTaskException} in its place. */
  static byte[] writeFailure(Throwable t) throws IOException {
    return writeFailure(FAILURE, t);
  }

  /**
   * Serializes, tagged {@code tag} ({@link #FAILURE} or {@link #INIT_FAILURE}), an exception, or a
   * {@link RemoteTaskException} in its place.
   */
  static byte[] writeFailure(byte tag, Throwable t) throws IOException {
    try {
      return writeOutcome(tag, t);
    } catch (NotSerializableException e) {
      return writeOutcome(tag, standIn(t));
    }
  }

  private static RemoteTaskException standIn(Throwable t) {
    return new RemoteTaskException(
        t.getClass().getName(),
        t.getMessage(),
        t.getStackTrace(),
        t.getCause() == null ? null : standIn(t.getCause()));
  }

  /**
   * Returns the class loader that reads tasks, results and items: the thread's context loader (a
   * member's or an application server's), else the one that loaded jfutures.
   */
  static ClassLoader loader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : TaskCodec.class.getClassLoader();
  }

  /**
   * Reads what {@link #write} wrote, through {@code filter}, resolving classes in {@code loader}.
   */
  static Object read(byte[] data, int offset, ClassFilter filter, ClassLoader loader)
      throws IOException, ClassNotFoundException {
    try (FilteredStream in =
        new FilteredStream(new ByteArrayInputStream(data, offset, data.length - offset), loader)) {
      in.setObjectInputFilter(filter);
      return in.readObject();
    }
  }

  /** Notes every class (and proxy interface) it writes. */
  private static final class NotingStream extends ObjectOutputStream {
    private final Set<String> classes;

    NotingStream(OutputStream out, Set<String> classes) throws IOException {
      super(out);
      this.classes = classes;
    }

    @Override
    protected void annotateClass(Class<?> cl) {
      classes.add(cl.getName());
    }

    @Override
    protected void annotateProxyClass(Class<?> cl) {
      for (Class<?> i : cl.getInterfaces()) {
        classes.add(i.getName());
      }
    }
  }

  /** Resolves classes in a given loader, as the member's or the submitter's code sees them. */
  private static final class FilteredStream extends ObjectInputStream {
    private final ClassLoader loader;

    FilteredStream(InputStream in, ClassLoader loader) throws IOException {
      super(in);
      this.loader = loader;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc)
        throws IOException, ClassNotFoundException {
      try {
        return Class.forName(desc.getName(), false, loader);
      } catch (ClassNotFoundException e) {
        return super.resolveClass(desc); // primitives' names, and the JDK's own loader
      }
    }
  }

  /** Returns the class names noted while writing, for a reader's filter. */
  static Set<String> newClassSet() {
    return new LinkedHashSet<>();
  }
}
