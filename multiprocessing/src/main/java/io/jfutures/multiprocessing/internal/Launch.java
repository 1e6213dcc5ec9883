package io.jfutures.multiprocessing.internal;

import io.jfutures.multiprocessing.JvmProcess;
import io.jfutures.multiprocessing.ProcessInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

/**
 * What the parent sends a new child: the process object, whose {@code run()} the child calls, and
 * who its parent is. Serialized on the thread that calls {@code start()}, so that a target that
 * cannot travel fails there.
 *
 * <p>On the wire: the process object, then the parent's name and pid. Neither this record nor
 * {@link ProcessInfo} is serialized as a record: a cold JVM's first record costs it some 60 ms of
 * method-handle set-up ({@code ObjectStreamClass.RecordSupport}), a third of a process's start.
 *
 * @param process the process, with its target and settings
 * @param parent the process that started it
 */
public record Launch(JvmProcess process, ProcessInfo parent) {

  /**
   * Returns this launch's bytes.
   *
   * @throws IllegalArgumentException if the process or its target cannot be serialized, naming the
   *     class and the fix
   */
  public byte[] toBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(process);
      out.writeUTF(parent.name());
      out.writeLong(parent.pid());
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
    try (ObjectInputStream in = Serialized.input(data)) {
      JvmProcess process = (JvmProcess) in.readObject();
      return new Launch(process, new ProcessInfo(in.readUTF(), in.readLong(), false));
    } catch (ClassNotFoundException e) {
      throw new IOException("cannot load the class of the process to run: " + e, e);
    }
  }
}
