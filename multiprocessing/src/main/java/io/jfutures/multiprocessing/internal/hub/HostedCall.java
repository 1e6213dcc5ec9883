package io.jfutures.multiprocessing.internal.hub;

import io.jfutures.impl.internal.CompactValues;
import io.jfutures.multiprocessing.internal.Serialized;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.StreamCorruptedException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;

/**
 * A call of a hosted object's method, as it travels to the hub: the method's name and parameter
 * types (as named by its interface) and the arguments. A final class, not a record: a cold JVM's
 * first record read costs tens of milliseconds.
 *
 * <p>A call whose arguments all have a {@link CompactValues} form (a dict's {@code put(1, 1)}, a
 * list's {@code append("x")}) travels without an object stream: {@link #CALL_MAGIC}, the method's
 * name, its parameter types' names, then each argument's length and compact form. Building and
 * reading an object stream per call was 40% of a manager's thread and 30% of its caller's in M1
 * ({@code benchmarks/README.md}). Any other call travels as a serialized object, read with {@link
 * Serialized}'s filter. The names are only ever looked up among the hosted type's methods.
 */
public final class HostedCall implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * What a call's own form starts with: beside an object stream's 0xACED and {@link Serialized}'s
   * compact values, so that neither is mistaken for it.
   */
  private static final byte[] CALL_MAGIC = {(byte) 0xAC, (byte) 0xEF};

  /** At most this many parameters, or arguments, in a call's own form (one byte each). */
  private static final int MAX_COMPACT_ARITY = 255;

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

  /**
   * Returns this call's bytes: its own form if every argument has a compact one, else an object
   * stream.
   *
   * @throws IllegalArgumentException as {@link Serialized#toBytes(Object, String)}: an argument
   *     cannot be serialized, or the call is too large
   */
  byte[] toBytes() {
    byte[] compact = compactForm();
    if (compact != null) {
      return compact;
    }
    try {
      return Serialized.toBytes(this, "cannot pass to " + this);
    } catch (IllegalArgumentException e) {
      // Name the argument, not this call's own class: try each alone (only on this failing path).
      for (int i = 0; i < args.length; i++) {
        Serialized.toBytes(args[i], "cannot pass argument " + (i + 1) + " to " + this + ",");
      }
      throw e; // the arguments travel alone, but not together (too large, say)
    }
  }

  /** Returns this call's own form, or null if it has none. */
  private byte[] compactForm() {
    if (parameterTypes.length > MAX_COMPACT_ARITY || args.length > MAX_COMPACT_ARITY) {
      return null;
    }
    byte[][] forms = new byte[args.length][];
    long total = CALL_MAGIC.length + 3L * (2 + parameterTypes.length) + method.length();
    for (int i = 0; i < args.length; i++) {
      forms[i] = CompactValues.toBytes(args[i]);
      if (forms[i] == null) {
        return null;
      }
      total += Integer.BYTES + forms[i].length;
    }
    if (total > QueueBackend.MAX_ITEM_BYTES) {
      return null; // the object stream's path says that it is too large, and why
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    DataOutputStream out = new DataOutputStream(bytes);
    try {
      out.write(CALL_MAGIC);
      out.writeUTF(method);
      out.writeByte(parameterTypes.length);
      for (String type : parameterTypes) {
        out.writeUTF(type);
      }
      out.writeByte(args.length);
      for (byte[] form : forms) {
        out.writeInt(form.length);
        out.write(form);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // never: an array stream does not fail
    }
    return bytes.toByteArray();
  }

  /**
   * Reads a call from {@code bytes}, in either form.
   *
   * @throws IOException if they are neither, or an object stream of anything but a call
   */
  static HostedCall fromBytes(byte[] bytes) throws IOException {
    if (bytes.length < CALL_MAGIC.length
        || bytes[0] != CALL_MAGIC[0]
        || bytes[1] != CALL_MAGIC[1]) {
      if (Serialized.fromBytes(bytes) instanceof HostedCall call) {
        return call;
      }
      throw new StreamCorruptedException("not a call of a hosted object's method");
    }
    DataInputStream in =
        new DataInputStream(
            new ByteArrayInputStream(bytes, CALL_MAGIC.length, bytes.length - CALL_MAGIC.length));
    String method = in.readUTF();
    String[] types = new String[in.readUnsignedByte()];
    for (int i = 0; i < types.length; i++) {
      types[i] = in.readUTF();
    }
    Object[] args = new Object[in.readUnsignedByte()];
    for (int i = 0; i < args.length; i++) {
      int length = in.readInt();
      if (length < 0 || length > in.available()) {
        throw new StreamCorruptedException("a call's argument " + i + " is cut short");
      }
      args[i] = CompactValues.read(in.readNBytes(length), 0, length);
    }
    if (in.available() > 0) {
      throw new StreamCorruptedException(in.available() + " bytes after a call's arguments");
    }
    return new HostedCall(method, types, args);
  }

  @Override
  public String toString() {
    return method + "(" + String.join(", ", parameterTypes) + ")";
  }
}
