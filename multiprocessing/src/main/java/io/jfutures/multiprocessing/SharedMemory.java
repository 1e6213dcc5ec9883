package io.jfutures.multiprocessing;

import io.jfutures.impl.internal.RandomBytes;
import io.jfutures.impl.internal.jvm.JvmTree;
import io.jfutures.multiprocessing.internal.MappingWarmUp;
import java.io.IOException;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileChannel.MapMode;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;

/**
 * A named block of memory that processes share, as Python's {@code
 * multiprocessing.shared_memory.SharedMemory}: what one process writes, the others read at once,
 * with no copy and no message. On Linux a block is a file in {@code /dev/shm} (memory, never disk)
 * that only this user can open; every handle to it maps the same pages.
 *
 * <pre>{@code
 * try (SharedMemory block = SharedMemory.create(1 << 20)) {      // this process owns it
 *   block.buffer().putLong(0, 42);
 *   new JvmProcess(() -> System.out.println(block.buffer().getLong(0))).start().join();
 *   block.unlink();                                              // its name is gone
 * }
 * }</pre>
 *
 * <p>A handle is serializable: a child that receives one (as a target's captured value, say)
 * attaches to the same block by its name. {@link #attach} does the same by hand.
 *
 * <p><b>Who removes a block</b> (Python's fault F16 fixed). The process that created a block owns
 * it, and only the owner may {@link #unlink} it: an attacher's handle never removes it, however
 * that process ends. A block its owner never unlinked is removed when the program ends (when the
 * JVM the user started exits, whether or not the owner was a child that died before), with a line
 * on standard error naming it; if that JVM itself was killed, the next jfutures program to create a
 * block removes it.
 *
 * <p><b>Room</b> (a fault of Python's fixed). {@link #create} writes the block's zeros, so that the
 * system holds all of its memory before anyone maps it: where {@code /dev/shm} has no room for it
 * (a container's is 64 MiB unless told otherwise), {@code create} fails, saying how much is free.
 * Python's block, like any file that is only sized, gets its pages as they are first written, and a
 * page the system cannot give then kills the writing process with SIGBUS (a JVM's writer gets an
 * {@link InternalError}, at best), long after the call that asked for too much. The price: the
 * memory is taken at {@code create}, not as it is first used, and {@code create} takes the time to
 * zero it (about 35 ms per 100 MiB on a 2-vCPU VM, where the first writes through a new mapping
 * take ten times that either way).
 *
 * <p><b>Unlike Python's:</b> {@code create} and {@code attach} are two factories, not a flag; a
 * block's size is exactly what was asked for; {@link #close} does not unmap the memory at once (a
 * Java buffer cannot be unmapped safely while a thread may still use it): the pages go when the
 * handle and every buffer it gave are unreachable. A block larger than 2 GiB works, through {@link
 * #buffer(long, int)}; {@link #buffer()} refuses it.
 *
 * <p>Thread-safe. The buffers it returns are not: each caller gets its own view, with its own
 * position and limit, of the same memory. Ordering between processes is the caller's business, as
 * with plain fields between threads: use the typed shared values ({@link SharedIntArray} and its
 * kin) for atomic access.
 */
public final class SharedMemory implements AutoCloseable, Serializable {
  private static final long serialVersionUID = 1L;

  /** The longest name a block may have. */
  private static final int MAX_NAME = 200;

  /** How many zeros {@link #reserve} writes at a time. */
  private static final int RESERVE_CHUNK = 1 << 20;

  /** The largest block {@link #buffer()} maps whole: a Java buffer's limit. */
  static final long MAX_WHOLE = Integer.MAX_VALUE;

  /** The block's name, which is all of a handle that travels. */
  private final String name;

  private final transient long size;
  private final transient boolean owner;
  private final transient FileChannel channel;
  private final transient MappedByteBuffer whole; // null if larger than MAX_WHOLE
  private transient volatile boolean closed;
  private transient volatile boolean unlinked;

  private SharedMemory(String name, long size, boolean owner, FileChannel channel)
      throws IOException {
    this.name = name;
    this.size = size;
    this.owner = owner;
    this.channel = channel;
    MappingWarmUp.awaitIfStarted();
    this.whole = size <= MAX_WHOLE ? channel.map(MapMode.READ_WRITE, 0, size) : null;
  }

  /**
   * Creates a block of {@code size} bytes, all zero, with a new random name; this process owns it.
   *
   * @param size the block's size in bytes; positive
   * @return a handle to the new block, which owns it
   * @throws IllegalArgumentException if {@code size} is not positive
   * @throws UncheckedIOException if the system has no room for it
   */
  public static SharedMemory create(long size) {
    return create("jfutures_" + RandomBytes.hex(8), size);
  }

