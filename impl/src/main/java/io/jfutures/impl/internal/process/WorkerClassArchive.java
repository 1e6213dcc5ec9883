package io.jfutures.impl.internal.process;

import io.jfutures.impl.internal.jvm.ArchiveLearning;
import io.jfutures.impl.internal.jvm.BackgroundProcess;
import io.jfutures.impl.internal.jvm.ChildClassPath;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes.Name;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.Adler32;
import java.util.zip.CRC32;

/**
 * A class-data-sharing archive that a worker JVM maps at start, so that it gets its classes
 * ready-made instead of finding, parsing and verifying each one. There are three kinds:
 *
 * <ul>
 *   <li>When the class path holds only jars, on JDK 25 and later, an <em>ahead-of-time cache</em>
 *       ({@code -XX:AOTCache}, JEP 483 and 515): the JDK's classes and jfutures' own, loaded and
 *       linked, with the method profiles of a worker's first tasks. A training run makes it: {@code
 *       java -XX:AOTCacheOutput=... WorkerTraining} drives the real worker loop over a real socket.
 *       A worker starts about 60 ms sooner than with none (two starting at once on two cores).
 *   <li>When the class path holds only jars, on JDK 17 to 24, an archive of the classes the same
 *       training run loads ({@code -XX:DumpLoadedClassList}, then {@code -Xshare:dump}), jfutures'
 *       own among them: about 20 ms sooner than the next kind.
 *   <li>Otherwise, an archive of the JDK classes a worker loads, dumped by {@code java
 *       -Xshare:dump} from the class list {@code worker-classes.txt}. It serves any class path,
 *       directories included (the JDK refuses to archive classes from a directory): about 30 ms
 *       sooner than none.
 * </ul>
 *
 * <p>A trained one then learns the application's own classes, which no training can know: the first
 * child of each JVM that maps it records what it loads, and its exit has the archive made again
 * with the classes it lacked ({@link ArchiveLearning}; {@code -D}{@value #LEARN_PROPERTY} {@code
 * =false} turns that off). A worker whose task's class came from a 4,000-entry jar started in 49 ms
 * of CPU; with that class in its archive, 38 ms (JDK 17 and 25, issue 17, session 26).
 *
 * <p>Each is made on first use: the first workers start without one, and a background JVM makes it
 * at once, at the lowest CPU priority ({@code nice -n 19} where there is one), so that it takes
 * only the CPU the first pool's start leaves and is ready for the next pool, even in a program that
 * runs for a second. It used to start a second later, in a thread of the asking JVM, and a short
 * program exited before it began. It is kept in {@code $XDG_CACHE_HOME/jfutures/cds} (else {@code
 * ~/.cache/jfutures/cds}, or the directory the system property {@value #DIR_PROPERTY} names), one
 * file per JDK and, for a trained one, per class path (each jar's size and time), {@code -X}
 * options and kind of child ({@link Child}), written to a temporary file and renamed into place, so
 * that JVMs making it at once do not see each other's halves. A trained one is made by a maker JVM
 * of its own ({@link #main}), so that it is finished even if the JVM that asked for it exits first,
 * started detached where there is a {@code /bin/sh} ({@link BackgroundProcess}): a JVM waits up to
 * 300 ms at exit for a child it started, and a short program's first run did. A maker that fails
 * marks it beside the archive ({@link #recordOutcome}); for ten minutes no JVM asks again. Trained
 * ones go stale as jars are rebuilt: the {@value #KEEP_CACHES} most recently used of each kind are
 * kept (JDK 25's caches and JDK 17's archives apart, so that one JDK's use never prunes the
 * other's), and older ones deleted. A JVM that exits while it makes a JDK-class archive leaves it
 * unmade (the next JVM tries again) and a temporary file that a later maker deletes.
 *
 * <p>Every failure falls back to a worker without the archive: a cache directory that cannot be
 * written, a dump or training that fails or takes over a minute, a cache the JVM finds does not
 * match (it then starts without it; {@link #checkMapped} notices that once per archive, says so and
 * deletes the archive, so that it is made again). {@code -D}{@value #ENABLED_PROPERTY}{@code
 * =false} turns them off, and so does any class-data-sharing option among the pool's {@code
 * jvmOptions}. Thread-safe.
 */
public final class WorkerClassArchive {
  /** Set to {@code false} to start workers without the archive. */
  static final String ENABLED_PROPERTY = "jfutures.worker.cds";

  /** Set to {@code false} to keep trained archives from learning the application's classes. */
  static final String LEARN_PROPERTY = "jfutures.worker.cds.learn";

  /** The directory for archives, instead of the per-user cache. */
  static final String DIR_PROPERTY = "jfutures.worker.cds.dir";

  private static final String CLASS_LIST = "worker-classes.txt";

