package io.jfutures.impl.internal.process;

import io.jfutures.impl.internal.jvm.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The compiler directive that keeps C2 off jfutures' own classes in a child JVM whose hot path is
 * the library's calls to other processes: a {@code JvmProcess}'s puts, takes, sends and lock calls.
 * C1 compiles them (with profiling first, as every method, then without it where C2 would have
 * taken over); C2 compiles everything else as usual, the user's code included.
 *
 * <p>Why: on a machine with few CPUs, a fresh child's C2 competes with the child's own work. In a
 * queue's producer C2 inlined 194 methods into {@code ProcessQueue.put} (most of them the {@code
 * VarHandle} accesses to the ring in shared memory); a consumer's C2 compiled its get, its frame
 * reader and its client's dispatch, all within the first 100,000 items. Those paths wait on system
 * calls and wake-ups, which C2's code does not make faster. With this directive, three alternating
 * rounds on 2 vCPUs (issue 17, session 35): a lock taken by two processes in turn 1.6-2.3 M times a
 * second against 1.0-1.6 M, a shared value incremented under its lock 1.6-2.0 M against 1.2-1.4 M,
 * a fresh pair's 100,000 queued ints 183-295k items a second against 166-230k, four producers to
 * one 186-228k against 161-200k; a manager's dict called from two children 3-10% slower. Not for a
 * pool's workers, whose task loop C2 makes faster ({@code applyAsync} lost 15-35% when they had
 * it), nor for a manager's JVM, which serves calls all its life.
 *
 * <p>The directive is a file, which the JVM reads at start: a child started with a path that does
 * not exist would not start at all. So it is written beside the class archives (the same directory,
 * {@link WorkerClassArchive}), under a name made from its content, and written again if it has gone
 * before each child that names it. Where it cannot be written, a child starts without it. The JVM
 * prints "2 compiler directives added" on the child's standard output as it reads the file; the
 * parent drops that line ({@code ChildJvm}).
 *
 * <p>{@code -D}{@value #PROPERTY}{@code =false} turns it off; so does a {@code
 * -XX:CompilerDirectivesFile} among a process's own JVM options (a JVM reads one such file).
 * Thread-safe: writers, each with a temporary file of its own, race only to rename the same bytes
 * into place.
 */
public final class LibraryDirectives {
  /** Set to {@code false} to give children no directive: C2 then compiles jfutures' code too. */
  public static final String PROPERTY = "jfutures.process.libraryDirectives";

  /** The option that names a directives file. */
  public static final String FILE_OPTION = ChildJvm.DIRECTIVES_FILE_OPTION;

  /** {@code CompilerDirectivesFile} is a diagnostic option. */
  static final String UNLOCK = "-XX:+UnlockDiagnosticVMOptions";

  /**
   * jfutures' own packages, the library's code and never a user's, but for the shared values and
   * arrays ({@code SharedInt}, {@code SharedDoubleArray}, ...): their accessors are what a user's
   * loop calls, and C2 inlines a method into its callers only where it may compile it (with them
   * excluded too, a child's loop of atomic increments ran a quarter slower in one round of three).
   * The first directive that matches a method is the one that applies.
   */
  static final String DIRECTIVES =
      "[\n"
          + "  { match: [\"io/jfutures/multiprocessing/Shared*.*\"], c2: { Exclude: false } },\n"
          + "  {\n"
          + "    match: [\"io/jfutures/api/*.*\", \"io/jfutures/spi/*.*\","
          + " \"io/jfutures/impl/*.*\", \"io/jfutures/multiprocessing/*.*\"],\n"
          + "    c2: { Exclude: true }\n"
          + "  }\n"
          + "]\n";

  /** Writes of the file by this JVM: part of each temporary file's name. */
  private static final AtomicLong WRITES = new AtomicLong();

  private LibraryDirectives() {}

  /**
   * Returns the options that give a child the directive, to put before {@code userOptions}; none if
   * it is turned off, the user names a directives file of their own, or the file cannot be written.
   */
  public static List<String> options(List<String> userOptions) {
    if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))
        || userOptions.stream().anyMatch(o -> o.startsWith(FILE_OPTION))) {
      return List.of();
    }
    return WorkerClassArchive.directory()
        .flatMap(LibraryDirectives::ensureFile)
        .map(file -> List.of(UNLOCK, FILE_OPTION + file))
        .orElse(List.of());
  }

  /** Returns the file in {@code dir}, written now if it is not there; empty if it cannot be. */
  static Optional<Path> ensureFile(Path dir) {
    byte[] bytes = DIRECTIVES.getBytes(StandardCharsets.UTF_8);
    Path file =
        dir.resolve("library-directives-" + WorkerClassArchive.digest(DIRECTIVES) + ".json");
    if (Files.isRegularFile(file)) {
      return Optional.of(file);
    }
    // Each writer its own temporary name (two threads of one JVM may both find the file gone).
    Path temp =
        dir.resolve(
            file.getFileName()
                + "."
                + ProcessHandle.current().pid()
                + "-"
                + WRITES.incrementAndGet()
                + ".tmp");
    try {
      Files.createDirectories(dir);
      Files.write(temp, bytes);
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      return Optional.of(file);
    } catch (IOException | SecurityException e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // a few bytes left in a cache directory
      }
      return Optional.empty();
    }
  }
}
