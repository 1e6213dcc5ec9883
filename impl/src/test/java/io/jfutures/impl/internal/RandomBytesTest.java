package io.jfutures.impl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class RandomBytesTest {
  @Test
  void of_givesTheBytesAskedFor_differentEachTime() {
    byte[] a = RandomBytes.of(32);
    byte[] b = RandomBytes.of(32);
    assertEquals(32, a.length);
    assertFalse(Arrays.equals(a, b), "two draws of 256 bits are not equal");
    assertFalse(Arrays.equals(new byte[32], a), "not all zero");
  }

  @Test
  void hex_isTwoLowerCaseDigitsPerByte() {
    String h = RandomBytes.hex(8);
    assertTrue(h.matches("[0-9a-f]{16}"), h);
  }

  @Test
  void withoutTheDevice_theFallbackGivesThem() {
    byte[] a = RandomBytes.of(16, "/nonexistent/urandom");
    byte[] b = RandomBytes.of(16, "/nonexistent/urandom");
    assertEquals(16, a.length);
    assertFalse(Arrays.equals(a, b));
  }

  @Test
  void aDeviceThatEndsTooSoon_isNotPaddedWithZeros(@TempDir Path dir) throws Exception {
    Path shortDevice = Files.write(dir.resolve("short"), new byte[] {1, 2, 3, 4});
    byte[] a = RandomBytes.of(16, shortDevice.toString());
    byte[] b = RandomBytes.of(16, shortDevice.toString());
    assertEquals(16, a.length);
    assertFalse(Arrays.equals(a, b), "both from the fallback, not the file's 4 bytes and zeros");
  }
}