  private static final long CREATE_TIMEOUT_SECONDS = 60;
  private static final String TRAINING = WorkerTraining.class.getName();

  /** The first JDK whose {@code -XX:AOTCacheOutput} makes a cache in one run (JEP 514). */
  static final int AOT_FEATURE = 25;

  /**
   * How many trained archives of each kind to keep: one per class path and kind of child a user's
   * JVMs run.
   */
  static final int KEEP_CACHES = 8;

  /** A maker's temporary file older than this was left by a JVM that exited half-way. */
  private static final long LEFTOVER_AGE_MILLIS = TimeUnit.MINUTES.toMillis(10);

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

  /** Caches this JVM failed to make: their workers use the JDK-class archive instead. */
  private static final Set<Path> FAILED = ConcurrentHashMap.newKeySet();

  /**
   * The jars each jar's manifest names, by the jar's {@link #fingerprint}; empty if it names a
   * directory: every worker launch asks, and opening every jar each time would cost.
   */
  private static final Map<String, Optional<List<Path>>> MANIFEST_JARS = new ConcurrentHashMap<>();

  /** Caches this JVM has used, and marked as recently used. */
  private static final Set<Path> TOUCHED = ConcurrentHashMap.newKeySet();

  /** Trained archives one of this JVM's children records its classes for: one child each. */
  private static final Set<Path> RECORDED = ConcurrentHashMap.newKeySet();

  /** The archives a child of this JVM was seen to map, or not: each is checked once. */
  private static final Set<Path> CHECKED = ConcurrentHashMap.newKeySet();

  /** The options that name the archive a child maps. */
  private static final List<String> ARCHIVE_OPTIONS =
      List.of("-XX:SharedArchiveFile=", "-XX:AOTCache=");

  /**
   * The kind of child JVM an archive is trained for. A pool's worker maps one trained on the worker
   * loop alone; a {@code JvmProcess} maps one trained on that loop and every {@link TrainingStep}
   * (a process's start, a hub and its clients). One archive for both made every worker map the
   * toolbox's classes too, and relocate them at start: a worker started in 135 ms of CPU with its
   * own archive (10.6 MB) and 143 with the shared one (14.2 MB), its idle RSS 36.5 MiB against 39.6
   * (JDK 17, issue 17, session 16).
   */
  public enum Child {
    /** A process pool's worker: the worker loop. */
    WORKER,
    /** A {@code JvmProcess} and the toolbox's children: the worker loop and every training step. */
    PROCESS
  }

  /** The kinds of archive, by what they hold. */
  enum Kind {
    /** The JDK classes of {@code worker-classes.txt}: serves any class path. */
    JDK_CLASSES(".jsa"),
    /** The classes a training run loaded, jfutures' among them; JDK 17 to 24, jars only. */
    TRAINED_CLASSES(".app.jsa"),
    /** An ahead-of-time cache made by a training run; JDK 25 and later, jars only. */
    AOT_CACHE(".aot");

    final String suffix;

    Kind(String suffix) {
      this.suffix = suffix;
    }
  }

  /**
   * One archive: where it is, its kind, the {@code java} that makes and maps it, and for a trained
   * one the training's {@code -X} options and class path (its entries absolute).
   */
  record Archive(
      Path path, Kind kind, Child child, Path java, List<String> options, List<String> classPath) {
    boolean trained() {
      return kind != Kind.JDK_CLASSES;
    }

    /** The options that make a worker map it. */
    List<String> useOptions() {
      return kind == Kind.AOT_CACHE
          ? List.of("-XX:AOTCache=" + path)
          : List.of("-XX:SharedArchiveFile=" + path, "-Xshare:auto");
    }
  }

  private WorkerClassArchive() {}

