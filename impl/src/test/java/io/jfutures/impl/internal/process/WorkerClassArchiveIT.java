package io.jfutures.impl.internal.process;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jfutures.impl.ProcessPoolExecutor;
import io.jfutures.impl.internal.jvm.ArchiveLearning;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The worker archives are really made by the JDK, and really mapped. */
final class WorkerClassArchiveIT {
  @TempDir Path dir;
  @RegisterExtension final TestProperties properties = new TestProperties();

  @BeforeEach
  void pointAtTempDir() {
    properties.set(WorkerClassArchive.DIR_PROPERTY, dir.toString());
  }

  @Test
  void theMaker_producesAJdkArchiveThisJdkMaps_andAWorkerUsesIt() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path archive = WorkerClassArchive.archivePath(java).orElseThrow();
    // The maker JVM runs on this class's own location and does everything, the rename too, so that
    // a program that exits first still gets its archive.
    Process maker = WorkerClassArchive.startMaker(WorkerClassArchive.jdkArchive(dir, java));
    assertTrue(maker.waitFor(90, SECONDS), "the maker JVM finished");
    assertEquals(0, maker.exitValue(), "the maker JVM made " + archive);
    try (var files = Files.list(dir)) {
      assertEquals(List.of(archive), files.toList(), "no temporary file left");
    }

    // -Xshare:on fails outright if the archive cannot be mapped.
    Process check =
        new ProcessBuilder(
                java.toString(), "-XX:SharedArchiveFile=" + archive, "-Xshare:on", "-version")
            .redirectErrorStream(true)
            .start();
    String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(check.waitFor(60, SECONDS));
    assertEquals(0, check.exitValue(), out);
    assertTrue(out.contains("sharing"), out);

