package io.jfutures.impl.internal.jvm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * How a trained class archive learns the application's own classes. A trained archive holds the
 * JDK's and jfutures' classes; a child's first class of the application (its task's, its target's)
 * is not among them, and the class loader then reads the directory of every jar before it: about 20
 * ms of a fresh JVM's CPU for a jar of 4,000 entries, at every worker's and process's start.
 *
 * <p>One child per archive and parent JVM records what it loads: the parent adds {@link
 * #recordingOptions}: a class-loading log beside the archive, and the system property {@value
 * #PROPERTY} naming it. At its exit, in a shutdown hook ({@link #watchThisChild}), that child reads
 * its log, and if it loaded classes from the JDK or a jar that its archive did not hold and that no
 * earlier child asked for, it writes the archive's <em>request</em> (what was learned before, and
 * these) and starts the archive's maker JVM, detached, at the lowest CPU priority, with the
 * arguments the parent left beside the archive. The maker trains and dumps the archive again,
 * loading the requested classes by name, never initializing them (no code of the application runs),
 * replaces the archive, and keeps the request as what the archive has learned ({@link #learned}).
 * Children started after that get the classes ready-made.
 *
 * <p>Files beside an archive {@code A}: {@code A.args} (the maker's arguments, a {@code java}
 * argument file), {@code A.TOKEN.seen} and on JDK 17 to 24 {@code A.TOKEN.classlist} (a recording
 * child's log and class list, deleted at its exit), {@code A.request} (a maker at work: one at a
 * time, stale after ten minutes), {@code A.learned}. States of an archive: PLAIN (no {@code
 * A.learned}) -> LEARNING ({@code A.request}) -> LEARNED -> LEARNING -> ... ; a request whose maker
 * fails or runs out of time is deleted, and the next run asks again. Every failure leaves the
 * archive as it was: learning costs the recording child's exit about 10 ms, and 35 when it starts a
 * maker (a pool's {@code close()}, JDK 17, session 26).
 */
public final class ArchiveLearning {
  /** The system property that makes a child record its classes for the archive it names. */
  public static final String PROPERTY = "jfutures.cds.learn";

  /** More names than this in one archive's learning is not an application's start: stop there. */
  static final int MAX_NAMES = 20_000;

  /** A request older than this was left by a maker that never finished. */
  static final long STALE_MILLIS = TimeUnit.MINUTES.toMillis(10);

  private static final String LOG_OPTION = "-Xlog:class+load=info:file=";
  private static final String CLASS_LIST_OPTION = "-XX:DumpLoadedClassList=";
  private static final String PROPERTY_OPTION = "-D" + PROPERTY + "=";

  private static final String ARGS = ".args";
  private static final String SEEN = ".seen";
  private static final String REQUEST = ".request";
  private static final String LEARNED = ".learned";

  private ArchiveLearning() {}

  /**
   * Returns the options that make a child record what it loads for {@code archive}, after writing
   * the arguments of its maker ({@code java} options, main class and its arguments) beside it; none
   * if the archive's path cannot be written in a {@code -Xlog} option (it holds {@code :}, {@code
   * ,}, a quote or a space), the arguments cannot be written, or this JVM cannot detach a process
   * ({@link BackgroundProcess#canDetach}: the child's maker would be this JVM's orphan too, when
   * this JVM is a container's process 1).
   */
  public static List<String> recordingOptions(
      Path archive, List<String> makerArguments, boolean withClassList) {
    Path absolute = archive.toAbsolutePath().normalize();
    if (absolute.toString().chars().anyMatch(c -> c == ':' || c == ',' || c == '"' || c <= ' ')
        || !BackgroundProcess.canDetach()) {
      return List.of();
    }
    try {
      writeAtomically(argsFile(archive), argumentFile(makerArguments));
    } catch (IOException e) {
      return List.of();
    }
    Path seen = seenFile(absolute, Long.toHexString(ThreadLocalRandom.current().nextLong()));
    List<String> options = new ArrayList<>();
    options.add(LOG_OPTION + seen + ":none:filecount=0");
    if (withClassList) {
      options.add(CLASS_LIST_OPTION + classListOf(seen));
    }
    options.add(PROPERTY_OPTION + seen);
    return options;
  }

  /** Whether {@code option} is one of {@link #recordingOptions}. */
  public static boolean isRecordingOption(String option) {
    return option.startsWith(LOG_OPTION)
        || option.startsWith(CLASS_LIST_OPTION)
        || option.startsWith(PROPERTY_OPTION);
  }

  /**
   * In a child started with {@link #recordingOptions}: has its exit read what it loaded, and ask
   * for what its archive lacks. Does nothing in any other JVM.
   */
  public static void watchThisChild() {
    String seen = System.getProperty(PROPERTY);
    if (seen == null || !seen.endsWith(SEEN)) {
      return;
    }
    Thread hook = new Thread(new AtExit(Path.of(seen)), "jfutures-archive-learning");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * Returns this class and its exit hook, for a training run to load: a recording child then gets
   * them from its archive. (Playing the whole exit in the training put the classes of a process's
   * start and of file handling, 1.7 MB, in every worker's archive, which every worker maps and
   * relocates at start, for the sake of one child's exit.)
   */
  public static List<Class<?>> classes() {
    return List.of(ArchiveLearning.class, AtExit.class);
  }

  /** The exit of a recording child; a class, not a lambda: see ChildSide's watchdog. */
  private static final class AtExit implements Runnable {
    private final Path seen;

    AtExit(Path seen) {
      this.seen = seen;
    }

    @Override
    public void run() {
      try {
        // Read first, with as few classes as can be: what loads before the read is in the log,
        // and would be learned for every child's archive though only this exit needs it.
        String log = new String(Files.readAllBytes(seen), StandardCharsets.UTF_8);
        String classList = "";
        if (Files.exists(classListOf(seen))) {
          classList = new String(Files.readAllBytes(classListOf(seen)), StandardCharsets.UTF_8);
        }
        learn(archiveOf(seen), log.split("\n"), classList.split("\n"), BackgroundProcess.SHELL);
      } catch (IOException | RuntimeException e) {
        // no log (a user's -Xlog:disable), or no room to write: the archive stays as it was
      } finally {
        deleteQuietly(seen);
        deleteQuietly(classListOf(seen));
      }
    }
  }

  /**
   * Asks for the classes that a child's class-loading {@code log} names as loaded from the JDK or a
   * jar, not from its archive, and the lambda lines of its {@code classList} (JDK 17 to 24; empty
   * otherwise), that the archive has not learned yet: writes the request and starts the maker
   * through {@code shell}, detached. Returns whether a maker was started.
   */
  static boolean learn(Path archive, String[] log, String[] classList, Path shell)
      throws IOException {
    Path request = requestFile(archive);
    Set<String> known = new TreeSet<>();
    readNames(learnedFile(archive), known);
    if (!isStale(request)) {
      readNames(request, known); // a maker at work has them
    }
    Set<String> wanted = new TreeSet<>(known);
    for (String line : log) {
      String name = notArchived(line);
      if (name != null) {
        wanted.add(name);
      }
    }
    for (String line : classList) {
      if (isLambdaLine(line)) {
        wanted.add(line.strip());
      }
    }
    if (wanted.size() == known.size() || wanted.size() > MAX_NAMES) {
      return false;
    }
    if (!claim(request, lines(wanted))) {
      return false; // a maker is at work: what this child saw waits for the next run
    }
    try {
      BackgroundProcess.startDetached(shell, makerCommand(archive));
      return true;
    } catch (IOException | RuntimeException e) {
      deleteQuietly(request);
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      deleteQuietly(request);
      return false;
    }
  }

  /**
   * Returns the name of the class a {@code -Xlog:class+load} line (no decorations) names, if it was
   * loaded from the JDK's modules or a jar rather than from the archive, else {@code null}: a class
   * defined at run time (a lambda's, a reflection accessor) cannot be loaded by name.
   */
  static String notArchived(String line) {
    int at = line.indexOf(" source: ");
    if (at <= 0) {
      return null;
    }
    String source = line.substring(at + " source: ".length());
    String name = line.substring(0, at);
    if (!(source.startsWith("jrt:/") || source.startsWith("file:"))
        || name.indexOf('/') >= 0
        || name.indexOf(' ') >= 0) {
      return null;
    }
    return name;
  }

  /**
   * Whether {@code line} of a {@code -XX:DumpLoadedClassList} names a lambda's proxy class or a
   * method handle form's invoker: what a static dump archives of the lambdas a child ran, which
   * every JVM otherwise spins anew (about 40 classes for {@code java.time}'s first formatter). Such
   * lines are learned as they are, and a maker adds them to its training's class list.
   */
  public static boolean isLambdaLine(String line) {
    return line.startsWith("@lambda-proxy ") || line.startsWith("@lambda-form-invoker ");
  }

  /**
   * Returns what the archive has learned and what a maker at work is adding ({@code A.learned} and
   * {@code A.request}): class names, which a maker's training loads, and {@link #isLambdaLine
   * lambda lines}.
   */
  public static Set<String> learned(Path archive) throws IOException {
    Set<String> names = new TreeSet<>();
    readNames(learnedFile(archive), names);
    readNames(requestFile(archive), names);
    return names;
  }

  /** Adds the names, one a line, in {@code file} to {@code names}; none if there is no file. */
  private static void readNames(Path file, Set<String> names) throws IOException {
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          names.add(line.strip());
        }
      }
    } catch (NoSuchFileException e) {
      // nothing learned, or no maker at work
    }
  }

  /**
   * In a maker, after it made {@code archive}: what it loaded is now learned ({@code A.request}
   * becomes {@code A.learned}) if {@code made}, else the request is dropped, to be asked for again.
   */
  public static void madeArchive(Path archive, boolean made) {
    Path request = requestFile(archive);
    if (!Files.exists(request)) {
      return;
    }
    if (!made) {
      deleteQuietly(request);
      return;
    }
    try {
      move(request, learnedFile(archive));
    } catch (IOException e) {
      deleteQuietly(request);
    }
  }

  /** Deletes what learning keeps beside an archive that is itself deleted. */
  public static void forget(Path archive) {
    for (Path file : List.of(argsFile(archive), learnedFile(archive), requestFile(archive))) {
      deleteQuietly(file);
    }
  }

  /** Whether {@code file} is a left-over of learning that its age makes stale: a log, a request. */
  public static boolean isLeftover(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(SEEN) || name.endsWith(REQUEST);
  }

  /** Takes {@code request} for this child's maker: false if another maker holds it. */
  private static boolean claim(Path request, byte[] content) throws IOException {
    for (int attempt = 0; attempt < 2; attempt++) {
      try {
        Files.write(request, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return true;
      } catch (FileAlreadyExistsException e) {
        if (!isStale(request)) {
          return false;
        }
        deleteQuietly(request); // its maker died: take over
      }
    }
    return false;
  }

  /**
   * The maker's command: this JVM's {@code java} reading the argument file beside the archive,
   * niced where {@code nice} is.
   */
  private static List<String> makerCommand(Path archive) {
    List<String> command = BackgroundProcess.lowPriority();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("@" + argsFile(archive));
    return command;
  }

  /**
   * A {@code java} argument file of {@code arguments}: each quoted, as the launcher reads quotes
   * and backslashes.
   */
  static byte[] argumentFile(List<String> arguments) {
    StringBuilder file = new StringBuilder();
    for (String argument : arguments) {
      file.append('"').append(argument.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n");
    }
    return file.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] lines(Collection<String> names) {
    StringBuilder text = new StringBuilder();
    for (String name : names) {
      text.append(name).append('\n');
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  static Path argsFile(Path archive) {
    return sibling(archive, ARGS);
  }

  /** The log of a recording child, {@code A.TOKEN.seen}; {@code token} holds no dot. */
  static Path seenFile(Path archive, String token) {
    return sibling(archive, "." + token + SEEN);
  }

  /** The class list a recording child writes beside its log (JDK 17 to 24). */
  static Path classListOf(Path seen) {
    String name = seen.getFileName().toString();
    return seen.resolveSibling(name.substring(0, name.length() - SEEN.length()) + ".classlist");
  }

  /** The archive a recording child's log is for: see {@link #seenFile}. */
  static Path archiveOf(Path seen) {
    String name = seen.getFileName().toString();
    String withToken = name.substring(0, name.length() - SEEN.length());
    return seen.resolveSibling(withToken.substring(0, withToken.lastIndexOf('.')));
  }

  static Path requestFile(Path archive) {
    return sibling(archive, REQUEST);
  }

  static Path learnedFile(Path archive) {
    return sibling(archive, LEARNED);
  }

  private static Path sibling(Path archive, String suffix) {
    return archive.resolveSibling(archive.getFileName() + suffix);
  }

  private static void writeAtomically(Path target, byte[] content) throws IOException {
    Path temporary =
        target.resolveSibling(target.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
    try {
      Files.write(temporary, content);
      move(temporary, target);
    } finally {
      deleteQuietly(temporary);
    }
  }

  /**
   * Renames {@code from} over {@code to}, atomically where the file system can, so that a reader
   * sees the old file or the new one, never half of one: an archive, its request, its arguments.
   */
  public static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Whether {@code request} is absent, or older than a maker takes: its maker died. */
  private static boolean isStale(Path request) {
    try {
      return System.currentTimeMillis() - Files.getLastModifiedTime(request).toMillis()
          >= STALE_MILLIS;
    } catch (IOException e) {
      return true; // absent
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a left-over that a later prune deletes
    }
  }
}
