package io.jfutures.impl.internal.jvm;

import io.jfutures.api.Executor;
import io.jfutures.spi.WorkerLauncher;
import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides a child JVM's class path: where it finds the classes of its creator's class loader (a
 * pool's workers, a process's target).
 *
 * <p>The rule: this JVM's {@code java.class.path} first, as the system class loader, which
 * delegates parent-first, comes first; then the {@code file:} URLs of each {@link URLClassLoader}
 * between the system class loader and the pool's class loader, from the outermost to the pool's
 * own, so that the application's loader comes where a class path would put it (as under {@code mvn
 * exec:java} or an IDE's runner, whose {@code java.class.path} is only the launcher); then the jars
 * or directories of jfutures' own classes (api, spi, impl, and the child's main class) that neither
 * the entries before nor the module path holds, so that a child always finds its main class. An
 * entry that comes twice is kept where it comes first. Any other loader in that chain (a
 * URLClassLoader with a {@code jar:nested:} URL, say, or a loader of another kind) hides where its
 * classes come from: then the caller's extra class path entries are trusted to hold them, and
 * without any it fails.
 *
 * <p>This class is thread-safe.
 */
public final class ChildClassPath {
  /** A class of each of jfutures' jars: impl, api and spi. */
  private static final List<Class<?>> OWN_CLASSES =
      List.of(ChildClassPath.class, Executor.class, WorkerLauncher.class);

  /** How a pool's builder is given the extra entries: what the error of a hidden loader names. */
  public static final String POOL_EXTRA_CLASS_PATH =
      "ProcessPoolExecutor.Builder.extraClassPath(...)";

  private ChildClassPath() {}

  /**
   * Returns a pool worker's class path entries; see {@link #of(ClassLoader, String, List, List,
   * String, Class)}.
   */
  public static List<String> of(
      ClassLoader loader,
      String javaClassPath,
      List<String> modulePath,
      List<String> extraClassPath) {
    return of(
        loader, javaClassPath, modulePath, extraClassPath, POOL_EXTRA_CLASS_PATH, Executor.class);
  }

  /**
   * Returns a child's class path entries, before the extra ones its creator was given.
   *
   * @param loader the creator's class loader
   * @param javaClassPath this JVM's {@code java.class.path}, or null
   * @param modulePath this JVM's module path entries
   * @param extraClassPath the entries the creator adds after these
   * @param extraClassPathSetter how a user gives the extra entries, for the error message
   * @param mainClass the child's main class, which the child must find
   * @throws IllegalStateException if {@code loader} or a parent of it hides where its classes come
   *     from, and {@code extraClassPath} is empty
   */
  public static List<String> of(
      ClassLoader loader,
      String javaClassPath,
      List<String> modulePath,
      List<String> extraClassPath,
      String extraClassPathSetter,
      Class<?> mainClass) {
    Map<Path, String> entries = new LinkedHashMap<>(); // by absolute path, in order
    if (javaClassPath != null && !javaClassPath.isEmpty()) {
      for (String entry : javaClassPath.split(File.pathSeparator)) {
        entries.putIfAbsent(Path.of(entry).toAbsolutePath().normalize(), entry);
      }
    }
    List<Path> fromLoaders = new ArrayList<>();
    for (ClassLoader l : chainBelowSystemLoader(loader)) {
      String hidden = hidden(l);
      if (hidden != null) {
        if (extraClassPath.isEmpty()) {
          throw new IllegalStateException(
              "cannot tell which class path a child JVM needs: "
                  + (l == loader
                      ? "the context class loader, " + describe(l) + ","
                      : describe(l)
                          + ", a parent of the context class loader "
                          + describe(loader)
                          + ",")
                  + " "
                  + hidden
                  + "; pass the jars or directories that hold your classes with "
                  + extraClassPathSetter
                  + ", or create it with the system class loader as the thread's context class"
                  + " loader");
        }
        fromLoaders.clear(); // the extra entries hold these classes: trust them
        break;
      }
      for (URL url : ((URLClassLoader) l).getURLs()) {
        fromLoaders.add(toPath(url));
      }
    }
    fromLoaders.forEach(p -> entries.putIfAbsent(p, p.toString()));
    List<Class<?>> own = new ArrayList<>(OWN_CLASSES);
    own.add(mainClass);
    for (Class<?> c : own) {
      Optional<Path> location = location(c);
      if (location.isPresent()
          && !onPath(c, location.get(), entries.keySet(), extraClassPath, modulePath)) {
        entries.putIfAbsent(location.get(), location.get().toString());
      }
    }
    return List.copyOf(entries.values());
  }

