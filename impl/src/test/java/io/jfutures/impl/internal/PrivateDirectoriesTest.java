package io.jfutures.impl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class PrivateDirectoriesTest {
  @Test
  void create_makesANewDirectoryOnlyItsOwnerMayEnter(@TempDir Path parent) throws Exception {
    Path a = PrivateDirectories.create(parent, "jfutures-test-42-");
    Path b = PrivateDirectories.create(parent, "jfutures-test-42-");
    assertNotEquals(a, b);
    for (Path dir : new Path[] {a, b}) {
      assertTrue(Files.isDirectory(dir), dir.toString());
      assertEquals(parent, dir.getParent());
      assertTrue(
          dir.getFileName().toString().matches("jfutures-test-42-[0-9a-f]{16}"),
          dir.getFileName().toString());
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    }
  }
}
