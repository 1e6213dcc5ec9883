package io.jfutures.multiprocessing.internal.hub;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What a hub killed with SIGKILL leaves in /tmp is removed by the next hub that starts. */
final class HubLeftoversTest {
  @Test
  void theSocketDirectoryOfADeadHub_isRemoved_andALiveOnesIsKept() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path dead = Files.createDirectory(Path.of("/tmp", "jfutures-hub-" + gone.pid() + "-test"));
    Files.createFile(dead.resolve("hub.sock"));
    Path alive =
        Files.createDirectory(
            Path.of("/tmp", "jfutures-hub-" + ProcessHandle.current().pid() + "-test"));
    try {
      Hub.removeLeftovers();
      assertFalse(Files.exists(dead), "a dead hub's directory is gone");
      assertTrue(Files.exists(alive), "a live hub's directory stays");
    } finally {
      Files.deleteIfExists(dead.resolve("hub.sock"));
      Files.deleteIfExists(dead);
      Files.deleteIfExists(alive);
    }
  }
}
