package io.jfutures.impl.internal.jvm;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A child's start rehearsed in this JVM, as a class archive's training runs it: its orphan watch
 * must end because its channel closed, never halt (this test's JVM surviving shows it), and it must
 * leave no pipe or thread behind. End-of-file halting is {@link ChildSideIT}'s.
 */
@Timeout(30)
final class ChildSideTest {
  @Test
  void rehearseStart_endsItsWatchQuietly_andLeavesNoPipeOpen() throws Exception {
    assumeTrue(ChildPipes.available(), "pipes through /proc: Linux only");
    long pipesBefore = openPipes();
    ChildSide.rehearseStart();
    awaitNoWatch();
    await().atMost(Duration.ofSeconds(10)).until(() -> openPipes() == pipesBefore);
  }

  /**
   * A non-daemon child's watch is released once it connected, and its channel is closed on another
   * thread: an end of the channel seen before that close must not halt the JVM (were it to, this
   * test's JVM would end here, and the build with it).
   */
  @Test
  void aReleasedWatch_seesTheEndOfItsChannel_andDoesNotHalt() throws Exception {
    assumeTrue(ChildPipes.available(), "pipes through /proc: Linux only");
    ChildPipes pipes = ChildPipes.create();
    ChildSide.OrphanWatch watch;
    try {
      watch = ChildSide.OrphanWatch.start(FileChannel.open(pipes.fromParentPath()));
      watch.stopHalting();
    } finally {
      pipes.closeQuietly(); // the pipe's last writer: the watch reads its end
    }
    awaitNoWatch();
    watch.close();
  }

  /** Waits until no orphan watch runs in this JVM: it ended quietly. */
  private static void awaitNoWatch() {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.getName().equals("jfutures-orphan-watch") && t.isAlive()));
  }

  private static long openPipes() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.filter(
              fd -> {
                try {
                  return Files.readSymbolicLink(fd).toString().startsWith("pipe:");
                } catch (IOException e) {
                  return false; // closed while listed
                }
              })
          .count();
    }
  }
}
