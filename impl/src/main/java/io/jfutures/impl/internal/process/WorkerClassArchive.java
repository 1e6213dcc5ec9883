package io.jfutures.impl.internal.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A class-data-sharing archive of the JDK classes a worker loads, so that a worker JVM maps them
 * ready-made instead of finding, parsing and verifying each one: it makes a worker start about 30
 * ms sooner, and costs two cores less CPU when several start at once.
 *
 * <p>The archive is made on first use: the first worker of a JDK starts without it, and once a
 * second has passed (so as not to slow the first pool's start) a background {@code java
 * -Xshare:dump} makes it from the class list {@code worker-classes.txt}, which names JDK classes
 * only. That is why it serves any class path, directories included (an archive of application
 * classes would refuse them). It is kept in {@code $XDG_CACHE_HOME/jfutures/cds} (else {@code
 * ~/.cache/jfutures/cds}, or the directory the system property {@value #DIR_PROPERTY} names), one
 * file per JDK and class list, written to a temporary file and renamed into place, so that JVMs
 * making it at once do not see each other's halves.
 *
 * <p>Every failure falls back to a worker without the archive: a cache directory that cannot be
 * written, a dump that fails or takes over a minute. {@code -D}{@value #ENABLED_PROPERTY}{@code
 * =false} turns it off, and so does any class-data-sharing option among the pool's {@code
 * jvmOptions}. Thread-safe.
 */
final class WorkerClassArchive {
  /** Set to {@code false} to start workers without the archive. */
  static final String ENABLED_PROPERTY = "jfutures.worker.cds";

  /** The directory for archives, instead of the per-user cache. */
  static final String DIR_PROPERTY = "jfutures.worker.cds.dir";

  private static final String CLASS_LIST = "worker-classes.txt";
  private static final long CREATE_DELAY_MILLIS = 1_000;
  private static final long CREATE_TIMEOUT_SECONDS = 60;

  /** User options that choose their own sharing, or make a default archive unusable. */
  private static final List<String> CONFLICTING =
      List.of(
          "-Xshare",
          "SharedArchiveFile",
          "ArchiveClassesAtExit",
          "AutoCreateSharedArchive",
          "AOTCache",
          "AOTMode",
          "UseCompressed");

  /** Archives this JVM has set out to make: each is attempted once per JVM. */
  private static final Set<Path> ATTEMPTED = ConcurrentHashMap.newKeySet();

  private WorkerClassArchive() {}

  /**
   * Returns the options that make a worker run by {@code java} use the archive; none when it is
   * turned off, conflicts with {@code userOptions}, or does not exist yet (then it is made in the
   * background).
   */
  static List<String> optionsFor(Path java, List<String> userOptions) {
    if (!Boolean.parseBoolean(System.getProperty(ENABLED_PROPERTY, "true"))
        || userOptions.stream().anyMatch(o -> CONFLICTING.stream().anyMatch(o::contains))) {
      return List.of();
    }
    Optional<Path> archive;
    try {
      archive = archivePath(java);
    } catch (RuntimeException | LinkageError e) {
      return List.of(); // no class list, say: start without the archive
    }
    if (archive.isEmpty()) {
      return List.of();
    }
    Path path = archive.get();
    if (Files.isRegularFile(path)) {
      return List.of("-XX:SharedArchiveFile=" + path, "-Xshare:auto");
    }
    if (ATTEMPTED.add(path)) {
      CompletableFuture.delayedExecutor(
              CREATE_DELAY_MILLIS, TimeUnit.MILLISECONDS, WorkerClassArchive::daemon)
          .execute(() -> make(java, path));
    }
    return List.of();
  }

  private static void daemon(Runnable task) {
    Thread thread = new Thread(task, "jfutures-worker-archive");
    thread.setDaemon(true);
    thread.start();
  }

  /** Returns the archive for {@code java}, or empty if there is no cache directory. */
  static Optional<Path> archivePath(Path java) {
    Optional<Path> dir = directory();
    if (dir.isEmpty()) {
      return Optional.empty();
    }
    String key =
        java.toAbsolutePath().normalize()
            + "\n"
            + System.getProperty("java.vm.version")
            + "\n"
            + System.getProperty("java.vm.name")
            + "\n"
            + ClassList.SHA_256;
    return Optional.of(
        dir.get()
            .resolve(
                "worker-"
                    + sha256(key.getBytes(StandardCharsets.UTF_8)).substring(0, 24)
                    + ".jsa"));
  }

  private static Optional<Path> directory() {
    String configured = System.getProperty(DIR_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Path.of(configured));
    }
    String cache = System.getenv("XDG_CACHE_HOME");
    if (cache != null && !cache.isBlank() && Path.of(cache).isAbsolute()) {
      return Optional.of(Path.of(cache, "jfutures", "cds"));
    }
    String home = System.getProperty("user.home");
    if (home == null || home.isBlank() || home.equals("?")) {
      return Optional.empty();
    }
    return Optional.of(Path.of(home, ".cache", "jfutures", "cds"));
  }

  /**
   * Makes the archive at {@code path} with {@code java}; returns whether it now exists. Never
   * throws: a worker simply starts without it.
   */
  static boolean make(Path java, Path path) {
    Path list = null;
    Path partial = null;
    Process dump = null;
    try {
      Files.createDirectories(path.getParent());
      String prefix = path.getFileName() + "." + ProcessHandle.current().pid() + ".";
      list = Files.createTempFile(path.getParent(), prefix, ".classlist");
      Files.write(list, ClassList.BYTES);
      partial = path.resolveSibling(prefix + "partial");
      dump =
          new ProcessBuilder(
                  java.toString(),
                  "-Xshare:dump",
                  "-XX:SharedClassListFile=" + list,
                  "-XX:SharedArchiveFile=" + partial,
                  "-Xlog:disable")
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      dump.getOutputStream().close();
      if (!dump.waitFor(CREATE_TIMEOUT_SECONDS, TimeUnit.SECONDS) || dump.exitValue() != 0) {
        return false;
      }
      try {
        Files.move(partial, path, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(partial, path, StandardCopyOption.REPLACE_EXISTING);
      }
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      if (dump != null) {
        dump.destroyForcibly();
      }
      deleteQuietly(list);
      deleteQuietly(partial);
    }
  }

  private static void deleteQuietly(Path path) {
    if (path != null) {
      try {
        Files.deleteIfExists(path);
      } catch (IOException e) {
        // a leftover temporary file in a cache directory
      }
    }
  }

  /** The class list and its digest, read once. */
  private static final class ClassList {
    static final byte[] BYTES = classList();
    static final String SHA_256 = sha256(BYTES);
  }

  private static byte[] classList() {
    try (InputStream in = WorkerClassArchive.class.getResourceAsStream(CLASS_LIST)) {
      if (in == null) {
        throw new IllegalStateException(CLASS_LIST + " is missing from the jfutures-impl jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }
}
