package io.jfutures.impl.internal.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jfutures.impl.internal.jvm.ArchiveLearning;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the worker archives live, which kind a worker gets, and when it gets none; no JVM is
 * started here.
 */
final class WorkerClassArchiveTest {
  @TempDir Path dir;
  @RegisterExtension final TestProperties properties = new TestProperties();

  @BeforeEach
  void pointAtTempDir() {
    properties.set(WorkerClassArchive.DIR_PROPERTY, dir.toString());
  }

  @Test
  void archivePath_isInTheConfiguredDirectory_andDependsOnTheJavaExecutable() {
    Path a = WorkerClassArchive.archivePath(Path.of("/opt/jdk-a/bin/java")).orElseThrow();
    Path b = WorkerClassArchive.archivePath(Path.of("/opt/jdk-b/bin/java")).orElseThrow();
    assertEquals(dir, a.getParent());
    assertTrue(a.getFileName().toString().matches("worker-[0-9a-f]{24}\\.jsa"), a.toString());
    assertNotEquals(a, b);
    assertEquals(a, WorkerClassArchive.archivePath(Path.of("/opt/jdk-a/bin/java")).orElseThrow());
  }

  @Test
  void optionsFor_anExistingArchive_namesIt() throws Exception {
    Path java = Path.of("/opt/jdk-existing/bin/java");
    Path archive = WorkerClassArchive.archivePath(java).orElseThrow();
    Files.write(archive, new byte[] {1});
    assertEquals(
        List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto"),
        WorkerClassArchive.optionsFor(
            WorkerClassArchive.Child.WORKER, java, List.of("-Xmx64m"), List.of(), List.of()));
  }

