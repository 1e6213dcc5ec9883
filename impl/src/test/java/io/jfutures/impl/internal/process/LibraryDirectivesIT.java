package io.jfutures.impl.internal.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.impl.internal.jvm.ChildJvmSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDK under test reads the directive's file: a JVM given a file it cannot parse would not
 * start.
 */
final class LibraryDirectivesIT {
  @TempDir Path dir;
  @RegisterExtension final TestProperties properties = new TestProperties();

  @BeforeEach
  void pointAtTempDir() {
    properties.set(WorkerClassArchive.DIR_PROPERTY, dir.toString());
  }

  @Test
  void theJvmReadsBothDirectives_andSaysSoOnStandardOutput() throws Exception {
    List<String> command = new ArrayList<>();
    command.add(ChildJvmSpec.currentJava().toString());
    command.addAll(LibraryDirectives.options(List.of()));
    command.add("-version");
    Process java = new ProcessBuilder(command).start();
    java.getOutputStream().close();
    String out = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(java.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(java.waitFor(60, TimeUnit.SECONDS), "java -version ran past a minute");
    assertEquals(0, java.exitValue(), out + err);
    // The line ChildJvm drops from a child's output, as the JVM prints it.
    assertEquals("2 compiler directives added", out.lines().findFirst().orElse(""), out);
  }
}
