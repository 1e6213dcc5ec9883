package io.jfutures.impl.internal.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The child-JVM layer: the command it runs, and how it reports a child that never connects. */
final class ChildJvmTest {
  private static ChildJvmSpec spec(String mainModule, List<String> modulePath, List<String> args) {
    return new ChildJvmSpec(
        "child-1",
        ChildJvmSpec.currentJava(),
        List.of("-Xmx64m"),
        List.of("a.jar", "b"),
        modulePath,
        Map.of(),
        mainModule,
        "app.Main",
        args,
        Duration.ofSeconds(5));
  }

  @Test
  void command_onTheClassPath() {
    Path socket = Path.of("/tmp/x/c.sock");
    assertEquals(
        List.of(
            ChildJvmSpec.currentJava().toString(),
            "-Xmx64m",
            "-cp",
            "a.jar" + java.io.File.pathSeparator + "b",
            "app.Main",
            "--connect",
            socket.toString(),
            "daemon"),
        ChildJvm.command(spec(null, List.of(), List.of("daemon")), socket.toString()));
  }

  @Test
  void command_onTheModulePath_runsTheMainModule() {
    List<String> command = ChildJvm.command(spec("app.mod", List.of("mods"), List.of()), "/s");
    int m = command.indexOf("-m");
    assertEquals("app.mod/app.Main", command.get(m + 1));
    assertEquals("mods", command.get(command.indexOf("-p") + 1));
    assertEquals(List.of("--connect", "/s"), command.subList(m + 2, command.size()));
  }

  @Test
  void aChildThatExitsBeforeItConnects_failsStart_withItsExitCodeAndStderr() {
    ChildJvmSpec spec =
        new ChildJvmSpec(
            "child-bad",
            ChildJvmSpec.currentJava(),
            List.of("-Xmx-1"), // the JVM refuses to start
            List.of(),
            List.of(),
            Map.of(),
            null,
            "app.Main",
            List.of(),
            Duration.ofSeconds(30));
    IOException e = assertThrows(IOException.class, () -> ChildJvm.start(spec));
    assertTrue(e.getMessage().startsWith("child-bad exited with exit code 1"), e.getMessage());
    assertTrue(e.getMessage().contains("Invalid maximum heap size"), e.getMessage());
  }
}