  /**
   * Returns the loaders from {@code loader} up to, not including, the system class loader or one of
   * its parents, outermost first.
   */
  private static List<ClassLoader> chainBelowSystemLoader(ClassLoader loader) {
    List<ClassLoader> builtIn = new ArrayList<>();
    for (ClassLoader l = ClassLoader.getSystemClassLoader(); l != null; l = l.getParent()) {
      builtIn.add(l);
    }
    List<ClassLoader> chain = new ArrayList<>();
    for (ClassLoader l = loader; l != null && !builtIn.contains(l); l = l.getParent()) {
      chain.add(l);
    }
    Collections.reverse(chain);
    return chain;
  }

  /** Returns why {@code loader} hides where its classes come from, or null if it does not. */
  private static String hidden(ClassLoader loader) {
    if (!(loader instanceof URLClassLoader)) {
      return "is not a URLClassLoader";
    }
    for (URL url : ((URLClassLoader) loader).getURLs()) {
      if (!"file".equalsIgnoreCase(url.getProtocol())) {
        return "has the URL " + url + ", not a file: URL";
      }
      try {
        toPath(url);
      } catch (IllegalArgumentException e) {
        return "has the URL " + url + ", not a local file";
      }
    }
    return null;
  }

  private static String describe(ClassLoader loader) {
    return loader.getClass().getName()
        + (loader.getName() == null ? "" : " '" + loader.getName() + "'");
  }

  private static Path toPath(URL url) {
    try {
      return Path.of(url.toURI()).toAbsolutePath().normalize();
    } catch (URISyntaxException e) {
      return Path.of(url.getPath()).toAbsolutePath().normalize(); // spaces left unescaped, say
    }
  }

  /** Returns the jar or directory that {@code c} was loaded from, if it is a local file. */
  public static Optional<Path> location(Class<?> c) {
    CodeSource source = c.getProtectionDomain().getCodeSource();
    if (source == null
        || source.getLocation() == null
        || !"file".equals(source.getLocation().getProtocol())) {
      return Optional.empty();
    }
    try {
      return Optional.of(toPath(source.getLocation()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether a worker finds {@code c}, from {@code location}, without it: the class path (with the
   * extra entries) or the module path names it, the module path also as the directory that holds
   * it; or a jar on the class path names it in its manifest's {@code Class-Path}, as {@code java
   * -jar} runs.
   */
  private static boolean onPath(
      Class<?> c,
      Path location,
      Iterable<Path> classPath,
      List<String> extraClassPath,
      List<String> modulePath) {
    List<Path> all = new ArrayList<>();
    classPath.forEach(all::add);
    extraClassPath.forEach(e -> all.add(Path.of(e).toAbsolutePath().normalize()));
    for (String entry : modulePath) {
      Path p = Path.of(entry).toAbsolutePath().normalize();
      if (p.equals(location) || p.equals(location.getParent())) {
        return true;
      }
    }
    if (all.contains(location)) {
      return true;
    }
    // Only then read jars, once per pool: what their manifests name.
    URL[] urls = new URL[all.size()];
    try {
      for (int i = 0; i < urls.length; i++) {
        urls[i] = all.get(i).toUri().toURL();
      }
    } catch (MalformedURLException e) {
      return false; // cannot be: a path's URI is a file: URL
    }
    boolean found = false;
    try (URLClassLoader probe = new URLClassLoader(urls, null)) {
      found = probe.findResource(c.getName().replace('.', '/') + ".class") != null;
    } catch (IOException e) {
      // closing a jar failed: what was found stands
    }
    return found;
  }
}