  /**
   * Creates a block named {@code name} of {@code size} bytes, all zero; this process owns it.
   *
   * @param name the block's name
   * @param size the block's size in bytes; positive
   * @return a handle to the new block, which owns it
   * @throws IllegalArgumentException if {@code size} is not positive, or {@code name} is not 1 to
   *     200 letters, digits, {@code _}, {@code .} or {@code -} (not starting with {@code .} or
   *     {@code -})
   * @throws UncheckedIOException wrapping {@link FileAlreadyExistsException} if a block of that
   *     name exists, or another {@link IOException} if the system has no room for it
   */
  public static SharedMemory create(String name, long size) {
    checkName(name);
    if (size <= 0) {
      throw new IllegalArgumentException(
          "a shared memory block's size must be positive, not " + size);
    }
    JvmTree.removeLeftovers();
    Path file = JvmTree.files().resolve(name);
    FileChannel channel;
    try {
      channel =
          FileChannel.open(
              file,
              Set.of(
                  StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE),
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException e) {
      throw new UncheckedIOException(
          "a shared memory block named "
              + name
              + " exists already: attach to it with SharedMemory.attach, or choose another name",
          e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create shared memory block " + name + ": " + e, e);
    }
    try {
      reserve(channel, size);
      JvmTree.belongs(file);
      return new SharedMemory(name, size, true, channel);
    } catch (IOException e) {
      undoCreate(channel, file, e); // first: the room told is then without this block's part
      throw new UncheckedIOException(
          "cannot create shared memory block "
              + name
              + " of "
              + size
              + " bytes: "
              + e
              + room(file.getParent(), size),
          e);
    } catch (RuntimeException | Error e) {
      undoCreate(channel, file, e);
      throw e;
    }
  }

  /**
   * Writes a new block's zeros, so that the file system holds every page of it before anyone maps
   * it: where it has no room, the write fails here. A block sized without them (a sparse file, as
   * Python's is) gets its pages at their first write through a mapping, and one that the file
   * system cannot give kills that writer: SIGBUS, an {@link InternalError} in Java.
   */
  private static void reserve(FileChannel channel, long size) throws IOException {
    ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(size, RESERVE_CHUNK));
    for (long at = 0; at < size; ) {
      zeros.clear().limit((int) Math.min(zeros.capacity(), size - at));
      at += channel.write(zeros, at);
    }
  }

  /** What a failed create adds to its message when {@code directory} has less room than asked. */
  private static String room(Path directory, long size) {
    try {
      long free = Files.getFileStore(directory).getUsableSpace();
      return free >= size
          ? ""
          : "; "
              + directory
              + " has "
              + free
              + " bytes free: unlink the blocks no longer used, ask for less, or give it more"
              + " room (a container's --shm-size)";
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  /** Closes and removes a block that failed to be made; what fails there joins {@code failure}. */
  private static void undoCreate(FileChannel channel, Path file, Throwable failure) {
    try {
      channel.close();
      JvmTree.remove(file);
    } catch (IOException suppressed) {
      failure.addSuppressed(suppressed);
    }
  }

  /**
   * Attaches to the block named {@code name}, which another handle created; this process does not
   * own it.
   *
   * @param name the block's name
   * @return a handle to the block, which does not own it
   * @throws IllegalArgumentException if {@code name} is not a valid block name
   * @throws UncheckedIOException wrapping {@link NoSuchFileException} if there is no such block
   */
  public static SharedMemory attach(String name) {
    checkName(name);
    Path file = JvmTree.files().resolve(name);
    try {
      FileChannel channel =
          FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
      try {
        return new SharedMemory(name, channel.size(), false, channel);
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException(
          "no shared memory block named "
              + name
              + ": it was never created, or its owner unlinked it, or the program that made it"
              + " has ended",
          e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot attach to shared memory block " + name + ": " + e, e);
    }
  }

  /**
   * Returns this block's name, by which other processes attach to it.
   *
   * @return the block's name
   */
  public String name() {
    return name;
  }

  /**
   * Returns this block's size in bytes.
   *
   * @return the block's size in bytes
   */
  public long size() {
    return size;
  }

  /**
   * Whether this handle created the block: only its owner may {@link #unlink} it.
   *
   * @return whether this handle created the block
   */
  public boolean isOwner() {
    return owner;
  }

  /**
   * Returns a view of the whole block: position 0, limit {@link #size}, big-endian, as a new buffer
   * each call.
   *
   * @return a new view of the whole block
   * @throws IllegalStateException if this handle is closed, or the block is larger than 2 GiB (use
   *     {@link #buffer(long, int)})
   */
  public ByteBuffer buffer() {
    checkOpen();
    if (whole == null) {
      throw new IllegalStateException(
          "shared memory block "
              + name
              + " has "
              + size
              + " bytes, more than one Java buffer holds (2 GiB): view it in parts with"
              + " buffer(offset, length)");
    }
    return whole.duplicate();
  }

  /**
   * Returns a view of {@code length} bytes of the block from {@code offset}: position 0, limit
   * {@code length}, big-endian.
   *
   * @param offset where the part starts, in bytes from the start of the block
   * @param length the part's length in bytes
   * @return a new view of the part
   * @throws IndexOutOfBoundsException if the part is not inside the block
   * @throws IllegalStateException if this handle is closed
   */
  public ByteBuffer buffer(long offset, int length) {
    checkOpen();
    Objects.checkFromIndexSize(offset, length, size);
    if (whole != null) {
      return whole.slice((int) offset, length);
    }
    try {
      MappingWarmUp.awaitIfStarted();
      return channel.map(MapMode.READ_WRITE, offset, length);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot map part of shared memory block " + name, e);
    }
  }

  /**
   * Removes the block's name, so that no process can attach to it any more; the handles that have
   * it keep their memory until they close. Only the owner may; a second call does nothing.
   *
   * @throws IllegalStateException if this handle is not the block's owner
   */
  public void unlink() {
    if (!owner) {
      throw new IllegalStateException(
          "only the process that created shared memory block "
              + name
              + " may unlink it; this handle attached to it. Close it instead, and let the owner"
              + " unlink it");
    }
    if (unlinked) {
      return;
    }
    unlinked = true;
    try {
      JvmTree.remove(JvmTree.files().resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unlink shared memory block " + name + ": " + e, e);
    }
  }

  /**
   * Closes this handle: it gives no more buffers. The block stays, and so do the buffers already
   * given (the memory is freed when they are unreachable). Closing twice does nothing.
   */
  @Override
  public void close() {
    closed = true;
    try {
      channel.close();
    } catch (IOException e) {
      // a mapping does not need its channel
    }
  }

  /**
   * Whether {@link #close} was called.
   *
   * @return whether {@link #close} was called
   */
  public boolean isClosed() {
    return closed;
  }

  @Override
  public String toString() {
    return "SharedMemory[" + name + ", " + size + " bytes" + (owner ? ", owner" : "") + "]";
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("shared memory handle " + name + " is closed");
    }
  }

  private static void checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (!validName(name)) {
      throw new IllegalArgumentException(
          "invalid shared memory block name '"
              + name
              + "': use 1 to 200 letters, digits, '_', '.' or '-', not starting with '.' or '-'");
    }
  }

  /**
   * Whether {@code name} is 1 to {@link #MAX_NAME} of {@code [A-Za-z0-9_.-]}, not starting with '.'
   * or '-'. Checked by hand rather than by a regex: a child's first attach (a hub's words) runs it
   * cold, where compiling a pattern cost a millisecond.
   */
  private static boolean validName(String name) {
    int n = name.length();
    if (n == 0 || n > MAX_NAME || name.charAt(0) == '.' || name.charAt(0) == '-') {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = name.charAt(i);
      boolean ok =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '.'
              || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * Travels as its name: the receiving process attaches.
   *
   * @return the handle's serialized form: its block's name
   */
  private Object writeReplace() {
    return new ByName(name);
  }

  /**
   * Refuses a handle read directly from a stream: a handle travels as its name.
   *
   * @param in the stream
   * @throws java.io.InvalidObjectException always
   */
  private void readObject(java.io.ObjectInputStream in) throws java.io.InvalidObjectException {
    throw new java.io.InvalidObjectException("a SharedMemory travels by name");
  }

  /** The serialized form of a handle: its block's name. */
  private static final class ByName implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String name;

    ByName(String name) {
      this.name = name;
    }

    private Object readResolve() throws ObjectStreamException {
      try {
        return attach(name);
      } catch (RuntimeException e) {
        java.io.InvalidObjectException failure =
            new java.io.InvalidObjectException(
                "cannot attach to shared memory block " + name + ": " + e.getMessage());
        failure.initCause(e);
        throw failure;
      }
    }
  }
}
