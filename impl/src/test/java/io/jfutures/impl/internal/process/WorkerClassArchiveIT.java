package io.jfutures.impl.internal.process;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.impl.ProcessPoolExecutor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker archive is really made by the JDK, and a worker really maps it. */
final class WorkerClassArchiveIT {
  @TempDir Path dir;
  private String savedDir;

  @BeforeEach
  void pointAtTempDir() {
    savedDir = System.getProperty(WorkerClassArchive.DIR_PROPERTY);
    System.setProperty(WorkerClassArchive.DIR_PROPERTY, dir.toString());
  }

  @AfterEach
  void restore() {
    if (savedDir == null) {
      System.clearProperty(WorkerClassArchive.DIR_PROPERTY);
    } else {
      System.setProperty(WorkerClassArchive.DIR_PROPERTY, savedDir);
    }
  }

  @Test
  void make_producesAnArchiveThisJdkMaps_andAWorkerUsesIt() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path archive = WorkerClassArchive.archivePath(java).orElseThrow();
    assertTrue(WorkerClassArchive.make(java, archive), "the dump succeeded");
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
}
