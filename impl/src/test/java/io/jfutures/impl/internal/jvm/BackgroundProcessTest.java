package io.jfutures.impl.internal.jvm;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A detached process runs on its own: the call returns once its shell has, and it is no child. */
final class BackgroundProcessTest {
  @TempDir Path dir;

  @Test
  void startDetached_runsTheCommand_asNoChildOfThisJvm() throws Exception {
    assumeTrue(BackgroundProcess.canDetach());
    Path started = dir.resolve("started");
    Path done = dir.resolve("done");
    // The command outlives the call: it waits for a file that only this test writes.
    String script =
        "touch '"
            + started
            + "'; while [ ! -e '"
            + done
            + "' ]; do sleep 0.05; done; rm '"
            + started
            + "'";
    BackgroundProcess.startDetached(List.of("/bin/sh", "-c", script));
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(started));
    assertEquals(
        List.of(),
        ProcessHandle.current()
            .descendants()
            .filter(p -> p.info().commandLine().orElse("").contains(done.toString()))
            .toList(),
        "the shell exited, and its job is no child of this JVM");
    Files.write(done, new byte[0]);
    await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(started));
  }

  @Test
  void startDetached_throws_whenTheShellFails() {
    Path failing = Path.of("/bin/false");
    assumeTrue(Files.isExecutable(failing));
    IOException e =
        assertThrows(
            IOException.class,
            () -> BackgroundProcess.startDetached(failing, List.of("/bin/true")));
    assertTrue(e.getMessage().contains("/bin/false"), e.getMessage());
  }

  @Test
  void lowPriority_isNice19_whereThereIsNice() {
    List<String> prefix = BackgroundProcess.lowPriority();
    assumeTrue(!prefix.isEmpty(), "no nice here");
    assertEquals(List.of("-n", "19"), prefix.subList(1, 3));
    assertTrue(prefix.get(0).endsWith("/nice"), prefix.toString());
  }
}
