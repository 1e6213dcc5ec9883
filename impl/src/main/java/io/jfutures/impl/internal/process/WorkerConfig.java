package io.jfutures.impl.internal.process;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.StreamCorruptedException;

/**
 * What the pool tells a worker in its INIT frame: the worker's name, the user's deserialization
 * patterns, the heap bound it retires at, and the initializer, if any.
 *
 * <p>Written field by field, not as a serialized object: it is the first thing a worker reads, and
 * a serialized object cost a new worker's start its class descriptor and a serialization
 * constructor generated as bytecode. Only an initializer, the user's object, travels serialized, in
 * the pool's class table like a task.
 *
 * <pre>
 * payload := UTF workerName, UTF filterPatterns, long maxHeapBytes,
 *            int initializerLength (0: none), initializer's encoded bytes
 * </pre>
 */
final class WorkerConfig {
  private final String workerName;
  private final Runnable initializer;
  private final String filterPatterns;
  private final long maxHeapBytes;

  /**
   * @param workerName the worker's name, for its threads
   * @param initializer run once before the first task, or null
   * @param filterPatterns the user's deserialization patterns, or empty
   * @param maxHeapBytes retire after a task that leaves more heap in use than this, or 0
   */
  WorkerConfig(String workerName, Runnable initializer, String filterPatterns, long maxHeapBytes) {
    this.workerName = workerName;
    this.initializer = initializer;
    this.filterPatterns = filterPatterns;
    this.maxHeapBytes = maxHeapBytes;
  }

  String workerName() {
    return workerName;
  }

  Runnable initializer() {
    return initializer;
  }

  String filterPatterns() {
    return filterPatterns;
  }

  long maxHeapBytes() {
    return maxHeapBytes;
  }

  /**
   * Returns the INIT frame's payload; the initializer's classes join {@code table}, so that the
   * frame's header defines them.
   *
   * @throws IOException if the initializer cannot be serialized
   */
  Codec.Payload encode(Codec.ClassTable table) throws IOException {
    Codec.Payload payload = new Codec.Payload();
    DataOutputStream out = new DataOutputStream(payload);
    out.writeUTF(workerName);
    out.writeUTF(filterPatterns);
    out.writeLong(maxHeapBytes);
    if (initializer == null) {
      out.writeInt(0);
    } else {
      Codec.Payload encoded = table.encode(initializer);
      out.writeInt(encoded.size());
      out.flush();
      encoded.writeTo(payload);
    }
    out.flush();
    return payload;
  }

  /**
   * Reads an INIT frame's payload.
   *
   * @throws IOException if it is cut short or malformed
   * @throws ClassNotFoundException if the initializer's class cannot be found
   */
  static WorkerConfig decode(byte[] payload, Codec.ClassIndex index)
      throws IOException, ClassNotFoundException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
    String workerName = in.readUTF();
    String filterPatterns = in.readUTF();
    long maxHeapBytes = in.readLong();
    int length = in.readInt();
    int at = payload.length - in.available();
    if (length < 0 || length != payload.length - at) {
      throw new StreamCorruptedException(
          "an INIT frame's initializer is "
              + length
              + " bytes long, and "
              + (payload.length - at)
              + " follow");
    }
    Runnable initializer = length == 0 ? null : (Runnable) index.decode(payload, at, length);
    return new WorkerConfig(workerName, initializer, filterPatterns, maxHeapBytes);
  }
}
