package io.jfutures.impl.internal.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a recording child asks its archive to learn, and the files that say where learning stands;
 * the shell that would start a maker is {@code /bin/true} here, so no JVM is started.
 */
final class ArchiveLearningTest {
  private static final Path NO_SHELL = Path.of("/bin/true");
  private static final String[] NONE = {};

  @TempDir Path dir;
  private Path archive;

  @BeforeEach
  void setUp() {
    archive = dir.resolve("worker-abc.app.jsa");
  }

  @Test
  void notArchived_keepsClassesFromTheJdkOrAJar_only() {
    assertEquals(
        "com.example.Task",
        ArchiveLearning.notArchived("com.example.Task source: file:/x/app.jar"));
    assertEquals(
        "java.time.Instant",
        ArchiveLearning.notArchived("java.time.Instant source: jrt:/java.base"));
    assertNull(ArchiveLearning.notArchived("java.lang.Object source: shared objects file"));
    assertNull(ArchiveLearning.notArchived("java.lang.Object source: shared objects file (top)"));
    // Defined at run time: no class path has them.
    assertNull(
        ArchiveLearning.notArchived(
            "com.example.Task$$Lambda$14/0x0000000800c01234 source: com.example.Task"));
    assertNull(
        ArchiveLearning.notArchived(
            "jdk.internal.reflect.GeneratedSerializationConstructorAccessor1 source:"
                + " __ClassDefiner__"));
    assertNull(ArchiveLearning.notArchived("no source here"));
    assertNull(ArchiveLearning.notArchived(""));
  }

  @Test
  void learn_asksForWhatTheArchiveLacks_onceAMakerHasIt() throws Exception {
    assumeTrue(Files.isExecutable(NO_SHELL));
    String[] log = {
      "java.lang.Object source: shared objects file",
      "com.example.Task source: file:/x/app.jar",
      "java.time.Instant source: jrt:/java.base",
      "com.example.Task$$Lambda$1/0x01 source: com.example.Task"
    };
    assertTrue(ArchiveLearning.learn(archive, log, NONE, NO_SHELL), "a maker was started");
    assertEquals(
        List.of("com.example.Task", "java.time.Instant"),
        Files.readAllLines(ArchiveLearning.requestFile(archive)));
    assertEquals(Set.of("com.example.Task", "java.time.Instant"), ArchiveLearning.learned(archive));

    String[] more = {"com.example.Other source: file:/x/app.jar"};
    assertFalse(ArchiveLearning.learn(archive, more, NONE, NO_SHELL), "one maker at a time");

    ArchiveLearning.madeArchive(archive, true);
    assertFalse(Files.exists(ArchiveLearning.requestFile(archive)));
    assertEquals(
        List.of("com.example.Task", "java.time.Instant"),
        Files.readAllLines(ArchiveLearning.learnedFile(archive)));
    assertFalse(ArchiveLearning.learn(archive, log, NONE, NO_SHELL), "nothing new: no maker");

    assertTrue(ArchiveLearning.learn(archive, more, NONE, NO_SHELL), "a new class: a maker again");
    assertEquals(
        List.of("com.example.Other", "com.example.Task", "java.time.Instant"),
        Files.readAllLines(ArchiveLearning.requestFile(archive)),
        "the request holds what was learned before too: the maker trains on it all");
  }

  @Test
  void learn_takesTheLambdaLinesOfAClassList_asTheyAre() throws Exception {
    assumeTrue(Files.isExecutable(NO_SHELL));
    String proxy =
        "@lambda-proxy com/example/Task run ()Ljava/lang/Runnable; ()V REF_invokeStatic"
            + " com/example/Task lambda$run$0 ()V ()V";
    String invoker =
        "@lambda-form-invoker [LF_RESOLVE] java.lang.invoke.DirectMethodHandle$Holder invokeStatic"
            + " L_L";
    String[] classList = {"# NOTE: Do not modify this file.", "java/lang/Object", proxy, invoker};
    assertTrue(ArchiveLearning.learn(archive, NONE, classList, NO_SHELL));
    assertEquals(Set.of(invoker, proxy), ArchiveLearning.learned(archive));
    assertTrue(ArchiveLearning.isLambdaLine(proxy));
    assertFalse(ArchiveLearning.isLambdaLine("java/lang/Object"));
    ArchiveLearning.madeArchive(archive, true);
    assertFalse(ArchiveLearning.learn(archive, NONE, classList, NO_SHELL), "learned: nothing new");
  }

