package io.jfutures.impl.internal.jvm;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * Streams over a channel that read and write without a shared lock. {@code
 * java.nio.channels.Channels.newInputStream} holds a socket channel's blocking lock while it reads
 * (on JDK 17), which would stop the other thread from writing to the same socket.
 *
 * <p>A write of at most {@link #STAGED} bytes is copied into the stream's own direct buffer and
 * written from there, one write at a time (the buffer's lock). A heap array passed to the channel
 * is copied into a temporary direct buffer that NIO takes from a per-thread cache and gives back
 * after each write: for the small frames of a queue's puts, that round trip was most of the Java
 * code on the write path, and its compiled form the largest thing a producing child's JIT built
 * (Q3's producers: the write method's C2 compilation 170-270 ms of compiler time before, 53-121
 * after; issue 17, session 25).
 */
public final class ChannelStreams {
  /**
   * The most bytes one read or write passes to the channel. NIO copies a heap array through a
   * temporary direct buffer of the same size, kept per thread: a 10 MiB array was copied whole into
   * a 10 MiB buffer that no cache holds, and then read again by the kernel, and each thread kept
   * such a buffer. In slices, the copy the kernel reads is still in the cache.
   */
  static final int SLICE = 256 * 1024;

  /** The most bytes a write copies into the stream's own direct buffer. */
  static final int STAGED = 16 * 1024;

  private ChannelStreams() {}

  /** How a stream over a non-blocking channel waits until the channel can be read or written. */
  @FunctionalInterface
  public interface Readiness {
    void await() throws IOException;
  }

  public static InputStream in(ReadableByteChannel channel) {
    return in(channel, null);
  }

  public static OutputStream out(WritableByteChannel channel) {
    return out(channel, null);
  }

  /**
   * A stream that reads {@code channel}, which may be non-blocking: when it has nothing, {@code
   * whenEmpty} waits until it has (null for a blocking channel, which never has nothing).
   */
  public static InputStream in(ReadableByteChannel channel, Readiness whenEmpty) {
    return new InputStream() {
      private final byte[] one = new byte[1];

      @Override
      public int read() throws IOException {
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
          return 0;
        }
        ByteBuffer buffer = ByteBuffer.wrap(b, off, Math.min(len, SLICE));
        int n;
        while ((n = channel.read(buffer)) == 0 && whenEmpty != null) {
          whenEmpty.await();
        }
        return n;
      }

      @Override
      public void close() throws IOException {
        channel.close();
      }
    };
  }

  /**
   * A stream that writes {@code channel}, which may be non-blocking: when it takes nothing, {@code
   * whenFull} waits until it takes more (null for a blocking channel).
   */
  public static OutputStream out(WritableByteChannel channel, Readiness whenFull) {
    return new OutputStream() {
      /** Small writes, staged; allocated at the first (a direct buffer is zeroed and kept). */
      private ByteBuffer staged;

      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len <= STAGED) {
          writeStaged(b, off, len);
          return;
        }
        for (int end = off + len; off < end; off += SLICE) {
          writeAll(ByteBuffer.wrap(b, off, Math.min(SLICE, end - off)));
        }
      }

      private synchronized void writeStaged(byte[] b, int off, int len) throws IOException {
        if (staged == null) {
          staged = ByteBuffer.allocateDirect(STAGED);
        }
        staged.clear();
        staged.put(b, off, len).flip();
        writeAll(staged);
      }

      private void writeAll(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
          if (channel.write(buffer) == 0 && whenFull != null) {
            whenFull.await();
          }
        }
      }

      @Override
      public void close() throws IOException {
        channel.close();
      }
    };
  }

  /** Closes {@code closeable}, ignoring what it throws: used on paths that are already failing. */
  public static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // nothing more to do
    }
  }
}
