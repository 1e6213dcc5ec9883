package io.jfutures.multiprocessing.internal;

import io.jfutures.impl.internal.Threads;
import io.jfutures.impl.internal.jvm.ChildJvm;
import io.jfutures.impl.internal.jvm.ChildJvmSpec;
import io.jfutures.impl.internal.process.WorkerClassArchive;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * JVMs started ahead of the processes that will run in them, as Python's {@code forkserver} start
 * method keeps a server ready to fork: a process whose JVM would be started exactly as a spare's
 * (same {@code java}, options and class path) takes a spare, which has booted meanwhile, and sends
 * it what to run; a new spare is started in its place, in the background.
 *
 * <pre>
 * A spare: BOOTING (launched) -> READY (connected: its main waits for what to run) -> TAKEN (a
 * process's own from then on); BOOTING or READY -> GONE (it exited on its own, or the count went
 * down and it was killed).
 * Invariants: at most count spares are held, each launched from the template current when it was
 * launched; a spare is taken once. A spare runs as a daemon child until it is told otherwise, so
 * that spares never outlive this JVM, however it ends.
 * </pre>
 *
 * <p>Thread-safe.
 */
public final class Standby {
  /** The argument that tells a process's main it is a spare: daemon until its launch says. */
  public static final String MODE = "standby";

  private static final Deque<ChildJvm> SPARES = new ArrayDeque<>(); // guarded by Standby.class
  private static int count; // guarded by Standby.class
  private static Supplier<ChildJvmSpec> template; // guarded by Standby.class
  private static long launched; // guarded by Standby.class: for spares' names

  /** Launches replacements, one at a time, off the thread of the start() that took a spare. */
  private static final ExecutorService LAUNCHER =
      new ThreadPoolExecutor(
          0,
          1,
          1,
          TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(),
          r -> Threads.newDaemonInRootGroup(r, "jfutures-standby-launcher"));

  private Standby() {}

  /**
   * Keeps {@code n} spares, launched from the specs {@code spec} makes (0 kills every spare).
   * Spares launched from an earlier template are replaced.
   */
  public static void keep(int n, Supplier<ChildJvmSpec> spec) {
    synchronized (Standby.class) {
      count = n;
      template = spec;
      drain(SPARES.size());
    }
    for (int i = 0; i < n; i++) {
      LAUNCHER.execute(Standby::refill);
    }
  }

  /** Returns how many spares are kept. */
  public static synchronized int count() {
    return count;
  }

  /**
   * Takes a spare launched exactly as {@code spec} would launch a JVM (its name and main arguments
   * aside), or returns null if there is none; launches its replacement in the background.
   */
  public static ChildJvm take(ChildJvmSpec spec) {
    ChildJvm taken = null;
    synchronized (Standby.class) {
      while (!SPARES.isEmpty() && taken == null) {
        ChildJvm spare = SPARES.pollFirst();
        if (spare.onExit().isDone()) {
          continue; // it died waiting (killed from outside, say): refilled below
        }
        if (!sameLaunch(spare.spec(), spec)) {
          if (sameLaunch(template.get(), spec)) {
            discard(spare); // launched before the template changed (setStandbyJvms again)
            continue;
          }
          SPARES.addFirst(spare);
          return null; // another kind of process: it starts its own JVM
        }
        taken = spare;
      }
    }
    LAUNCHER.execute(Standby::refill);
    return taken;
  }

  private static void refill() {
    ChildJvmSpec spec;
    synchronized (Standby.class) {
      if (count == 0 || SPARES.size() >= count) {
        return;
      }
      spec = template.get();
      spec =
          new ChildJvmSpec(
              "jfutures-standby-" + ++launched,
              spec.javaExecutable(),
              spec.jvmOptions(),
              spec.classPath(),
              spec.modulePath(),
              spec.environment(),
              spec.mainModule(),
              spec.mainClass(),
              java.util.List.of(MODE),
              spec.startTimeout());
    }
    ChildJvm spare;
    try {
      spare = ChildJvm.launch(spec);
    } catch (IOException e) {
      System.getLogger("io.jfutures.multiprocessing")
          .log(System.Logger.Level.WARNING, "could not start a standby JVM: " + e.getMessage());
      return;
    }
    synchronized (Standby.class) {
      if (count <= SPARES.size()) {
        discard(spare); // the count went down meanwhile
        return;
      }
      SPARES.addLast(spare); // takeable while it boots: better than a JVM not yet launched
    }
    try {
      spare.awaitConnected(); // now: a connection not accepted within the start timeout is lost
    } catch (IOException e) {
      boolean ours;
      synchronized (Standby.class) {
        ours = SPARES.remove(spare); // else discarded here, or taken: its process reports it
      }
      if (ours) {
        System.getLogger("io.jfutures.multiprocessing")
            .log(System.Logger.Level.WARNING, "a standby JVM failed to start: " + e.getMessage());
      }
    }
  }

  /** Kills the first {@code n} spares. Called holding the lock. */
  private static void drain(int n) {
    for (int i = 0; i < n && !SPARES.isEmpty(); i++) {
      discard(SPARES.pollFirst());
    }
  }

  private static List<String> withoutArchive(List<String> options) {
    List<String> kept = new ArrayList<>(options.size());
    for (String option : options) {
      if (!WorkerClassArchive.isArchiveOption(option)) {
        kept.add(option);
      }
    }
    return kept;
  }

  private static void discard(ChildJvm spare) {
    spare.kill();
    spare.closeChannel();
  }

  /**
   * Whether {@code a} and {@code b} launch the same JVM: the options a class archive adds aside, so
   * that a spare booted before its archive appeared still serves (it was discarded, and the process
   * started cold: on a fresh machine, every spare of the first second).
   */
  static boolean sameLaunch(ChildJvmSpec a, ChildJvmSpec b) {
    return a.javaExecutable().equals(b.javaExecutable())
        && withoutArchive(a.jvmOptions()).equals(withoutArchive(b.jvmOptions()))
        && a.classPath().equals(b.classPath())
        && a.modulePath().equals(b.modulePath())
        && a.environment().equals(b.environment())
        && Objects.equals(a.mainModule(), b.mainModule())
        && a.mainClass().equals(b.mainClass());
  }
}
