package io.jfutures.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.testprograms.ChildPrograms;
import io.jfutures.testprograms.ExecJavaLauncher;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pool inside a parent JVM whose {@code java.class.path} is only a launcher, as under {@code mvn
 * exec:java} or an IDE's runner: the program's classes are in a URLClassLoader, the context class
 * loader of the thread that builds the pool. Workers used to be started with the launcher alone on
 * their class path, and could not load WorkerMain; and a worker's start timeout left a thread that
 * exec:java, which waits for its program's threads, waited 15 s for. See {@link ExecJavaLauncher}.
 */
final class LauncherClassPathIT {
  private static final String JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();

  @Test
  void launcherOnlyClassPath_runsATaskAndLeavesNoThreadBehind(@TempDir Path dir) throws Exception {
    Path launcherDir = dir.resolve("launcher");
    String classFile = ExecJavaLauncher.class.getName().replace('.', '/') + ".class";
    Path copy = launcherDir.resolve(classFile);
    Files.createDirectories(copy.getParent());
    try (InputStream in = ExecJavaLauncher.class.getResourceAsStream("/" + classFile)) {
      Files.copy(in, copy);
    }
    List<String> command = new ArrayList<>(List.of(JAVA));
    String cdsDir = System.getProperty("jfutures.worker.cds.dir"); // the tests' own archives
    if (cdsDir != null) {
      command.add("-Djfutures.worker.cds.dir=" + cdsDir);
    }
    command.addAll(
        List.of(
            "-cp",
            launcherDir.toString(),
            ExecJavaLauncher.class.getName(),
            System.getProperty("java.class.path"),
            ChildPrograms.class.getName(),
            "run-task"));
    Path output = dir.resolve("output.txt");
    Process parent =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    try {
      assertTrue(
          parent.waitFor(TestTimeouts.LONG.toSeconds(), TimeUnit.SECONDS),
          "the parent exited by itself");
    } finally {
      parent.destroyForcibly();
    }
    String out = Files.readString(output, StandardCharsets.UTF_8);
    System.out.println(out);
    assertTrue(out.contains("RESULT 42"), out);
    assertFalse(out.contains("CHILDREN LEFT"), out);
    assertEquals(0, parent.exitValue(), out); // 3: a thread lingered; 4: a child was left
  }
}