  /**
   * Returns the options that make a child JVM use its archive; none when it is turned off,
   * conflicts with {@code jvmOptions}, or does not exist yet (then it is made in the background).
   *
   * @param child the kind of child, which its archive is trained for
   * @param java the child's {@code java}
   * @param jvmOptions the child's JVM options
   * @param classPath the child's class path entries
   * @param modulePath the child's module path entries
   */
  public static List<String> optionsFor(
      Child child,
      Path java,
      List<String> jvmOptions,
      List<String> classPath,
      List<String> modulePath) {
    if (!Boolean.parseBoolean(System.getProperty(ENABLED_PROPERTY, "true"))
        || jvmOptions.stream().anyMatch(o -> CONFLICTING.stream().anyMatch(o::contains))) {
      return List.of();
    }
    Optional<Archive> found;
    try {
      found = archiveFor(child, java, javaFeature(java), jvmOptions, classPath, modulePath);
    } catch (RuntimeException | LinkageError e) {
      return List.of(); // no class list, say: start without the archive
    }
    if (found.isEmpty()) {
      return List.of();
    }
    Archive archive = found.get();
    if (Files.isRegularFile(archive.path())) {
      if (archive.trained() && TOUCHED.add(archive.path())) {
        touch(archive.path());
      }
      if (archive.trained()
          && Boolean.parseBoolean(System.getProperty(LEARN_PROPERTY, "true"))
          && RECORDED.add(archive.path())) {
        // This child records what it loads, for the archive to learn the application's classes.
        List<String> options = new ArrayList<>(archive.useOptions());
        try {
          options.addAll(
              ArchiveLearning.recordingOptions(
                  archive.path(), makerArguments(archive), archive.kind() == Kind.TRAINED_CLASSES));
        } catch (IOException e) {
          // no maker: the archive keeps what it has
        }
        return options;
      }
      return archive.useOptions();
    }
    if (archive.trained()) {
      boolean failed = FAILED.contains(archive.path()) || failedLately(archive.path());
      if (!failed) {
        makeLater(archive);
      }
      // Until the trained one is made, or instead of it, the JDK-class archive serves.
      archive = jdkArchive(archive.path().getParent(), java);
      if (Files.isRegularFile(archive.path())) {
        return archive.useOptions();
      }
      if (!failed) {
        return List.of(); // one archive made at a time
      }
    }
    makeLater(archive);
    return List.of();
  }

  /**
   * Checks, once per archive in this JVM, that a child started with {@code options} (connected, so
   * past the JVM's start) mapped the archive they name, by its {@code /proc/PID/maps}. The JDK maps
   * no archive that does not match the child (it then starts without it, silently, about 100 ms of
   * CPU later; a class path written differently did that on JDK 17 until archives were made on
   * absolute paths); one that did not map is reported and deleted, so that the next child's start
   * makes it again. Nothing is decided where {@code /proc} does not tell, or the child is gone.
   *
   * @param options the child's JVM options
   * @param pid the child's pid
   */
  public static void checkMapped(List<String> options, long pid) {
    Optional<Path> named = namedArchive(options);
    if (named.isEmpty() || !CHECKED.add(named.get())) {
      return;
    }
    Path archive = named.get();
    String maps;
    try {
      maps = Files.readString(Path.of("/proc", Long.toString(pid), "maps"));
    } catch (IOException | RuntimeException e) {
      CHECKED.remove(archive); // gone, or no /proc: ask the next child
      return;
    }
    if (mapped(maps, archive)) {
      return;
    }
    System.getLogger("io.jfutures.impl")
        .log(
            System.Logger.Level.WARNING,
            "jfutures: child JVM "
                + pid
                + " did not map its class archive "
                + archive
                + " and started without it (about 100 ms of CPU more per start); the archive is"
                + " deleted, and made again at a later start. Run java -Xlog:cds with the child's"
                + " options to see why the JDK refused it.");
    try {
      Files.deleteIfExists(archive);
    } catch (IOException e) {
      // the next check, in another JVM, tries again
    }
  }

  /** Whether {@code maps}, a {@code /proc/PID/maps}, maps {@code archive}, named as it may be. */
  static boolean mapped(String maps, Path archive) {
    Path absolute = archive.toAbsolutePath().normalize();
    if (maps.contains(absolute.toString())) {
      return true;
    }
    try {
      return maps.contains(absolute.toRealPath().toString()); // through a symbolic link
    } catch (IOException e) {
      return true; // gone since (replaced by a maker): nothing to conclude
    }
  }

  /**
   * Whether {@code option} is one that {@link #optionsFor} adds: a class archive's, or a recording
   * child's ({@link ArchiveLearning}). They make a JVM start sooner, and matter not at all once it
   * runs: a JVM booted ahead without them serves as well as one with them.
   */
  public static boolean isArchiveOption(String option) {
    return option.equals("-Xshare:auto")
        || ARCHIVE_OPTIONS.stream().anyMatch(option::startsWith)
        || ArchiveLearning.isRecordingOption(option);
  }

  /** The archive that {@code options} make a child map, if any; the last one named wins. */
  static Optional<Path> namedArchive(List<String> options) {
    Optional<Path> named = Optional.empty();
    for (String option : options) {
      for (String prefix : ARCHIVE_OPTIONS) {
        if (option.startsWith(prefix)) {
          named = Optional.of(Path.of(option.substring(prefix.length())));
        }
      }
    }
    return named;
  }

  /**
   * Makes {@code archive} in the background, once per JVM, on a daemon thread that then ends (a
   * launcher that waits for its program's threads to end, as {@code mvn exec:java} does, is not
   * held up).
   */
  private static void makeLater(Archive archive) {
    if (ATTEMPTED.add(archive.path())) {
      daemon(
          () -> {
            boolean made;
            if (makerClassPath(archive).isEmpty()) {
              made = make(archive);
            } else if (BackgroundProcess.canDetach()) {
              made = startDetachedMaker(archive); // it leaves a mark if it fails
            } else {
              made = makeInMaker(archive);
            }
            if (!made && archive.trained()) {
              FAILED.add(archive.path()); // a jar whose manifest names a directory, say
            }
          });
    }
  }

