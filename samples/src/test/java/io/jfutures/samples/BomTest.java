package io.jfutures.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The BOM lists every library module (every module with a module descriptor) at the project's
 * version: a module added without it would make users of the BOM pick its version by hand.
 */
@Timeout(10)
final class BomTest {
  private static final Pattern ARTIFACT =
      Pattern.compile("<artifactId>(jfutures-[a-z-]+)</artifactId>");

  @Test
  void listsEveryLibraryModule_atTheParentsVersion() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    String bom = Files.readString(root.resolve("bom/pom.xml"));
    Set<String> listed = new TreeSet<>();
    Matcher m = ARTIFACT.matcher(bom.substring(bom.indexOf("<dependencyManagement>")));
    while (m.find()) {
      listed.add(m.group(1));
    }
    Set<String> libraries = new TreeSet<>();
    try (Stream<Path> modules = Files.list(root)) {
      for (Path module : (Iterable<Path>) modules::iterator) {
        if (Files.exists(module.resolve("src/main/java/module-info.java"))) {
          Matcher a = ARTIFACT.matcher(Files.readString(module.resolve("pom.xml")));
          a.find(); // the parent's
          a.find();
          libraries.add(a.group(1));
        }
      }
    }
    assertEquals(libraries, listed);
    assertEquals(version(Files.readString(root.resolve("pom.xml"))), version(bom));
  }

  private static String version(String pom) {
    Matcher v = Pattern.compile("</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
    v.find();
    return v.group(1);
  }
}
