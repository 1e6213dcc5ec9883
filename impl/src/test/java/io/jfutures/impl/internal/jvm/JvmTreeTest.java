package io.jfutures.impl.internal.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
final class JvmTreeTest {
  @TempDir Path dir;

  @Test
  void thisJvm_isARootThatRuns() {
    assertTrue(JvmTree.isRoot(), "the test JVM was not started by jfutures");
    assertTrue(JvmTree.isAlive(JvmTree.id()));
    assertTrue(JvmTree.id().startsWith(ProcessHandle.current().pid() + "-"));
  }

  @Test
  void aRootThatEnded_orAPidReusedByAnotherProcess_isNotAlive() throws Exception {
    Process p = new ProcessBuilder("true").start();
    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    assertFalse(JvmTree.isAlive(p.pid() + "-" + 1));
    // This JVM's pid with another start time: a process that reused a dead root's pid.
    assertFalse(JvmTree.isAlive(ProcessHandle.current().pid() + "-1"));
    assertTrue(JvmTree.isAlive("not-an-id"), "what cannot be read is left alone");
  }

  @Test
  void removeMarked_removesTheMarkedFiles_andOnlyThose() throws Exception {
    Path markers = Files.createDirectory(dir.resolve("jfutures-tree-1-1"));
    Files.writeString(dir.resolve("a"), "a");
    Files.writeString(dir.resolve("b"), "b");
    Files.createFile(markers.resolve("a"));
    Files.createFile(markers.resolve("gone")); // its file was removed already

    assertEquals(List.of("a"), JvmTree.removeMarked(markers));

    assertFalse(Files.exists(dir.resolve("a")));
    assertTrue(Files.exists(dir.resolve("b")), "an unmarked file was removed");
    assertFalse(Files.exists(markers));
  }

  @Test
  void aMarkedFile_isRemovedWithItsMarker() throws Exception {
    Path file = JvmTree.files().resolve("jfutures_tree_test_" + System.nanoTime());
    Files.createFile(file);
    JvmTree.belongs(file);
    Path marker =
        JvmTree.files().resolve("jfutures-tree-" + JvmTree.id()).resolve(file.getFileName());
    assertTrue(Files.exists(marker));
    JvmTree.remove(file);
    assertFalse(Files.exists(file));
    assertFalse(Files.exists(marker));
  }

  @Test
  void theFilesOfADeadTree_areRemoved_andThoseOfALiveOneKept() throws Exception {
    Process p = new ProcessBuilder("true").start();
    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    String name = "jfutures_tree_test_" + System.nanoTime();
    Path dead = Files.createDirectory(JvmTree.files().resolve("jfutures-tree-" + p.pid() + "-7"));
    Files.createFile(JvmTree.files().resolve(name + "_dead"));
    Files.createFile(dead.resolve(name + "_dead"));
    Path mine = JvmTree.files().resolve(name + "_mine");
    Files.createFile(mine);
    JvmTree.belongs(mine);
    try {
      JvmTree.removeDeadTrees();

      assertFalse(Files.exists(JvmTree.files().resolve(name + "_dead")));
      assertFalse(Files.exists(dead));
      assertTrue(Files.exists(mine), "a live tree's file was removed");
    } finally {
      JvmTree.remove(mine);
    }
  }
}
