package io.jfutures.impl.internal.jvm;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The tree of JVMs a program is made of, and the files that belong to it rather than to one JVM.
 * The tree is the JVM a user started (its root) and every JVM started through {@link ChildJvm}
 * below it, pool workers and processes alike. Its id names the root by pid and start time, so that
 * a pid the system has since reused does not pass for it; every child gets it in the environment
 * variable {@value #ENV}.
 *
 * <p>A file that must outlive the JVM that made it, but not the program (a shared memory block in
 * {@code /dev/shm}, say) is made in {@link #files} and {@linkplain #belongs marked} as the tree's:
 * an empty file of the same name in the directory {@code jfutures-tree-ID} beside it. The root
 * removes its tree's files when it exits, whichever JVM of the tree made them and whether it still
 * runs. A root that dies (kill -9 runs no shutdown hook) leaves them to the next program, which
 * removes them the first time it {@linkplain #removeLeftovers looks}.
 *
 * <pre>
 * A file: MADE (by its maker, created new) -> MARKED (belongs()) -> REMOVED (the file, then its
 * marker: by its maker, at the root's exit, or by a later program).
 * Invariant: a marker names only a file its tree created new, so no clean-up removes another
 * program's file. A crash between creating a file and marking it leaves that one file.
 * </pre>
 *
 * <p>Thread-safe.
 */
public final class JvmTree {
  /** The environment variable that carries the tree's id to every child JVM. */
  public static final String ENV = "JFUTURES_TREE";

  private static final String MARKERS_PREFIX = "jfutures-tree-";

  /**
   * This JVM's own id and its tree's, made on first use: a child that only attaches to a tree's
   * files ({@link #files}) never reads its process's start time or its environment.
   */
  private static final class Ids {
    static final String OWN = idOf(ProcessHandle.current());
    static final String TREE = treeFromEnvironment();
  }

  private static final Path FILES = filesDirectory();
  private static final AtomicBoolean LOOKED = new AtomicBoolean();
  private static final AtomicBoolean EXIT_HOOK = new AtomicBoolean();

  private JvmTree() {}

  /** Returns the id of the tree this JVM belongs to: its root's pid and start time. */
  public static String id() {
    return Ids.TREE;
  }

  /** Whether this JVM is its tree's root: no jfutures JVM started it. */
  public static boolean isRoot() {
    return Ids.TREE.equals(Ids.OWN);
  }

  /**
   * Whether the root that {@code id} names still runs. An id that cannot be read is taken for a
   * live one: only what surely belongs to a dead program is removed.
   */
  public static boolean isAlive(String id) {
    long pid;
    try {
      pid = Long.parseLong(id.substring(0, id.indexOf('-')));
    } catch (RuntimeException e) {
      return true;
    }
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .map(JvmTree::idOf)
        .map(id::equals)
        .orElse(false);
  }

  /**
   * Marks {@code file}, which this JVM has just created new, as the tree's: the root removes it
   * when it exits, if nobody did before.
   *
   * @throws IOException if the marker cannot be written (then the file is not the tree's)
   */
  public static void belongs(Path file) throws IOException {
    Path markers = markers(FILES, Ids.TREE);
    Files.createDirectories(
        markers,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    try {
      Files.createFile(markers.resolve(file.getFileName()));
    } catch (FileAlreadyExistsException e) {
      // left by a file of the same name this tree made and removed without its marker: still ours
    }
  }

  /** Removes {@code file}, which this tree made, and its marker. */
  public static void remove(Path file) throws IOException {
    Files.deleteIfExists(file);
    Files.deleteIfExists(markers(FILES, Ids.TREE).resolve(file.getFileName()));
  }

  /**
   * Returns the directory of the tree's files: {@code /dev/shm}, memory the system shares between
   * processes, where there is one; else the temporary directory.
   */
  public static Path files() {
    return FILES;
  }

  /**
   * Removes, the first time it is called in this JVM, the files of trees whose root died; and, at
   * the root, arranges to remove this tree's files when it exits. Call it before making a file that
   * {@link #belongs} to the tree.
   */
  public static void removeLeftovers() {
    if (!LOOKED.compareAndSet(false, true)) {
      return;
    }
    removeDeadTrees();
    childStarting();
  }

  /** Removes the files of trees whose root died. */
  static void removeDeadTrees() {
    try (DirectoryStream<Path> all = Files.newDirectoryStream(FILES, MARKERS_PREFIX + "*")) {
      for (Path markers : all) {
        String tree = markers.getFileName().toString().substring(MARKERS_PREFIX.length());
        if (!tree.equals(Ids.TREE) && !isAlive(tree)) {
          removeMarked(markers);
        }
      }
    } catch (IOException | RuntimeException e) {
      // unreadable, or another user's: left as it is
    }
  }

  /**
   * Arranges, at the root, to remove the tree's files when it exits: called before each child JVM
   * starts, since a child may make them.
   */
  static void childStarting() {
    if (isRoot() && EXIT_HOOK.compareAndSet(false, true)) {
      Runtime.getRuntime()
          .addShutdownHook(new Thread(JvmTree::removeOwnAtExit, "jfutures-tree-cleanup"));
    }
  }

  /** Files named so are the library's own, made and removed by it: removed without a word. */
  public static final String INTERNAL_PREFIX = "jfutures_internal_";

  private static void removeOwnAtExit() {
    List<String> removed = removeMarked(markers(FILES, Ids.TREE));
    removed.removeIf(name -> name.startsWith(INTERNAL_PREFIX));
    if (!removed.isEmpty()) {
      System.getLogger("io.jfutures.impl")
          .log(
              System.Logger.Level.WARNING,
              "removed "
                  + removed.size()
                  + " shared file(s) of this program that were never unlinked: "
                  + removed);
    }
  }

  /** Removes the files that a tree's markers name, the markers, and their directory. */
  static List<String> removeMarked(Path markers) {
    List<String> removed = new ArrayList<>();
    try (DirectoryStream<Path> all = Files.newDirectoryStream(markers)) {
      for (Path marker : all) {
        String name = marker.getFileName().toString();
        if (Files.deleteIfExists(markers.getParent().resolve(name))) {
          removed.add(name);
        }
        Files.deleteIfExists(marker);
      }
      Files.deleteIfExists(markers);
    } catch (IOException | RuntimeException e) {
      // gone already, or in use by a maker right now: the next look removes the rest
    }
    return removed;
  }

  private static Path markers(Path directory, String tree) {
    return directory.resolve(MARKERS_PREFIX + tree);
  }

  private static Path filesDirectory() {
    Path shm = Path.of("/dev/shm");
    return Files.isDirectory(shm) && Files.isWritable(shm)
        ? shm
        : Path.of(System.getProperty("java.io.tmpdir"));
  }

  private static String idOf(ProcessHandle process) {
    long start = process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    return process.pid() + "-" + start;
  }

  private static String treeFromEnvironment() {
    String inherited = System.getenv(ENV);
    return inherited != null && inherited.matches("[0-9]+-[0-9]+") ? inherited : Ids.OWN;
  }
}
