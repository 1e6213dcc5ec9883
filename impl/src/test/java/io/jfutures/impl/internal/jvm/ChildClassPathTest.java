package io.jfutures.impl.internal.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.api.Executor;
import io.jfutures.impl.ProcessPoolExecutor;
import io.jfutures.spi.WorkerLauncher;
import java.io.File;
import java.io.OutputStream;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which class path a child JVM gets for which class loader; no JVM is started here. */
final class ChildClassPathTest {
  private static final String JAVA_CLASS_PATH = System.getProperty("java.class.path");
  private static final ClassLoader SYSTEM = ClassLoader.getSystemClassLoader();

  @TempDir Path dir;

  /** A loader that hides where its classes come from, as Spring Boot's or an OSGi framework's. */
  private static final class CustomLoader extends ClassLoader {
    CustomLoader(ClassLoader parent) {
      super("custom", parent);
    }
  }

  @Test
  void of_systemLoader_isJavaClassPath() {
    assertEquals(
        List.of(JAVA_CLASS_PATH.split(File.pathSeparator)),
        ChildClassPath.of(SYSTEM, JAVA_CLASS_PATH, List.of(), List.of()));
  }

  @Test
  void of_urlClassLoaderChain_addsItsFileUrlsAfterJavaClassPath_outermostFirst_once()
      throws Exception {
    Path a = Files.createDirectory(dir.resolve("a"));
    Path b = Files.createFile(dir.resolve("b.jar"));
    Path c = Files.createDirectory(dir.resolve("c"));
    String first = JAVA_CLASS_PATH.split(File.pathSeparator)[0];
    try (URLClassLoader outer = new URLClassLoader(urls(a, b), SYSTEM);
        URLClassLoader inner = new URLClassLoader(urls(c, a, Path.of(first)), outer)) {
      List<String> expected = new ArrayList<>(List.of(JAVA_CLASS_PATH.split(File.pathSeparator)));
      expected.addAll(List.of(a.toString(), b.toString(), c.toString()));
      assertEquals(expected, ChildClassPath.of(inner, JAVA_CLASS_PATH, List.of(), List.of()));
    }
  }

  @Test
  void of_launcherOnlyClassPath_addsTheApplicationLoaderOverThePlatformLoader() throws Exception {
    // As mvn exec:java: java.class.path is the launcher, the application a URLClassLoader.
    Path launcher = Files.createFile(dir.resolve("launcher.jar"));
    List<Path> app = Stream.of(JAVA_CLASS_PATH.split(File.pathSeparator)).map(Path::of).toList();
    try (URLClassLoader loader =
        new URLClassLoader(urls(app.toArray(new Path[0])), ClassLoader.getPlatformClassLoader())) {
      List<String> expected = new ArrayList<>(List.of(launcher.toString()));
      app.forEach(p -> expected.add(p.toAbsolutePath().normalize().toString()));
      assertEquals(
          expected.stream().distinct().toList(),
          ChildClassPath.of(loader, launcher.toString(), List.of(), List.of()));
    }
  }

  @Test
  void of_ownClassesMissing_addsTheirLocations() {
    Path other = dir.resolve("other.jar");
    List<String> expected = new ArrayList<>(List.of(other.toString()));
    ownLocations().stream().map(Path::toString).distinct().forEach(expected::add);
    assertEquals(expected, ChildClassPath.of(SYSTEM, other.toString(), List.of(), List.of()));
  }

  @Test
  void of_ownClassesOnTheModulePath_leavesThemOut() {
    Path impl = location(ChildClassPath.class);
    for (Path modulePathEntry : List.of(impl, impl.getParent())) {
      assertFalse(
          ChildClassPath.of(SYSTEM, "other.jar", List.of(modulePathEntry.toString()), List.of())
              .contains(impl.toString()),
          modulePathEntry.toString());
    }
  }

  @Test
  void of_ownClassesInAManifestClassPath_leavesThemOut() throws Exception {
    // As java -jar app.jar, whose manifest names the libraries.
    Path jar = dir.resolve("app.jar");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest
        .getMainAttributes()
        .put(
            Attributes.Name.CLASS_PATH,
            ownLocations().stream()
                .map(p -> p.toUri().toString())
                .distinct()
                .collect(Collectors.joining(" ")));
    try (OutputStream file = Files.newOutputStream(jar)) {
      new JarOutputStream(file, manifest).finish();
    }
    assertEquals(
        List.of(jar.toString()), ChildClassPath.of(SYSTEM, jar.toString(), List.of(), List.of()));
  }

  @Test
  void of_loaderOfAnotherKind_throwsNamingItAndExtraClassPath() throws Exception {
    try (URLClassLoader below = new URLClassLoader(urls(dir), new CustomLoader(SYSTEM))) {
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () -> ChildClassPath.of(below, JAVA_CLASS_PATH, List.of(), List.of()));
      assertTrue(e.getMessage().contains(CustomLoader.class.getName()), e.getMessage());
      assertTrue(e.getMessage().contains("extraClassPath"), e.getMessage());
    }
  }

  @Test
  void of_urlClassLoaderWithANonFileUrl_throwsNamingTheUrl() throws Exception {
    URL nested = URI.create("jar:file:/srv/app.jar!/BOOT-INF/classes/").toURL();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {nested}, SYSTEM)) {
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () -> ChildClassPath.of(loader, JAVA_CLASS_PATH, List.of(), List.of()));
      assertTrue(e.getMessage().contains(nested.toString()), e.getMessage());
      assertTrue(e.getMessage().contains("extraClassPath"), e.getMessage());
    }
  }

  @Test
  void of_loaderOfAnotherKindWithExtraClassPath_trustsTheExtraEntries() throws Exception {
    try (URLClassLoader above = new URLClassLoader(urls(dir), SYSTEM)) {
      assertEquals(
          List.of(JAVA_CLASS_PATH.split(File.pathSeparator)),
          ChildClassPath.of(
              new CustomLoader(above), JAVA_CLASS_PATH, List.of(), List.of("/srv/tasks.jar")));
    }
  }

  @Test
  void build_underALoaderOfAnotherKind_failsThere_unlessGivenExtraClassPath() {
    Thread thread = Thread.currentThread();
    ClassLoader saved = thread.getContextClassLoader();
    thread.setContextClassLoader(new CustomLoader(SYSTEM));
    try {
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> ProcessPoolExecutor.newBuilder().build());
      assertTrue(e.getMessage().contains(CustomLoader.class.getName()), e.getMessage());
      ProcessPoolExecutor.newBuilder().extraClassPath(List.of(dir.toString())).build().close();
    } finally {
      thread.setContextClassLoader(saved);
    }
  }

  private static URL[] urls(Path... paths) throws Exception {
    URL[] urls = new URL[paths.length];
    for (int i = 0; i < paths.length; i++) {
      urls[i] = paths[i].toAbsolutePath().toUri().toURL();
    }
    return urls;
  }

  private static List<Path> ownLocations() {
    return Arrays.asList(
        location(ChildClassPath.class), location(Executor.class), location(WorkerLauncher.class));
  }

  private static Path location(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException e) {
      throw new AssertionError(e);
    }
  }
}
