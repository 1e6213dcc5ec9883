package io.jfutures.impl.internal.process;

import java.io.IOException;
import java.util.concurrent.Callable;

/**
 * The task encoding a pool uses, exposed for microbenchmarks: one instance is one connection's
 * worth of class table, so repeated encodes cost what they cost inside a pool.
 */
public final class TaskEncoding {
  private final Codec.ClassTable table = new Codec.ClassTable(new ClassFilter(""));
  private final Codec.ClassIndex index =
      new Codec.ClassIndex(TaskEncoding.class.getClassLoader(), new ClassFilter(""), true);
  private int defined;
  private int functionsDefined;

  /**
   * Serializes {@code value} as a pool serializes a task.
   *
   * @throws IllegalStateException if it holds a byte array large enough to travel as a blob, which
   *     one array cannot hold
   */
  public byte[] encode(Object value) throws IOException {
    return (value instanceof Callable<?> call
            ? table.encodeTask(call)
            : table.encodeMessage(value, true))
        .toByteArray();
  }

  /** Reads back what {@link #encode} wrote, as a worker reads a task. */
  public Object decode(byte[] bytes) throws IOException, ClassNotFoundException {
    int size = table.size();
    if (size > defined) {
      for (Codec.ClassEntry entry : table.range(defined, size)) {
        index.define(entry);
      }
      defined = size;
    }
    int functions = table.functions.size();
    for (byte[] form : table.functions.range(functionsDefined, functions)) {
      index.functions.define(functionsDefined++, form);
    }
    return index.decode(bytes, 0, bytes.length);
  }
}
