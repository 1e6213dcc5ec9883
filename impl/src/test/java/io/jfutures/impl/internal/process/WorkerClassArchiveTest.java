package io.jfutures.impl.internal.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the worker archive lives and when a worker is not given it; no JVM is started here. */
final class WorkerClassArchiveTest {
  @TempDir Path dir;
  private String savedDir;
  private String savedEnabled;

  @BeforeEach
  void pointAtTempDir() {
    savedDir = System.getProperty(WorkerClassArchive.DIR_PROPERTY);
    savedEnabled = System.getProperty(WorkerClassArchive.ENABLED_PROPERTY);
    System.setProperty(WorkerClassArchive.DIR_PROPERTY, dir.toString());
  }

  @AfterEach
  void restore() {
    restore(WorkerClassArchive.DIR_PROPERTY, savedDir);
    restore(WorkerClassArchive.ENABLED_PROPERTY, savedEnabled);
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
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
        WorkerClassArchive.optionsFor(java, List.of("-Xmx64m")));
  }

  @Test
  void optionsFor_isEmpty_whenTurnedOffOrTheUserChoosesSharing() throws Exception {
    Path java = Path.of("/opt/jdk-user/bin/java");
    Files.write(WorkerClassArchive.archivePath(java).orElseThrow(), new byte[] {1});
    assertEquals(List.of(), WorkerClassArchive.optionsFor(java, List.of("-Xshare:off")));
    assertEquals(
        List.of(), WorkerClassArchive.optionsFor(java, List.of("-XX:SharedArchiveFile=/x.jsa")));
    assertEquals(List.of(), WorkerClassArchive.optionsFor(java, List.of("-XX:-UseCompressedOops")));
    System.setProperty(WorkerClassArchive.ENABLED_PROPERTY, "false");
    assertEquals(List.of(), WorkerClassArchive.optionsFor(java, List.of()));
  }

  @Test
  void make_withAJavaThatFails_returnsFalseAndLeavesNoFiles() throws Exception {
    Path java = Path.of("/bin/false");
    Path archive = WorkerClassArchive.archivePath(java).orElseThrow();
    assertEquals(false, WorkerClassArchive.make(java, archive));
    try (var files = Files.list(dir)) {
      assertEquals(List.of(), files.toList());
    }
  }
}