  @Test
  void optionsFor_anExistingTrainedArchive_hasItsFirstChildRecordForIt() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/bin/sh")));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> jars = List.of(manifestJar("learning.jar", null));
    WorkerClassArchive.Archive archive =
        WorkerClassArchive.archiveFor(
                WorkerClassArchive.Child.PROCESS,
                java,
                Runtime.version().feature(),
                List.of("-Xmx64m"),
                jars,
                List.of())
            .orElseThrow();
    assertTrue(archive.trained());
    Files.write(archive.path(), new byte[] {1});
    List<String> first =
        WorkerClassArchive.optionsFor(
            WorkerClassArchive.Child.PROCESS, java, List.of("-Xmx64m"), jars, List.of());
    assertEquals(archive.useOptions(), first.subList(0, archive.useOptions().size()));
    assertTrue(
        first.stream()
            .anyMatch(o -> o.startsWith("-D" + ArchiveLearning.PROPERTY + "=" + archive.path())),
        "the first child records: " + first);
    assertEquals(
        archive.kind() == WorkerClassArchive.Kind.TRAINED_CLASSES,
        first.stream().anyMatch(o -> o.startsWith("-XX:DumpLoadedClassList=")),
        "and on JDK 17 to 24 writes a class list, for its lambdas: " + first);
    String args =
        Files.readString(archive.path().resolveSibling(archive.path().getFileName() + ".args"));
    for (String expected :
        List.of(
            WorkerClassArchive.class.getName(), "PROCESS", archive.path().toString(), "-Xmx64m")) {
      assertTrue(args.contains("\"" + expected + "\"\n"), "the maker's arguments name " + expected);
    }
    assertEquals(
        archive.useOptions(),
        WorkerClassArchive.optionsFor(
            WorkerClassArchive.Child.PROCESS, java, List.of("-Xmx64m"), jars, List.of()),
        "one child per archive and JVM records");
  }

  @Test
  void aMakerThatFailed_marksIt_andForTenMinutesTheJdkClassArchiveServesInstead() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> jars = List.of(manifestJar("failing.jar", null));
    WorkerClassArchive.Archive archive =
        WorkerClassArchive.archiveFor(java, Runtime.version().feature(), List.of(), jars, List.of())
            .orElseThrow();
    Path jdkArchive = WorkerClassArchive.archivePath(java).orElseThrow();
    Files.write(jdkArchive, new byte[] {1});
    WorkerClassArchive.recordOutcome(archive, WorkerClassArchive.Outcome.TIMED_OUT);
    assertFalse(WorkerClassArchive.failedLately(archive.path()), "a busy machine: try again");
    WorkerClassArchive.recordOutcome(archive, WorkerClassArchive.Outcome.FAILED);
    assertTrue(WorkerClassArchive.failedLately(archive.path()));
    assertEquals(
        List.of("-XX:SharedArchiveFile=" + jdkArchive, "-Xshare:auto"),
        WorkerClassArchive.optionsFor(
            WorkerClassArchive.Child.WORKER, java, List.of(), jars, List.of()));

    Path mark = archive.path().resolveSibling(archive.path().getFileName() + ".failed");
    Files.setLastModifiedTime(mark, FileTime.fromMillis(System.currentTimeMillis() - 601_000));
    assertFalse(WorkerClassArchive.failedLately(archive.path()), "ten minutes on, ask again");
    Files.setLastModifiedTime(mark, FileTime.fromMillis(System.currentTimeMillis()));
    WorkerClassArchive.recordOutcome(archive, WorkerClassArchive.Outcome.MADE);
    assertFalse(Files.exists(mark), "a success clears the mark");
  }

  @Test
  void optionsFor_isEmpty_whenTurnedOffOrTheUserChoosesSharing() throws Exception {
    Path java = Path.of("/opt/jdk-user/bin/java");
    Files.write(WorkerClassArchive.archivePath(java).orElseThrow(), new byte[] {1});
    assertEquals(List.of(), optionsFor(java, "-Xshare:off"));
    assertEquals(List.of(), optionsFor(java, "-XX:SharedArchiveFile=/x.jsa"));
    assertEquals(List.of(), optionsFor(java, "-XX:-UseCompressedOops"));
    properties.set(WorkerClassArchive.ENABLED_PROPERTY, "false");
    assertEquals(List.of(), optionsFor(java));
  }

  @Test
  void make_withAJavaThatFails_returnsFalseAndLeavesNoFiles() throws Exception {
    Path java = Path.of("/bin/false");
    Path archive = WorkerClassArchive.archivePath(java).orElseThrow();
    assertEquals(false, WorkerClassArchive.make(WorkerClassArchive.jdkArchive(dir, java)));
    try (var files = Files.list(dir)) {
      assertEquals(List.of(), files.toList());
    }
  }

  private static List<String> optionsFor(Path java, String... jvmOptions) {
    return WorkerClassArchive.optionsFor(
        WorkerClassArchive.Child.WORKER, java, List.of(jvmOptions), List.of(), List.of());
  }

  @Test
  void trainable_withAKnownJdk_jarsOnly_noModulePath_andPlainOptions() throws Exception {
    List<String> jars = List.of(jar("a.jar"), jar("b.jar"));
    List<String> plain = List.of("-XX:+UseSerialGC", "-Xmx64m", "-Dx=y");
    assertTrue(WorkerClassArchive.trainable(17, plain, jars, List.of()));
    assertTrue(WorkerClassArchive.trainable(25, plain, jars, List.of()));
    assertFalse(WorkerClassArchive.trainable(0, plain, jars, List.of()), "unknown JDK");
    assertFalse(
        WorkerClassArchive.trainable(25, plain, List.of(jars.get(0), dir.toString()), List.of()),
        "a directory on the class path");
    assertFalse(
        WorkerClassArchive.trainable(25, plain, List.of(dir + "/missing.jar"), List.of()),
        "a jar that does not exist");
    assertFalse(WorkerClassArchive.trainable(25, plain, List.of(), List.of()), "no class path");
    assertFalse(WorkerClassArchive.trainable(25, plain, jars, jars), "a module path");
    assertFalse(
        WorkerClassArchive.trainable(25, List.of("-javaagent:x.jar"), jars, List.of()), "an agent");
    Files.createDirectories(dir.resolve("with space"));
    List<String> spaced = List.of(jar("with space/c.jar"));
    assertFalse(
        WorkerClassArchive.trainable(17, plain, spaced, List.of()),
        "JDK 17 uses no class of an archive from a jar whose path holds a space");
    assertTrue(WorkerClassArchive.trainable(25, plain, spaced, List.of()), "JDK 25's cache does");
  }

  @Test
  void trainable_followsManifestClassPaths_asSurefiresBooterJarNeedsIt() throws Exception {
    Path classes = Files.createDirectories(dir.resolve("classes"));
    Files.write(classes.resolve("A.class"), new byte[] {1});
    String lib = jar("lib.jar");
    assertTrue(
        WorkerClassArchive.trainable(
            17, List.of(), List.of(manifestJar("app.jar", "lib.jar")), List.of()),
        "a manifest naming a jar");
    assertFalse(
        WorkerClassArchive.trainable(
            17,
            List.of(),
            List.of(manifestJar("booter.jar", classes.toUri() + " " + lib)),
            List.of()),
        "a manifest naming a directory");
  }

  @Test
  void archiveFor_aJarOnlyWorker_getsATrainedArchiveKeyedByItsJars_andTheirXOptions()
      throws Exception {
    Path java = Path.of("/opt/jdk-25/bin/java");
    List<String> jars = List.of(manifestJar("app.jar", null));
    WorkerClassArchive.Archive cache =
        WorkerClassArchive.archiveFor(java, 25, List.of("-Xmx64m", "-Dn=1"), jars, List.of())
            .orElseThrow();
    assertEquals(WorkerClassArchive.Kind.AOT_CACHE, cache.kind());
    assertEquals(dir, cache.path().getParent());
    assertTrue(cache.path().getFileName().toString().matches("worker-[0-9a-f]{24}\\.aot"));
    assertEquals(List.of("-Xmx64m"), cache.options(), "the training runs with the -X options");
    assertEquals(List.of("-XX:AOTCache=" + cache.path()), cache.useOptions());

    assertEquals(
        cache.path(),
        WorkerClassArchive.archiveFor(java, 25, List.of("-Xmx64m", "-Dn=2"), jars, List.of())
            .orElseThrow()
            .path(),
        "-D options do not matter");
    assertNotEquals(
        cache.path(),
        WorkerClassArchive.archiveFor(java, 25, List.of("-Xmx128m"), jars, List.of())
            .orElseThrow()
            .path(),
        "-X options do");
    Files.setLastModifiedTime(Path.of(jars.get(0)), FileTime.fromMillis(1_000_000));
    assertNotEquals(
        cache.path(),
        WorkerClassArchive.archiveFor(java, 25, List.of("-Xmx64m"), jars, List.of())
            .orElseThrow()
            .path(),
        "a rebuilt jar makes a new cache");

    WorkerClassArchive.Archive jdk17 =
        WorkerClassArchive.archiveFor(java, 17, List.of(), jars, List.of()).orElseThrow();
    assertEquals(WorkerClassArchive.Kind.TRAINED_CLASSES, jdk17.kind());
    assertTrue(jdk17.path().getFileName().toString().endsWith(".app.jsa"));
    assertEquals(
        List.of("-XX:SharedArchiveFile=" + jdk17.path(), "-Xshare:auto"), jdk17.useOptions());

    WorkerClassArchive.Archive directories =
        WorkerClassArchive.archiveFor(java, 25, List.of(), List.of(dir.toString()), List.of())
            .orElseThrow();
    assertEquals(WorkerClassArchive.Kind.JDK_CLASSES, directories.kind());
    assertEquals(WorkerClassArchive.archivePath(java).orElseThrow(), directories.path());
  }

  @Test
  void aWorker_andAProcess_getArchivesOfTheirOwn_trainedOnTheirOwnPaths() throws Exception {
    Path java = Path.of("/opt/jdk-17/bin/java");
    List<String> jars = List.of(manifestJar("app.jar", null));
    WorkerClassArchive.Archive worker =
        WorkerClassArchive.archiveFor(
                WorkerClassArchive.Child.WORKER, java, 17, List.of(), jars, List.of())
            .orElseThrow();
    WorkerClassArchive.Archive process =
        WorkerClassArchive.archiveFor(
                WorkerClassArchive.Child.PROCESS, java, 17, List.of(), jars, List.of())
            .orElseThrow();
    assertNotEquals(worker.path(), process.path());
    assertEquals(
        worker.path(),
        WorkerClassArchive.archiveFor(java, 17, List.of(), jars, List.of()).orElseThrow().path(),
        "a pool's worker by default");

    List<String> workerTraining = WorkerClassArchive.trainingCommand(worker, "-XX:X=1", "app.jar");
    List<String> processTraining =
        WorkerClassArchive.trainingCommand(process, "-XX:X=1", "app.jar");
    assertEquals(
        List.of(WorkerTraining.class.getName(), WorkerTraining.LEARNED, worker.path().toString()),
        workerTraining.subList(workerTraining.size() - 3, workerTraining.size()),
        "the training loads what the archive learned");
    assertEquals(
        List.of(
            WorkerTraining.class.getName(),
            WorkerTraining.WITH_STEPS,
            WorkerTraining.LEARNED,
            process.path().toString()),
        processTraining.subList(processTraining.size() - 4, processTraining.size()),
        "only a process's archive trains the toolbox's steps");

    // Both kinds of child share the one JDK-class archive when their class path has a directory.
    assertEquals(
        WorkerClassArchive.archiveFor(
                WorkerClassArchive.Child.PROCESS,
                java,
                17,
                List.of(),
                List.of(dir.toString()),
                List.of())
            .orElseThrow()
            .path(),
        WorkerClassArchive.archivePath(java).orElseThrow());
  }

  @Test
  void archiveFor_isKeyedByTheJarsManifestsName_presentOrNot() throws Exception {
    // java -jar app.jar, with its libraries named by the manifest: the JVM maps no archive once
    // one of them changed, so a changed one must make a new archive.
    Path java = Path.of("/opt/jdk-17/bin/java");
    List<String> app = List.of(manifestJar("app.jar", "lib/a.jar lib/b.jar"));
    Files.createDirectories(dir.resolve("lib"));
    String a = manifestJar("lib/a.jar", "c.jar"); // names lib/c.jar in turn
    Path before = WorkerClassArchive.archiveFor(java, 17, List.of(), app, List.of()).get().path();
    assertEquals(
        before,
        WorkerClassArchive.archiveFor(java, 17, List.of(), app, List.of()).get().path(),
        "the same jars, the same archive");

    Files.setLastModifiedTime(Path.of(a), FileTime.fromMillis(1_000_000));
    Path changedA = WorkerClassArchive.archiveFor(java, 17, List.of(), app, List.of()).get().path();
    assertNotEquals(before, changedA, "a rebuilt library");

    manifestJar("lib/b.jar", null);
    Path addedB = WorkerClassArchive.archiveFor(java, 17, List.of(), app, List.of()).get().path();
    assertNotEquals(changedA, addedB, "a named library that appeared");

    Files.setLastModifiedTime(Path.of(manifestJar("lib/c.jar", null)), FileTime.fromMillis(7));
    assertNotEquals(
        addedB,
        WorkerClassArchive.archiveFor(java, 17, List.of(), app, List.of()).get().path(),
        "a library that a library names");
  }

  @Test
  void prune_keepsTheMostRecentlyUsedCaches_andDeletesOnlyStaleLeftovers() throws Exception {
    for (int i = 0; i < 5; i++) {
      Path cache = Files.write(dir.resolve("worker-" + i + ".aot"), new byte[] {1});
      Files.setLastModifiedTime(cache, FileTime.fromMillis(1_000_000L * (i + 1)));
    }
    Path jsa = Files.write(dir.resolve("worker-x.jsa"), new byte[] {1});
    Files.setLastModifiedTime(jsa, FileTime.fromMillis(0));
    Path oldTrained = Files.write(dir.resolve("worker-y.app.jsa"), new byte[] {1});
    Files.setLastModifiedTime(oldTrained, FileTime.fromMillis(500_000));
    // JDK 17's archives count apart from JDK 25's caches: two newer ones, so y is the third.
    for (String name : List.of("worker-z1.app.jsa", "worker-z2.app.jsa")) {
      Files.setLastModifiedTime(
          Files.write(dir.resolve(name), new byte[] {1}), FileTime.fromMillis(600_000));
    }
    Path learned = Files.write(dir.resolve("worker-y.app.jsa.learned"), new byte[] {1});
    Files.setLastModifiedTime(learned, FileTime.fromMillis(0));
    Files.write(dir.resolve("worker-4.aot.learned"), new byte[] {1});
    Path oldSeen = Files.write(dir.resolve("worker-4.aot.77.seen"), new byte[] {1});
    Files.setLastModifiedTime(oldSeen, FileTime.fromMillis(0));
    Files.write(dir.resolve("worker-4.aot.78.seen"), new byte[] {1}); // a child records
    Path oldPartial = Files.write(dir.resolve("worker-x.aot.123.partial"), new byte[] {1});
    Files.setLastModifiedTime(oldPartial, FileTime.fromMillis(0));
    Files.write(dir.resolve("worker-x.aot.456.partial.config"), new byte[] {1}); // being made
    WorkerClassArchive.prune(dir, 2);
    try (var files = Files.list(dir)) {
      assertEquals(
          Set.of(
              "worker-3.aot",
              "worker-4.aot",
              "worker-z1.app.jsa",
              "worker-z2.app.jsa",
              "worker-4.aot.learned",
              "worker-4.aot.78.seen",
              "worker-x.jsa",
              "worker-x.aot.456.partial.config"),
          files.map(f -> f.getFileName().toString()).collect(Collectors.toSet()));
    }
  }

  private String jar(String name) throws Exception {
    return manifestJar(name, null);
  }

  /** Writes a jar whose manifest has {@code classPath} as its Class-Path, or none if null. */
  private String manifestJar(String name, String classPath) throws Exception {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (classPath != null) {
      manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
    }
    Path jar = dir.resolve(name);
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
      out.putNextEntry(new JarEntry("x.txt"));
      out.closeEntry();
    }
    return jar.toString();
  }

  @Test
  void namedArchive_isTheLastArchiveOptionOfAChild() {
    assertEquals(
        java.util.Optional.empty(),
        WorkerClassArchive.namedArchive(List.of("-Xmx64m", "-Xshare:auto")));
    assertEquals(
        java.util.Optional.of(Path.of("/c/b.aot")),
        WorkerClassArchive.namedArchive(
            List.of("-XX:SharedArchiveFile=/c/a.jsa", "-Xshare:auto", "-XX:AOTCache=/c/b.aot")));
  }

  @Test
  void mapped_findsTheArchiveInAChildsMaps_byItsAbsoluteOrRealPath() throws Exception {
    Path archive = Files.writeString(dir.resolve("w.jsa"), "x");
    String line = "7f3c00000000-7f3c00a00000 r--p 00000000 08:01 12 ";
    assertTrue(WorkerClassArchive.mapped(line + archive.toRealPath() + "\n", archive));
    assertFalse(WorkerClassArchive.mapped(line + "/usr/lib/jvm/lib/server/classes.jsa\n", archive));
    Files.delete(archive);
    assertTrue(
        WorkerClassArchive.mapped("", archive), "an archive gone since tells nothing either way");
  }
}
