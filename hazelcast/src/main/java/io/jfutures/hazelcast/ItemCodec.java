package io.jfutures.hazelcast;

import io.jfutures.impl.internal.process.ClassFilter;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Set;

/**
 * The items of a cluster queue as they are stored: serialized by {@link TaskCodec}, read back
 * through the {@link ClassFilter} of the {@link ClusterObjects} they came from, which learns the
 * classes this JVM wrote. Thread-safe.
 */
final class ItemCodec {
  private final ClassFilter filter;
  private final String what;

  /**
   * @param what how messages name the queue, as {@code cluster queue jobs}
   */
  ItemCodec(ClassFilter filter, String what) {
    this.filter = filter;
    this.what = what;
  }

  byte[] encode(Object item) {
    Objects.requireNonNull(item, what + " holds no null item");
    try {
      Set<String> classes = TaskCodec.newClassSet();
      byte[] bytes = TaskCodec.write(item, classes);
      classes.forEach(filter::learn);
      return bytes;
    } catch (NotSerializableException e) {
      throw new IllegalArgumentException(
          "cannot put the item on " + what + ": " + e.getMessage() + " is not serializable", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked") // items are put as E by the queue that reads them
  <E> E decode(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    try {
      return (E) TaskCodec.read(bytes, 0, filter, TaskCodec.loader());
    } catch (IOException | ClassNotFoundException e) {
      throw new IllegalStateException(
          "cannot read an item of "
              + what
              + ": "
              + (e.getCause() != null ? e.getCause().getMessage() : e.toString()),
          e);
    }
  }
}
