package io.jfutures.testprograms;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * A launcher as {@code mvn exec:java} is one, for LauncherClassPathIT. It runs with only itself on
 * {@code -cp}: the program's classes are in a {@link URLClassLoader} whose parent is the platform
 * class loader, set as the context class loader of the thread that runs the program's {@code main},
 * in a thread group of its own. Once {@code main} returns it waits, as exec:java does, for every
 * thread of that group to end, daemon threads too, and says how long they took; unlike exec:java it
 * does not interrupt them first, so that it sees whether they end by themselves. JDK-only and with
 * no nested class, so that its one class file is all it needs.
 *
 * <p>Usage: {@code ExecJavaLauncher CLASS_PATH MAIN_CLASS [ARG...]}. Exit status: 2 if {@code main}
 * did not return within {@value #MAIN_MILLIS} ms; else 1 if it threw; else 3 if a thread of the
 * group was alive {@value #LINGER_MILLIS} ms after {@code main} returned (it prints {@code
 * LINGERING} and their names); else 4 if a child process was still alive then; else 0.
 */
public final class ExecJavaLauncher {
  /** How long the program's main may take. */
  static final long MAIN_MILLIS = 20_000;

  /** How long the group's threads may take to end once main has returned. */
  static final long LINGER_MILLIS = 5_000;

  /** How long to wait on one thread before looking at the next. */
  static final long POLL_MILLIS = 10;

  private ExecJavaLauncher() {}

  public static void main(String[] args) throws Exception {
    List<URL> urls = new ArrayList<>();
    for (String entry : args[0].split(File.pathSeparator)) {
      urls.add(toUrl(entry));
    }
    URLClassLoader loader =
        new URLClassLoader(
            "exec-java", urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
    String mainClass = args[1];
    String[] mainArgs = Arrays.copyOfRange(args, 2, args.length);
    ThreadGroup group = new ThreadGroup(mainClass);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread main =
        new Thread(
            group,
            () -> {
              try {
                Class.forName(mainClass, true, loader)
                    .getMethod("main", String[].class)
                    .invoke(null, (Object) mainArgs);
              } catch (InvocationTargetException e) {
                failure.set(e.getCause());
              } catch (ReflectiveOperationException | RuntimeException | Error e) {
                failure.set(e);
              }
            },
            mainClass + ".main()");
    main.setContextClassLoader(loader);
    long started = System.nanoTime();
    main.start();
    main.join(MAIN_MILLIS);
    if (main.isAlive()) {
      System.out.println("MAIN DID NOT RETURN within " + MAIN_MILLIS + " ms");
      System.exit(2);
    }
    System.out.println("MAIN RETURNED in " + millisSince(started) + " ms");
    if (failure.get() != null) {
      System.out.println("MAIN THREW");
      failure.get().printStackTrace(System.out);
    }
    // As exec:java, which also waits for the group before it reports what main threw.
    boolean threadsEnded = awaitGroup(group);
    boolean childrenGone = awaitNoChildren();
    System.exit(failure.get() != null ? 1 : !threadsEnded ? 3 : !childrenGone ? 4 : 0);
  }

  /**
   * Waits up to {@link #LINGER_MILLIS} for every thread of {@code group} to end, printing when each
   * was seen gone (to within {@value #POLL_MILLIS} ms a thread); returns whether all did.
   */
  private static boolean awaitGroup(ThreadGroup group) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS);
    List<Thread> alive = threads(group);
    Set<Thread> seen = new HashSet<>(alive);
    System.out.println(
        "GROUP THREADS after main: "
            + alive.stream().map(ExecJavaLauncher::describe).collect(Collectors.joining(", ")));
    while (!alive.isEmpty() && System.nanoTime() < deadline) {
      for (Thread t : alive) {
        t.join(POLL_MILLIS);
      }
      List<Thread> next = new ArrayList<>();
      for (Thread t : alive) {
        if (t.isAlive()) {
          next.add(t);
        } else {
          System.out.println("  " + t.getName() + " ended after " + millisSince(start) + " ms");
        }
      }
      for (Thread t : threads(group)) {
        if (seen.add(t)) {
          System.out.println("  " + describe(t) + " started after " + millisSince(start) + " ms");
          next.add(t);
        }
      }
      alive = next;
    }
    if (!alive.isEmpty()) {
      System.out.println(
          "LINGERING after "
              + LINGER_MILLIS
              + " ms: "
              + alive.stream().map(Thread::getName).collect(Collectors.joining(",")));
      return false;
    }
    System.out.println("GROUP THREADS ENDED in " + millisSince(start) + " ms");
    return true;
  }

  /** Waits up to {@link #LINGER_MILLIS} for this JVM's child processes to be gone. */
  private static boolean awaitNoChildren() {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS);
    List<ProcessHandle> left = ProcessHandle.current().descendants().collect(Collectors.toList());
    for (ProcessHandle p : left) {
      long remaining = deadline - System.nanoTime();
      if (remaining > 0) {
        try {
          p.onExit().get(remaining, TimeUnit.NANOSECONDS);
        } catch (Exception e) {
          // still alive: reported below
        }
      }
    }
    left = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
    if (!left.isEmpty()) {
      System.out.println(
          "CHILDREN LEFT: "
              + left.stream()
                  .map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
                  .collect(Collectors.joining("; ")));
      return false;
    }
    return true;
  }

  private static List<Thread> threads(ThreadGroup group) {
    Thread[] all = new Thread[group.activeCount() + 16];
    int n = group.enumerate(all, true);
    List<Thread> alive = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (all[i].isAlive()) {
        alive.add(all[i]);
      }
    }
    return alive;
  }

  private static String describe(Thread t) {
    return t.getName() + (t.isDaemon() ? " (daemon)" : "");
  }

  private static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }

  private static URL toUrl(String entry) throws MalformedURLException {
    return Path.of(entry).toAbsolutePath().toUri().toURL();
  }
}
