package io.jfutures.impl.internal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Creates directories only their owner may enter, with a random name: {@code
 * Files.createTempDirectory} with a given mode, without its {@code SecureRandom} (see {@link
 * RandomBytes}).
 */
public final class PrivateDirectories {
  /** How many names are tried before giving up: a clash of 64 random bits is not expected once. */
  private static final int ATTEMPTS = 100;

  private PrivateDirectories() {}

  /**
   * Creates a directory in {@code parent} named {@code prefix} and 16 random hex digits, with mode
   * {@code rwx------}.
   *
   * @return the new directory
   * @throws IOException if it cannot be created
   */
  public static Path create(Path parent, String prefix) throws IOException {
    for (int i = 1; ; i++) {
      Path dir = parent.resolve(prefix + RandomBytes.hex(8));
      try {
        return Files.createDirectory(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } catch (FileAlreadyExistsException e) {
        if (i == ATTEMPTS) {
          throw e;
        }
      }
    }
  }
}