    try (ProcessPoolExecutor pool = ProcessPoolExecutor.newBuilder().maxWorkers(1).build()) {
      long pid = pool.submit(() -> ProcessHandle.current().pid()).get(60, SECONDS);
      String maps = Files.readString(Path.of("/proc/" + pid + "/maps"));
      assertTrue(maps.contains(archive.toString()), "the worker maps " + archive);
    }
  }

  /**
   * A child whose JVM refuses its archive starts without it, silently: the pool notices it in the
   * child's maps, and deletes the archive so that a later start makes it again.
   */
  @Test
  void anArchiveThatAWorkerDoesNotMap_isDeleted() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    // This test's class path holds directories: its workers are given the JDK-class archive.
    Path archive = WorkerClassArchive.archivePath(java).orElseThrow();
    Files.writeString(archive, "not an archive");
    try (ProcessPoolExecutor pool = ProcessPoolExecutor.newBuilder().maxWorkers(1).build()) {
      assertEquals(42, pool.submit(() -> 42).get(60, SECONDS), "the worker runs without it");
    }
    assertFalse(Files.exists(archive), "the refused archive is gone, to be made again");
  }

  @Test
  void onThisJdk_aTrainingRunMakesAnArchiveOfJfuturesClasses(@TempDir Path jars) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    int feature = Runtime.version().feature();
    assertTrainedArchiveWorks(java, feature, jarOnlyClassPath(jars));
  }

  @Test
  void onJdk25_aTrainingRunMakesACacheThatTheJdkMaps(@TempDir Path jars) throws Exception {
    assertTrainedArchiveWorks(jdk25(), 25, jarOnlyClassPath(jars));
  }

  /**
   * Trains an archive for {@code classPath} written relative to this JVM's directory, as a program
   * started with {@code -cp target/app.jar} names its jars, and checks that it maps for a child
   * that names the jars so and for one that names them by absolute path from another directory:
   * both have the archive's key, and JDK 17 maps no archive whose class path, as written when it
   * was made, does not name the same jars from the child's directory.
   */
  private void assertTrainedArchiveWorks(Path java, int feature, List<String> classPath)
      throws Exception {
    Path here = Path.of("").toAbsolutePath();
    List<String> relative =
        classPath.stream()
            .map(e -> here.relativize(Path.of(e).toAbsolutePath()).toString())
            .toList();
    WorkerClassArchive.Archive archive =
        WorkerClassArchive.archiveFor(
                java, feature, List.of("-XX:+UseSerialGC", "-Dx=y"), relative, List.of())
            .orElseThrow();
    assertTrue(archive.trained(), "a jar-only class path gets a trained archive: " + archive);
    // The maker JVM does everything, the rename too: this JVM only waits for it to exit.
    Process maker = WorkerClassArchive.startMaker(archive);
    assertTrue(maker.waitFor(90, SECONDS), "the maker JVM finished");
    assertEquals(0, maker.exitValue(), "the maker JVM made " + archive.path());
    assertTrue(Files.isRegularFile(archive.path()), "the maker JVM renamed its output into place");
    try (var files = Files.list(dir)) {
      assertEquals(List.of(archive.path()), files.toList(), "no temporary file left");
    }

    assertMaps(java, archive, relative, here);
    assertMaps(java, archive, classPath, dir);
    assertLearns(java, archive, classPath);
  }

  /**
   * A child that records for {@code archive} loads an application class the archive lacks; its exit
   * starts the maker, which makes the archive again with it: a later child gets the class from the
   * archive.
   */
  private void assertLearns(Path java, WorkerClassArchive.Archive archive, List<String> classPath)
      throws Exception {
    List<String> command = new ArrayList<>(List.of(java.toString(), "-XX:+UseSerialGC"));
    command.addAll(archive.useOptions());
    boolean lambdas = archive.kind() == WorkerClassArchive.Kind.TRAINED_CLASSES;
    List<String> recording =
        ArchiveLearning.recordingOptions(
            archive.path(), WorkerClassArchive.makerArguments(archive), lambdas);
    assertTrue(recording.size() >= 2, "this cache directory can be named in -Xlog: " + dir);
    command.addAll(recording);
    command.addAll(
        List.of("-cp", String.join(File.pathSeparator, classPath), LearningChild.class.getName()));
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(child.waitFor(60, SECONDS));
    assertEquals(0, child.exitValue(), out);

    Path learned = archive.path().resolveSibling(archive.path().getFileName() + ".learned");
    Path request = archive.path().resolveSibling(archive.path().getFileName() + ".request");
    // The maker is detached, at the lowest priority: it trains and dumps in a few seconds.
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> Files.exists(learned) && !Files.exists(request));
    List<String> names = Files.readAllLines(learned);
    assertTrue(names.contains(Learned.class.getName()), "learned: " + names);
    try (var files = Files.list(dir)) {
      assertEquals(
          List.of(),
          files.filter(f -> f.toString().endsWith(".seen")).toList(),
          "the child deleted its log");
    }

    String log = runOnArchive(java, archive, classPath, dir, LearningChild.class);
    assertTrue(
        log.contains(" " + Learned.class.getName() + " source: shared objects file"),
        "the application's class now comes from the archive:\n" + log);
    if (lambdas) {
      // JDK 17 to 24: a static dump archives the proxy of a lambda the child ran, too.
      assertTrue(
          log.lines()
              .anyMatch(
                  l ->
                      l.contains(LearningChild.class.getName() + "$$Lambda")
                          && l.endsWith("source: shared objects file")),
          "the child's lambda now comes from the archive:\n" + log);
    }
  }

  /**
   * Runs {@code main} in a JVM that must map {@code archive} (with {@code -Xshare:on} or {@code
   * -XX:AOTMode=on} it fails outright if it cannot) and logs where each class came from; returns
   * its output once it exited 0.
   */
  private static String runOnArchive(
      Path java,
      WorkerClassArchive.Archive archive,
      List<String> classPath,
      Path directory,
      Class<?> main)
      throws Exception {
    List<String> command = new ArrayList<>(List.of(java.toString(), "-XX:+UseSerialGC"));
    command.addAll(archive.useOptions());
    command.add(
        archive.kind() == WorkerClassArchive.Kind.AOT_CACHE ? "-XX:AOTMode=on" : "-Xshare:on");
    command.addAll(
        List.of(
            "-Xlog:class+load=info",
            "-cp",
            String.join(File.pathSeparator, classPath),
            main.getName()));
    Process child =
        new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(child.waitFor(60, SECONDS));
    assertEquals(0, child.exitValue(), out);
    return out;
  }

  /** A child of an application: it loads {@link Learned}, which no training loads. */
  public static final class LearningChild {
    public static void main(String[] args) {
      ArchiveLearning.watchThisChild(); // as ChildSide.connect does in a recording child
      Supplier<Learned> lambda = () -> new Learned();
      if (lambda.get().hashCode() == 0) {
        System.out.println("unlikely");
      }
    }
  }

  /** An application's class. */
  static final class Learned {}

  private static void assertMaps(
      Path java, WorkerClassArchive.Archive archive, List<String> classPath, Path directory)
      throws Exception {
    // The training runs the worker loop on the archive's classes, and says where each came from.
    String out = runOnArchive(java, archive, classPath, directory, WorkerTraining.class);
    assertTrue(
        out.lines()
            .anyMatch(
                l -> l.contains(" " + WorkerMain.class.getName() + " source: shared objects file")),
        "the worker's own classes come from the archive, class path named from "
            + directory
            + ":\n"
            + out);
  }

  private static Path jdk25() {
    String home = System.getenv("JAVA25_HOME");
    Path java =
        Path.of(home == null || home.isBlank() ? "/usr/lib/jvm/temurin-25-jdk-amd64" : home)
            .resolve("bin/java");
    assumeTrue(Files.isExecutable(java), "no JDK 25 at " + java + " (set JAVA25_HOME)");
    return java;
  }

  /** The test class path with each directory packed into a jar: the JDK archives jars only. */
  private static List<String> jarOnlyClassPath(Path jars) throws IOException {
    String path =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> entries = new ArrayList<>();
    int n = 0;
    for (String entry : path.split(File.pathSeparator)) {
      Path p = Path.of(entry);
      if (Files.isDirectory(p)) {
        Path jar = jars.resolve("dir-" + n++ + ".jar");
        packDirectory(p, jar);
        entries.add(jar.toString());
      } else if (Files.isRegularFile(p) && entry.endsWith(".jar")) {
        entries.add(entry);
      }
    }
    return entries;
  }

  private static void packDirectory(Path root, Path jar) throws IOException {
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> files = Files.walk(root)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        out.putNextEntry(new JarEntry(root.relativize(file).toString().replace('\\', '/')));
        Files.copy(file, out);
        out.closeEntry();
      }
    }
  }
}