  /**
   * Starts {@code archive}'s maker JVM detached, so that this JVM's exit does not wait for it (a
   * program that started one exited 300 ms late: see {@link BackgroundProcess}); returns whether it
   * started. A maker that fails leaves {@code A.failed} ({@link #recordOutcome}), which keeps JVMs
   * from asking for the archive again for ten minutes.
   */
  private static boolean startDetachedMaker(Archive archive) {
    try {
      BackgroundProcess.startDetached(makerCommand(archive));
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * In a maker, once it is done: a trained archive's learning moves on ({@link
   * ArchiveLearning#madeArchive}), and a failure (not a timeout) is marked beside the archive,
   * where a later JVM's {@link #optionsFor} sees it; a success clears the mark.
   */
  static void recordOutcome(Archive archive, Outcome outcome) {
    if (!archive.trained()) {
      return;
    }
    ArchiveLearning.madeArchive(archive.path(), outcome == Outcome.MADE);
    Path mark = failedMark(archive.path());
    try {
      if (outcome == Outcome.MADE) {
        Files.deleteIfExists(mark);
      } else if (outcome == Outcome.FAILED) {
        Files.write(mark, new byte[0]); // a timeout marks nothing: the next start tries again
      }
    } catch (IOException e) {
      // a later JVM tries again
    }
  }

  /** Whether a maker failed to make {@code archive} less than ten minutes ago. */
  static boolean failedLately(Path archive) {
    try {
      return System.currentTimeMillis() - Files.getLastModifiedTime(failedMark(archive)).toMillis()
          < LEFTOVER_AGE_MILLIS;
    } catch (IOException e) {
      return false; // no mark
    }
  }

  private static Path failedMark(Path archive) {
    return archive.resolveSibling(archive.getFileName() + ".failed");
  }

  /**
   * Makes {@code archive} in a maker JVM of its own ({@link #main}), which renames it into place
   * itself, and waits for it; returns whether it was made. A JVM that exits while the archive is
   * being made (a short program, a test run) used to leave the dump's output half-way, never
   * renamed; the maker finishes it. (The JDK-class archive was still made in-process, and on JDK 25
   * a program shorter than its dump, about 1.5 s, never got one: the directory kept a 12 MB partial
   * file per run.)
   */
  static boolean makeInMaker(Archive archive) {
    try {
      Process maker = startMaker(archive);
      try {
        maker.getOutputStream().close();
        return maker.waitFor(CREATE_TIMEOUT_SECONDS + 30, TimeUnit.SECONDS)
            && maker.exitValue() == 0;
      } finally {
        maker.destroyForcibly(); // its steps' own deadline passed long ago; gone already if done
      }
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Starts the maker JVM of {@code archive}; it runs on a trained archive's class path, or on this
   * class's own jar or directory for the JDK-class archive.
   *
   * @throws IOException also if this class's own location is not known (see {@link
   *     #makerClassPath})
   */
  static Process startMaker(Archive archive) throws IOException {
    return new ProcessBuilder(makerCommand(archive))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  /** The command of {@code archive}'s maker JVM, at the lowest CPU priority. */
  private static List<String> makerCommand(Archive archive) throws IOException {
    List<String> command = BackgroundProcess.lowPriority();
    command.add(archive.java().toString());
    command.addAll(makerArguments(archive));
    return command;
  }

  /**
   * The arguments of {@code archive}'s maker JVM after its {@code java}: its options, main class
   * and that class's arguments. A child that learned classes for the archive starts a maker with
   * the same ({@link ArchiveLearning}).
   *
   * @throws IOException if this class's own location is not known (see {@link #makerClassPath})
   */
  static List<String> makerArguments(Archive archive) throws IOException {
    List<String> arguments =
        new ArrayList<>(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xlog:disable"));
    arguments.add("-cp");
    arguments.add(
        makerClassPath(archive)
            .orElseThrow(() -> new IOException("the location of jfutures' classes is not known")));
    arguments.add(WorkerClassArchive.class.getName());
    arguments.add(archive.kind().name());
    arguments.add(archive.child().name());
    arguments.add(archive.path().toString());
    arguments.addAll(archive.options());
    return arguments;
  }

  /**
   * Returns the class path of {@code archive}'s maker JVM: a trained archive's own, or the jar or
   * directory this class was loaded from; empty if that is not a file (a custom class loader, a
   * jlinked image), in which case the archive is made in this JVM.
   */
  static Optional<String> makerClassPath(Archive archive) {
    if (archive.trained()) {
      return Optional.of(String.join(File.pathSeparator, archive.classPath()));
    }
    return ChildClassPath.location(WorkerClassArchive.class)
        .filter(Files::exists)
        .map(Path::toString);
  }

  /**
   * The maker JVM: {@code KIND CHILD PATH [OPTION...]} makes the archive {@code PATH} of that kind
   * for that kind of child and this JVM's {@code java} (and, if trained, its class path and the
   * children's {@code -X} options), and exits 0 if it did. Not for direct use.
   */
  public static void main(String[] args) {
    if (args.length < 3) {
      System.err.println("usage: WorkerClassArchive KIND CHILD PATH [OPTION...]");
      System.exit(2);
    }
    Archive archive =
        new Archive(
            Path.of(args[2]),
            Kind.valueOf(args[0]),
            Child.valueOf(args[1]),
            Path.of(System.getProperty("java.home"), "bin", "java"),
            List.of(args).subList(3, args.length),
            Kind.valueOf(args[0]) == Kind.JDK_CLASSES
                ? List.of() // its dump names no class path: the JDK's classes serve any
                : List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
    Outcome outcome = makeArchive(archive);
    recordOutcome(archive, outcome);
    System.exit(outcome == Outcome.MADE ? 0 : 1);
  }

  /** Returns the feature version of {@code java} if it is this JVM's own, else 0 (unknown). */
  private static int javaFeature(Path java) {
    Path own = Path.of(System.getProperty("java.home"), "bin", "java");
    return java.toAbsolutePath().normalize().equals(own.toAbsolutePath().normalize())
        ? Runtime.version().feature()
        : 0;
  }

  /** As {@link #archiveFor(Child, Path, int, List, List, List)} for a pool's worker. */
  static Optional<Archive> archiveFor(
      Path java,
      int feature,
      List<String> jvmOptions,
      List<String> classPath,
      List<String> modulePath) {
    return archiveFor(Child.WORKER, java, feature, jvmOptions, classPath, modulePath);
  }

  /**
   * Returns the archive a child with these settings uses: if its class path holds jars only, a
   * trained one for its kind of child (an ahead-of-time cache if {@code feature}, the child JDK's,
   * allows), else the JDK-class archive; empty if there is no cache directory.
   */
  static Optional<Archive> archiveFor(
      Child child,
      Path java,
      int feature,
      List<String> jvmOptions,
      List<String> classPath,
      List<String> modulePath) {
    Optional<Path> dir = directory();
    if (dir.isEmpty()) {
      return Optional.empty();
    }
    if (!trainable(feature, jvmOptions, classPath, modulePath)) {
      return Optional.of(jdkArchive(dir.get(), java));
    }
    Kind kind = feature >= AOT_FEATURE ? Kind.AOT_CACHE : Kind.TRAINED_CLASSES;
    List<String> options = jvmOptions.stream().filter(o -> o.startsWith("-X")).toList();
    StringBuilder key =
        new StringBuilder(jdkKey(java)).append('\n').append(kind).append('\n').append(child);
    options.forEach(o -> key.append('\n').append(o));
    // Keyed and trained by absolute path: JDK 17 maps an archive only if each class path entry it
    // was made with, as written then, names the same jar from the child's directory. One made on
    // "target/app.jar" was mapped by no child started elsewhere or naming "/x/target/app.jar" (the
    // same key), and those started without it, silently; one made on the absolute path maps for a
    // child that names the jar either way (JDK 25's cache as well).
    List<Path> jars = classPath.stream().map(e -> Path.of(e).toAbsolutePath().normalize()).toList();
    for (Path entry : jars) {
      try {
        key.append('\n').append(fingerprint(entry));
        // The JVM checks these too, and maps no archive if one changed: they are in the key, so
        // that a changed one makes a new archive rather than a worker that starts without one.
        for (Path jar : manifestJars(entry).orElseThrow(IOException::new)) {
          key.append('\n').append(Files.exists(jar) ? fingerprint(jar) : jar + " absent");
        }
      } catch (IOException e) {
        return Optional.of(jdkArchive(dir.get(), java)); // a jar vanished: keep it simple
      }
    }
    Path path = dir.get().resolve("worker-" + digest(key.toString()) + kind.suffix);
    List<String> trainedOn = jars.stream().map(Path::toString).toList();
    return Optional.of(new Archive(path, kind, child, java, options, trainedOn));
  }

  /**
   * Whether a worker can use a trained archive: its JDK is known, its class path holds jar files
   * only, and so do the {@code Class-Path} attributes of their manifests (the JDK refuses to
   * archive from a directory), it has no module path, and its options are plain {@code -X} and
   * {@code -D} options (no agents). Before JDK 25, no jar's path may hold a space: JDK 17 maps such
   * an archive and uses none of its classes from the class path (a one-class jar under "/tmp/sp
   * test": loaded from the jar, by relative, absolute or linked path; under "/tmp/nosp": from the
   * archive; JDK 25's cache serves both), so the JDK-class archive serves there instead of a
   * training and a learning that would buy nothing.
   */
  static boolean trainable(
      int feature, List<String> jvmOptions, List<String> classPath, List<String> modulePath) {
    return feature >= 17
        && modulePath.isEmpty()
        && !classPath.isEmpty()
        && classPath.stream().allMatch(WorkerClassArchive::isJar)
        && (feature >= AOT_FEATURE || classPath.stream().noneMatch(WorkerClassArchive::hasSpace))
        && jvmOptions.stream().allMatch(o -> o.startsWith("-X") || o.startsWith("-D"));
  }

  private static boolean hasSpace(String entry) {
    return Path.of(entry).toAbsolutePath().toString().indexOf(' ') >= 0;
  }

  private static boolean isJar(String entry) {
    if (!(entry.endsWith(".jar") || entry.endsWith(".zip"))) {
      return false;
    }
    return manifestJars(Path.of(entry)).isPresent();
  }

  /**
   * Returns the jars that the {@code Class-Path} attributes of {@code jar}'s manifest name, and
   * theirs in turn, as the JVM follows them (absent ones included: the JVM skips them, but one may
   * appear later); empty if a jar cannot be read or names a directory, as Surefire's booter jar
   * does.
   */
  private static Optional<List<Path>> manifestJars(Path jar) {
    List<Path> named = new ArrayList<>();
    Set<Path> seen = new HashSet<>();
    Path top = jar.toAbsolutePath().normalize();
    ArrayDeque<Path> toRead = new ArrayDeque<>(List.of(top));
    while (!toRead.isEmpty()) {
      Path next = toRead.poll();
      if (!seen.add(next) || (!next.equals(top) && !Files.isRegularFile(next))) {
        continue; // an absent library: the JVM skips it (and a missing top jar is not trainable)
      }
      Optional<List<Path>> direct;
      try {
        direct = MANIFEST_JARS.computeIfAbsent(fingerprint(next), f -> readClassPath(next));
      } catch (IOException e) {
        return Optional.empty();
      }
      if (direct.isEmpty()) {
        return Optional.empty();
      }
      named.addAll(direct.get());
      toRead.addAll(direct.get());
    }
    return Optional.of(List.copyOf(named));
  }

  /** Returns a jar's absolute path, size and time: what a trained archive is keyed by. */
  private static String fingerprint(Path jar) throws IOException {
    BasicFileAttributes attributes = Files.readAttributes(jar, BasicFileAttributes.class);
    if (!attributes.isRegularFile()) {
      throw new IOException(jar + " is not a file");
    }
    return jar.toAbsolutePath().normalize()
        + " "
        + attributes.size()
        + " "
        + attributes.lastModifiedTime().toMillis();
  }

  /**
   * The jars the {@code Class-Path} of {@code jar}'s own manifest names; see {@link #manifestJars}.
   */
  private static Optional<List<Path>> readClassPath(Path jar) {
    try (JarFile file = new JarFile(jar.toFile())) {
      Manifest manifest = file.getManifest();
      String classPath =
          manifest == null ? null : manifest.getMainAttributes().getValue(Name.CLASS_PATH);
      if (classPath == null || classPath.isBlank()) {
        return Optional.of(List.of());
      }
      URI base = jar.toAbsolutePath().getParent().toUri();
      List<Path> named = new ArrayList<>();
      for (String item : classPath.trim().split("\\s+")) {
        URI uri = base.resolve(item);
        if (!"file".equals(uri.getScheme())
            || item.endsWith("/")
            || Files.isDirectory(Path.of(uri))) {
          return Optional.empty();
        }
        named.add(Path.of(uri).normalize());
      }
      return Optional.of(named);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static void touch(Path path) {
    try {
      Files.setLastModifiedTime(path, FileTime.fromMillis(System.currentTimeMillis()));
    } catch (IOException e) {
      // it may be pruned sooner
    }
  }

  private static void daemon(Runnable task) {
    Thread thread = new Thread(task, "jfutures-worker-archive");
    thread.setDaemon(true);
    thread.start();
  }

  /** Returns the JDK-class archive for {@code java}, or empty if there is no cache directory. */
  static Optional<Path> archivePath(Path java) {
    return directory().map(dir -> archivePath(dir, java));
  }

  /** Returns the JDK-class archive for {@code java}: serves any class path. */
  static Archive jdkArchive(Path dir, Path java) {
    return new Archive(
        archivePath(dir, java), Kind.JDK_CLASSES, Child.WORKER, java, List.of(), List.of());
  }

  private static Path archivePath(Path dir, Path java) {
    return dir.resolve("worker-" + digest(jdkKey(java) + "\n" + ClassListHash.HASH) + ".jsa");
  }

  private static String jdkKey(Path java) {
    return java.toAbsolutePath().normalize()
        + "\n"
        + System.getProperty("java.vm.version")
        + "\n"
        + System.getProperty("java.vm.name");
  }

  static String digest(String key) {
    return hash(key.getBytes(StandardCharsets.UTF_8));
  }

  /** The directory of archives (and of {@link LibraryDirectives}' file), if this user has one. */
  static Optional<Path> directory() {
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

  /** How a maker's attempt ended. */
  enum Outcome {
    /** The archive exists now. */
    MADE,
    /** A step failed: the JDK refused it, a jar could not be read. Trying again soon is no use. */
    FAILED,
    /**
     * The machine was too busy for the niced maker to finish in time: worth trying again at the
     * next start. (Counting it as a failure kept a busy machine's workers off their archive for ten
     * minutes after a benchmark had held both CPUs for a minute.)
     */
    TIMED_OUT
  }

  /** A step of a maker that was still running at its deadline. */
  private static final class TimedOut extends IOException {
    private static final long serialVersionUID = 1L;

    TimedOut(List<String> command) {
      super("still running after " + CREATE_TIMEOUT_SECONDS + " s: " + command);
    }
  }

  /**
   * Makes {@code archive}; returns whether it now exists. Never throws: a worker simply starts
   * without it.
   */
  static boolean make(Archive archive) {
    return makeArchive(archive) == Outcome.MADE;
  }

  /** As {@link #make}, saying how it ended. */
  static Outcome makeArchive(Archive archive) {
    Path path = archive.path();
    Path list = null;
    Path partial = null;
    try {
      Files.createDirectories(path.getParent());
      // The pid alone is not unique where JVMs in containers share one cache directory.
      String prefix =
          path.getFileName()
              + "."
              + ProcessHandle.current().pid()
              + "-"
              + Integer.toHexString(ThreadLocalRandom.current().nextInt())
              + ".";
      partial = path.resolveSibling(prefix + "partial");
      if (archive.kind() != Kind.AOT_CACHE) {
        list = Files.createTempFile(path.getParent(), prefix, ".classlist");
      }
      String classPath = String.join(File.pathSeparator, archive.classPath());
      List<List<String>> steps = new ArrayList<>();
      switch (archive.kind()) {
        case AOT_CACHE:
          steps.add(trainingCommand(archive, "-XX:AOTCacheOutput=" + partial, classPath));
          break;
        case TRAINED_CLASSES:
          steps.add(trainingCommand(archive, "-XX:DumpLoadedClassList=" + list, classPath));
          break;
        case JDK_CLASSES:
        default:
          Files.write(list, ClassList.BYTES);
          steps.add(dumpCommand(archive, list, partial));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CREATE_TIMEOUT_SECONDS);
      for (List<String> step : steps) {
        if (!run(step, deadline)) {
          return Outcome.FAILED;
        }
      }
      if (archive.kind() == Kind.TRAINED_CLASSES
          && !dumpWithLearnedLambdas(archive, list, partial, classPath, deadline)) {
        return Outcome.FAILED;
      }
      if (!Files.isRegularFile(partial)) {
        return Outcome.FAILED;
      }
      ArchiveLearning.move(partial, path);
      prune(path.getParent(), KEEP_CACHES);
      return Outcome.MADE;
    } catch (TimedOut e) {
      return Outcome.TIMED_OUT;
    } catch (IOException | RuntimeException e) {
      return Outcome.FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Outcome.TIMED_OUT; // stopped, not refused
    } finally {
      deleteQuietly(list);
      deleteQuietly(partial);
      if (partial != null) {
        deleteQuietly(partial.resolveSibling(partial.getFileName() + ".config"));
      }
    }
  }

  /**
   * Dumps a trained archive from its training's class {@code list} and the lambda lines it has
   * learned ({@link ArchiveLearning#isLambdaLine}); if the JDK refuses those (a class changed
   * since), dumps from the training's list alone. Returns whether a dump succeeded.
   */
  private static boolean dumpWithLearnedLambdas(
      Archive archive, Path list, Path partial, String classPath, long deadline)
      throws IOException, InterruptedException {
    List<String> lambdas = new ArrayList<>();
    for (String line : ArchiveLearning.learned(archive.path())) {
      if (ArchiveLearning.isLambdaLine(line)) {
        lambdas.add(line);
      }
    }
    List<String> dump = dumpCommand(archive, list, partial, "-cp", classPath);
    if (!lambdas.isEmpty()) {
      byte[] trained = Files.readAllBytes(list);
      Files.write(list, lambdas, StandardOpenOption.APPEND);
      if (run(dump, deadline)) {
        return true;
      }
      Files.write(list, trained); // without them
    }
    return run(dump, deadline);
  }

  private static List<String> javaCommand(Archive archive, String... args) {
    List<String> command = new ArrayList<>();
    command.add(archive.java().toString());
    command.addAll(archive.options());
    command.add("-Xlog:disable");
    command.addAll(List.of(args));
    return command;
  }

  /** The training run of a trained archive: the worker loop, and for a process every step. */
  static List<String> trainingCommand(Archive archive, String output, String classPath) {
    List<String> command = javaCommand(archive, output, "-cp", classPath, TRAINING);
    if (archive.child() == Child.PROCESS) {
      command.add(WorkerTraining.WITH_STEPS);
    }
    // What the archive has learned, and a child asks it to learn: loaded by name, so archived.
    command.add(WorkerTraining.LEARNED);
    command.add(archive.path().toString());
    return command;
  }

  private static List<String> dumpCommand(Archive archive, Path list, Path out, String... args) {
    List<String> command =
        javaCommand(
            archive,
            "-Xshare:dump",
            "-XX:SharedClassListFile=" + list,
            "-XX:SharedArchiveFile=" + out);
    command.addAll(List.of(args));
    return command;
  }

  /**
   * Runs {@code command} at the lowest CPU priority, output discarded; returns whether it exited 0.
   *
   * @throws TimedOut if it was still running at the deadline (it is then killed)
   */
  private static boolean run(List<String> command, long deadline)
      throws IOException, InterruptedException {
    List<String> niced = BackgroundProcess.lowPriority();
    niced.addAll(command);
    Process process =
        new ProcessBuilder(niced)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      process.getOutputStream().close();
      if (!process.waitFor(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
        throw new TimedOut(command);
      }
      return process.exitValue() == 0;
    } finally {
      process.destroyForcibly();
    }
  }

  /**
   * Deletes all but the {@code keep} most recently used trained archives in {@code dir}, and the
   * temporary files of makers that stopped half-way (their JVM exited) over ten minutes ago.
   */
  static void prune(Path dir, int keep) {
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.toList();
    } catch (IOException | UncheckedIOException e) {
      return;
    }
    for (Kind kind : List.of(Kind.AOT_CACHE, Kind.TRAINED_CLASSES)) {
      files.stream()
          .filter(f -> f.getFileName().toString().endsWith(kind.suffix))
          .sorted(Comparator.comparing(WorkerClassArchive::lastModified).reversed())
          .skip(keep)
          .forEach(
              archive -> {
                deleteQuietly(archive);
                ArchiveLearning.forget(archive);
              });
    }
    long staleBefore = System.currentTimeMillis() - LEFTOVER_AGE_MILLIS;
    files.stream()
        .filter(
            f ->
                f.getFileName()
                        .toString()
                        .matches(".*\\.(partial|partial\\.config|classlist|failed)$")
                    || ArchiveLearning.isLeftover(f))
        .filter(f -> lastModified(f).toMillis() < staleBefore)
        .forEach(WorkerClassArchive::deleteQuietly);
  }

  private static FileTime lastModified(Path path) {
    try {
      return Files.getLastModifiedTime(path);
    } catch (IOException e) {
      return FileTime.fromMillis(0); // gone already: first to go
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

  /** The class list, read once. */
  private static final class ClassList {
    static final byte[] BYTES = classList();
  }

  /** The class list's hash, apart from the list: the JDK-class archive's maker never needs it. */
  private static final class ClassListHash {
    static final String HASH = hash(ClassList.BYTES);
  }

  private static byte[] classList() {
    // Through the module (unnamed or not), not the class: a class's resource is asked of the boot
    // loader first, which looks through every JDK module for it, 3.4-5.4 ms of a cold JVM against
    // 1.2 ms.
    String name = WorkerClassArchive.class.getPackageName().replace('.', '/') + "/" + CLASS_LIST;
    try (InputStream in = WorkerClassArchive.class.getModule().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(CLASS_LIST + " is missing from the jfutures-impl jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * 96 bits, in 24 hex digits: the CRC-32 and the Adler-32 of {@code bytes}, and their length. It
   * tells archives apart, against accident, not an adversary (whoever can write the archive
   * directory can write an archive). Both checksums are the JDK's native code: a cold JVM runs them
   * at once, where it interpreted a hash written in Java (Guava's murmur3 cost every program's
   * first pool or process 6-8 ms for a key and 5-9 ms more for the 37 KB class list). Not a {@code
   * MessageDigest} either: a JVM's first one sets up the security providers, about 12 ms.
   */
  private static String hash(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, bytes.length);
    Adler32 adler = new Adler32();
    adler.update(bytes, 0, bytes.length);
    HexFormat hex = HexFormat.of();
    return hex.toHexDigits((int) crc.getValue())
        + hex.toHexDigits((int) adler.getValue())
        + hex.toHexDigits(bytes.length);
  }
}
