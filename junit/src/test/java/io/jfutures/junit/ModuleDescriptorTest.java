package io.jfutures.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Pins the module's name and what it exports: the annotations and their extensions, no more. */
@Timeout(10)
class ModuleDescriptorTest {
  @Test
  void exportsItsOnePackage_toEveryone() throws Exception {
    Path classes =
        Path.of(IsolatedJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    ModuleDescriptor d;
    try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
      d = ModuleDescriptor.read(in);
    }
    assertEquals("io.jfutures.junit", d.name());
    assertEquals(
        Set.of("io.jfutures.junit"),
        d.exports().stream()
            .map(e -> e.source() + (e.isQualified() ? " to " + e.targets() : ""))
            .collect(Collectors.toSet()));
    assertEquals(Set.of(), d.opens());
    assertEquals(
        Set.of("org.junit.jupiter.api"),
        d.requires().stream()
            .filter(r -> r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE))
            .map(ModuleDescriptor.Requires::name)
            .collect(Collectors.toSet()),
        "what a user's module gets by requiring this one");
  }
}
