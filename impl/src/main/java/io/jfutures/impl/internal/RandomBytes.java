package io.jfutures.impl.internal;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Random bytes for tokens, challenges and names, from the kernel's generator ({@code
 * /dev/urandom}), as Python's {@code os.urandom} gives multiprocessing its keys. Where there is no
 * such device, from a {@link SecureRandom} made on first need.
 *
 * <p>Not a {@code SecureRandom} where the device is there: a JVM's first one sets up the security
 * providers, 17-30 ms of a cold JVM's CPU, which every program paid as it started its first child
 * and again as it made its first queue, lock or pipe (its hub's token, and the hub's directory:
 * {@code Files.createTempDirectory} makes one too). On Linux, {@code SecureRandom}'s default reads
 * this same device.
 *
 * <p>Thread-safe; no state.
 */
public final class RandomBytes {
  static final String DEVICE = "/dev/urandom";

  private RandomBytes() {}

  /** The fallback, made on first need: a holder, so that the usual path never loads it. */
  private static final class Fallback {
    static final SecureRandom RANDOM = new SecureRandom();
  }

  /** Returns {@code count} random bytes. */
  public static byte[] of(int count) {
    return of(count, DEVICE);
  }

  /** Returns {@code count} random bytes as {@code 2 * count} lower-case hex digits. */
  public static String hex(int count) {
    return HexFormat.of().formatHex(of(count));
  }

  /** As {@link #of(int)}, reading {@code device}: for tests of the fallback. */
  static byte[] of(int count, String device) {
    byte[] bytes = new byte[count];
    try (InputStream in = new FileInputStream(device)) {
      if (in.readNBytes(bytes, 0, count) == count) {
        return bytes;
      }
    } catch (IOException | SecurityException e) {
      // no such device here (Windows), or not readable: the fallback below
    }
    Fallback.RANDOM.nextBytes(bytes);
    return bytes;
  }
}