  @Test
  void aFailedMaker_dropsItsRequest_andAStaleRequestIsTakenOver() throws Exception {
    assumeTrue(Files.isExecutable(NO_SHELL));
    String[] log = {"com.example.Task source: file:/x/app.jar"};
    assertTrue(ArchiveLearning.learn(archive, log, NONE, NO_SHELL));
    ArchiveLearning.madeArchive(archive, false);
    assertFalse(Files.exists(ArchiveLearning.requestFile(archive)));
    assertFalse(Files.exists(ArchiveLearning.learnedFile(archive)), "nothing was learned");
    assertEquals(Set.of(), ArchiveLearning.learned(archive));

    assertTrue(ArchiveLearning.learn(archive, log, NONE, NO_SHELL), "asked again");
    Files.setLastModifiedTime(
        ArchiveLearning.requestFile(archive),
        FileTime.fromMillis(System.currentTimeMillis() - ArchiveLearning.STALE_MILLIS - 1_000));
    assertTrue(
        ArchiveLearning.learn(archive, log, NONE, NO_SHELL), "a maker that died is replaced");
  }

  @Test
  void learn_withAShellThatFails_dropsTheRequest() throws Exception {
    Path failing = Path.of("/bin/false");
    assumeTrue(Files.isExecutable(failing));
    String[] log = {"com.example.Task source: file:/x/app.jar"};
    try {
      ArchiveLearning.learn(archive, log, NONE, failing);
    } catch (java.io.IOException expected) {
      // the child's exit goes on
    }
    assertFalse(Files.exists(ArchiveLearning.requestFile(archive)));
  }

  @Test
  void recordingOptions_nameAPerChildLog_andWriteTheMakersArguments() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/bin/sh")));
    List<String> options =
        ArchiveLearning.recordingOptions(
            archive, List.of("-cp", "/a b/c.jar", "Main", "x\"y\\z"), false);
    assertEquals(2, options.size(), options.toString());
    String seen = options.get(1).substring(("-D" + ArchiveLearning.PROPERTY + "=").length());
    assertTrue(seen.matches(archive + "\\.[0-9a-f]+\\.seen"), seen);
    assertEquals("-Xlog:class+load=info:file=" + seen + ":none:filecount=0", options.get(0));
    assertEquals(archive, ArchiveLearning.archiveOf(Path.of(seen)));
    assertTrue(ArchiveLearning.isLeftover(Path.of(seen)));
    assertEquals(
        "\"-cp\"\n\"/a b/c.jar\"\n\"Main\"\n\"x\\\"y\\\\z\"\n",
        Files.readString(ArchiveLearning.argsFile(archive), StandardCharsets.UTF_8));

    List<String> withClassList = ArchiveLearning.recordingOptions(archive, List.of("Main"), true);
    assertTrue(
        withClassList
            .get(1)
            .matches("-XX:DumpLoadedClassList=" + archive + "\\.[0-9a-f]+\\.classlist"),
        withClassList.toString());

    Path odd = dir.resolve("with space").resolve("worker.app.jsa");
    assertEquals(
        List.of(),
        ArchiveLearning.recordingOptions(odd, List.of("Main"), true),
        "a path -Xlog cannot name: no recording");
  }

  @Test
  void forget_andIsLeftover_coverEveryFileBesideAnArchive() throws Exception {
    for (Path file :
        List.of(
            ArchiveLearning.argsFile(archive),
            ArchiveLearning.learnedFile(archive),
            ArchiveLearning.requestFile(archive))) {
      Files.write(file, new byte[] {1});
    }
    assertTrue(ArchiveLearning.isLeftover(ArchiveLearning.requestFile(archive)));
    assertFalse(ArchiveLearning.isLeftover(ArchiveLearning.learnedFile(archive)));
    assertFalse(ArchiveLearning.isLeftover(archive));
    ArchiveLearning.forget(archive);
    try (var left = Files.list(dir)) {
      assertEquals(0, left.count());
    }
  }
}
