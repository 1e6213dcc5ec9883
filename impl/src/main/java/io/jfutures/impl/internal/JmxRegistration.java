package io.jfutures.impl.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import javax.management.MBeanServerFactory;

/**
 * When jfutures registers an MXBean (a pool's, a hub's): at once if JMX is in use in this JVM, else
 * once something else puts it in use (an agent that {@code jconsole} or {@code jcmd} attaches, a
 * monitoring library, the application's own {@code ManagementFactory.getPlatformMBeanServer()}),
 * seen by a watcher that looks every {@link #CHECK_MILLIS}. jfutures never creates the platform
 * MBean server itself: the first use of JMX in a JVM costs 110-165 ms of CPU on JDK 17 and 200 on
 * JDK 25 (a 2-vCPU guest), which a program that never looks paid for nothing, first before its
 * pool's first worker started, then a second later, in the middle of whatever the program did.
 *
 * <pre>
 * A registration: PENDING (JMX not in use) -> RUN (by the watcher, once JMX is in use)
 *                                          -> WITHDRAWN (its owner is gone first), final either way.
 * The watcher: IDLE -> WATCHING (a thread of its own, while any registration is pending; it looks
 *              every CHECK_MILLIS) -> IDLE (it ran them all, or all were withdrawn).
 * Invariant: a registration is pending only while the watcher is WATCHING; the watcher runs the
 * pending registrations outside the lock, each once, and never one that was withdrawn before.
 * </pre>
 *
 * Thread-safe.
 */
public final class JmxRegistration {
  /** How often the watcher looks whether JMX is in use. */
  public static final long CHECK_MILLIS = 1_000;

  private static final JmxRegistration PLATFORM =
      new JmxRegistration(JmxRegistration::inUse, CHECK_MILLIS, "jfutures-jmx-watch");

  private final BooleanSupplier inUse;
  private final long checkMillis;
  private final String threadName;
  private final Object lock = new Object();
  private final Set<Pending> pending = new LinkedHashSet<>(); // guarded by lock
  private boolean watching; // guarded by lock

  /** A registration not yet run; identity is what counts. */
  private static final class Pending {
    final Runnable registration;

    Pending(Runnable registration) {
      this.registration = registration;
    }
  }

  JmxRegistration(BooleanSupplier inUse, long checkMillis, String threadName) {
    this.inUse = inUse;
    this.checkMillis = checkMillis;
    this.threadName = threadName;
  }

  /**
   * Whether this JVM's platform MBean server exists already: an agent, a monitoring library, or the
   * application made it. Creates nothing.
   */
  public static boolean inUse() {
    return !MBeanServerFactory.findMBeanServer(null).isEmpty();
  }

  /**
   * Runs {@code registration} now if JMX is {@linkplain #inUse() in use}, else on the watcher's
   * thread once it is. A registration must itself check that what it registers still exists, and
   * must not throw.
   *
   * @return what withdraws the registration if it has not run yet (its owner is gone); idempotent
   */
  public static Runnable soon(Runnable registration) {
    return PLATFORM.register(registration);
  }

  Runnable register(Runnable registration) {
    if (inUse.getAsBoolean()) {
      registration.run();
      return () -> {};
    }
    Pending p = new Pending(registration);
    boolean start;
    synchronized (lock) {
      pending.add(p);
      start = !watching;
      watching = true;
    }
    if (start) {
      startWatcher();
    }
    return () -> {
      synchronized (lock) {
        pending.remove(p);
      }
    };
  }

  private void startWatcher() {
    try {
      Threads.newDaemonInRootGroup(this::watch, threadName).start();
    } catch (OutOfMemoryError | RuntimeException e) {
      synchronized (lock) {
        watching = false; // the next registration tries again
      }
      // Made here, not at class initialization: a fresh JVM's first logger costs tens of ms.
      System.getLogger("io.jfutures.impl")
          .log(System.Logger.Level.WARNING, "no thread to watch for JMX: MXBeans wait", e);
    }
  }

  private void watch() {
    while (true) {
      try {
        Thread.sleep(checkMillis);
      } catch (InterruptedException e) {
        // Nobody of ours interrupts it; a registration is not dropped for someone else's.
      }
      boolean now = inUse.getAsBoolean();
      List<Pending> due;
      synchronized (lock) {
        if (!now && !pending.isEmpty()) {
          continue;
        }
        due = new ArrayList<>(pending);
        pending.clear();
        watching = false;
      }
      for (Pending p : due) {
        p.registration.run();
      }
      return;
    }
  }

  /** How many registrations wait for JMX. */
  int pendingCount() {
    synchronized (lock) {
      return pending.size();
    }
  }

  /** The watcher for this JVM's platform MBean server. */
  static JmxRegistration platform() {
    return PLATFORM;
  }
}
