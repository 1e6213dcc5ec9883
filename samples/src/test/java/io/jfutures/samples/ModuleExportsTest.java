package io.jfutures.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.api.Executor;
import io.jfutures.impl.ProcessPoolExecutor;
import io.jfutures.multiprocessing.JvmProcess;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Pins what the jfutures modules export, as Caffeine's ModuleTest does. */
final class ModuleExportsTest {
  /** A reference to a class of a jfutures package, as {@code io.jfutures.impl.internal.Calls}. */
  private static final Pattern JFUTURES_CLASS =
      Pattern.compile("\\bio\\.jfutures\\.((?:[a-z_][a-z0-9_]*\\.)+)[A-Z*]");

  @Test
  void impl_exportsOnlyImplPackage() throws Exception {
    ModuleDescriptor impl = descriptorOf(ProcessPoolExecutor.class);
    assertEquals("io.jfutures.impl", impl.name());
    assertEquals(Set.of("io.jfutures.impl"), unqualifiedExports(impl));
    // Only to the toolbox built on the child-JVM layer (and the workers' class archive), and to
    // the cluster backend (the library's threads, the deserialization filter).
    assertEquals(
        Set.of(
            "io.jfutures.impl.internal to [io.jfutures.hazelcast, io.jfutures.multiprocessing]",
            "io.jfutures.impl.internal.jvm to [io.jfutures.multiprocessing]",
            "io.jfutures.impl.internal.process to"
                + " [io.jfutures.hazelcast, io.jfutures.multiprocessing]"),
        qualifiedExports(impl));
    assertEquals(Set.of(), impl.opens());
    assertTrue(impl.packages().contains("io.jfutures.impl.internal.process"), impl.toString());
  }

  @Test
  void multiprocessing_exportsOnlyItsPublicPackage() throws Exception {
    ModuleDescriptor mp = descriptorOf(JvmProcess.class);
    assertEquals("io.jfutures.multiprocessing", mp.name());
    assertEquals(Set.of("io.jfutures.multiprocessing"), unqualifiedExports(mp));
    assertEquals(Set.of(), qualifiedExports(mp));
    assertEquals(Set.of(), mp.opens());
  }

  @Test
  void spi_exportsOnlySpiPackage() throws Exception {
    ModuleDescriptor spi = descriptorOf(io.jfutures.spi.WorkerLauncher.class);
    assertEquals("io.jfutures.spi", spi.name());
    assertEquals(Set.of("io.jfutures.spi", "io.jfutures.spi.backend"), unqualifiedExports(spi));
    assertEquals(Set.of(), qualifiedExports(spi));
    assertEquals(Set.of(), spi.opens());
  }

  @Test
  void hazelcast_exportsOnlyItsPublicPackage() throws Exception {
    ModuleDescriptor hz = descriptorOf(io.jfutures.hazelcast.HazelcastBackend.class);
    assertEquals("io.jfutures.hazelcast", hz.name());
    assertEquals(Set.of("io.jfutures.hazelcast"), unqualifiedExports(hz));
    assertEquals(Set.of(), qualifiedExports(hz));
    assertEquals(Set.of(), hz.opens());
  }

  @Test
  void api_exportsOnlyApiPackage() throws Exception {
    ModuleDescriptor api = descriptorOf(Executor.class);
    assertEquals("io.jfutures.api", api.name());
    assertEquals(Set.of("io.jfutures.api"), unqualifiedExports(api));
    assertEquals(Set.of(), qualifiedExports(api));
    assertEquals(Set.of(), api.opens());
  }

  @Test
  void samples_useExportedPackagesOnly() throws IOException {
    Path sources = Path.of("src", "main", "java", "io", "jfutures", "samples");
    assertTrue(Files.isDirectory(sources), sources.toAbsolutePath().toString());
    List<Path> files;
    try (Stream<Path> listing = Files.list(sources)) {
      files = listing.filter(f -> f.toString().endsWith(".java")).collect(Collectors.toList());
    }
    Map<String, Set<String>> used = new TreeMap<>();
    for (Path file : files) {
      Matcher m = JFUTURES_CLASS.matcher(Files.readString(file));
      while (m.find()) {
        String pkg = "io.jfutures." + m.group(1).substring(0, m.group(1).length() - 1);
        used.computeIfAbsent(pkg, k -> new TreeSet<>()).add(file.getFileName().toString());
      }
    }
    assertTrue(used.containsKey("io.jfutures.impl"), used.toString());
    assertEquals(
        Set.of(
            "io.jfutures.api",
            "io.jfutures.hazelcast",
            "io.jfutures.impl",
            "io.jfutures.multiprocessing",
            "io.jfutures.samples"),
        used.keySet(),
        "packages the samples use, with the files using them: " + used);
  }

  /** Reads the module descriptor of the jar or class directory {@code type} was loaded from. */
  private static ModuleDescriptor descriptorOf(Class<?> type) throws URISyntaxException {
    Path location = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    Set<ModuleReference> found = ModuleFinder.of(location).findAll();
    assertEquals(1, found.size(), "modules at " + location + ": " + found);
    return found.iterator().next().descriptor();
  }

  private static Set<String> unqualifiedExports(ModuleDescriptor module) {
    return module.exports().stream()
        .filter(e -> !e.isQualified())
        .map(ModuleDescriptor.Exports::source)
        .collect(Collectors.toSet());
  }

  private static Set<String> qualifiedExports(ModuleDescriptor module) {
    return module.exports().stream()
        .filter(ModuleDescriptor.Exports::isQualified)
        .map(e -> e.source() + " to " + new TreeSet<>(e.targets()))
        .collect(Collectors.toSet());
  }
}
