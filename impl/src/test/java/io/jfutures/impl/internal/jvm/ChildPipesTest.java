package io.jfutures.impl.internal.jvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The pipes of a child JVM's channel, both sides played in this JVM: the parent's side opens this
 * process's own descriptors through {@code /proc}, as it opens a child's.
 */
@Timeout(30)
final class ChildPipesTest {
  @Test
  void parseAnnouncement_findsTheDescriptors_evenAfterAnotherWritersPartialLine() {
    assertArrayEquals(new int[] {5, 7}, ChildPipes.parseAnnouncement("\u0000jfutures-pipes 5 7"));
    assertArrayEquals(
        new int[] {12, 14},
        ChildPipes.parseAnnouncement(
            "[0.1s] a log line without its end\u0000jfutures-pipes 12 14"));
  }

  @Test
  void parseAnnouncement_ignoresOtherLines() {
    assertNull(ChildPipes.parseAnnouncement("hello"));
    assertNull(ChildPipes.parseAnnouncement("jfutures-pipes 5 7")); // no NUL: a child's own print
    assertNull(ChildPipes.parseAnnouncement("\u0000jfutures-pipes 5"));
    assertNull(ChildPipes.parseAnnouncement("\u0000jfutures-pipes x y"));
  }

  @Test
  void bothSides_connect_carryBytesEachWay_andTheChildsCloseIsTheParentsEndOfFile()
      throws Exception {
    assumeTrue(ChildPipes.available(), "needs /proc");
    ChildPipes child = ChildPipes.create();
    ChildJvm.Ends parent = null;
    try {
      int[] fds = ChildPipes.parseAnnouncement(child.announcement());
      CompletableFuture<Void> connected =
          CompletableFuture.runAsync(
              () -> {
                try {
                  // Not this JVM's standard output, which the test runner reads.
                  child.connect(new java.io.ByteArrayOutputStream());
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      parent = ChildPipes.open(ProcessHandle.current().pid(), fds);
      connected.get(10, TimeUnit.SECONDS);

      parent.toChild().write(ByteBuffer.wrap(bytes("task")));
      assertEquals("task", read(child.fromParent(), 4));
      child.toParent().write(ByteBuffer.wrap(bytes("outcome")));
      assertEquals("outcome", read(parent.fromChild(), 7));

      child.toParent().close();
      assertEquals(-1, parent.fromChild().read(ByteBuffer.allocate(1)));
      parent.toChild().close();
      assertEquals(-1, child.fromParent().read(ByteBuffer.allocate(1)));
    } finally {
      child.closeQuietly();
      if (parent != null) {
        parent.closeQuietly();
      }
    }
  }

  @Test
  void open_thatFails_namesTheWayOut() {
    assumeTrue(ChildPipes.available(), "needs /proc");
    java.io.IOException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            java.io.IOException.class,
            () -> ChildPipes.open(ProcessHandle.current().pid(), new int[] {99_999, 99_998}));
    assertTrue(e.getMessage().contains("-Djfutures.channel=socket"), e.getMessage());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static String read(java.nio.channels.ReadableByteChannel channel, int n)
      throws Exception {
    ByteBuffer buffer = ByteBuffer.allocate(n);
    while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
      // until n bytes
    }
    return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
  }
}
