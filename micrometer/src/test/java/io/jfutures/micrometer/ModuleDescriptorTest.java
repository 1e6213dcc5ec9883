package io.jfutures.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Pins the module's name and what it exports: the binder's package, no more. */
@Timeout(10)
class ModuleDescriptorTest {
  @Test
  void exportsItsOnePackage_toEveryone() throws Exception {
    Path classes =
        Path.of(PoolMeterBinder.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    ModuleDescriptor d;
    try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
      d = ModuleDescriptor.read(in);
    }
    assertEquals("io.jfutures.micrometer", d.name());
    assertEquals(
        Set.of("io.jfutures.micrometer"),
        d.exports().stream()
            .map(e -> e.source() + (e.isQualified() ? " to " + e.targets() : ""))
            .collect(Collectors.toSet()));
    assertEquals(Set.of(), d.opens());
  }
}
