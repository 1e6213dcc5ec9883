package io.jfutures.multiprocessing.internal;

import io.jfutures.multiprocessing.JvmProcess;
import io.jfutures.multiprocessing.ProcessInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.Serializable;

/**
 * What the parent sends a new child: the process object, whose {@code run()} the child calls, and
 * who its parent is. Serialized on the thread that calls {@code start()}, so that a target that
 * cannot travel fails there.
 *
 * @param process the process, with its target and settings
 * @param parent the process that started it
 */
public record Launch(JvmProcess process, ProcessInfo parent) implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Returns this launch's bytes.
   *
   * @throws IllegalArgumentException if the process or its target cannot be serialized, naming the
   *     class and the fix
   */
  public byte[] toBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(this);
    } catch (NotSerializableException e) {
      throw new IllegalArgumentException(
          process.name()
              + " cannot be started: "
              + e.getMessage()
              + " is not serializable, and the target (or a field of a JvmProcess subclass) holds"
              + " one. A child JVM gets a copy of the target: let it capture only serializable"
              + " values, and pass shared objects as handles that travel (a Pipe or a queue).",
          e);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          process.name() + " cannot be started: its target cannot be serialized: " + e, e);
    }
    return bytes.toByteArray();
  }

  /**
   * Reads a launch. The bytes come from the parent, which proved itself by the token of the
   * channel.
   */
  static Launch fromBytes(byte[] data) throws IOException {
    return (Launch) Serialized.fromBytes(data);
  }
}
