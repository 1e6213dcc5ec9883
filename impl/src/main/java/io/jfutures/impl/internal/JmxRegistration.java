package io.jfutures.impl.internal;

import javax.management.MBeanServerFactory;

/**
 * When jfutures registers an MXBean (a pool's, a hub's): at once if JMX is in use in this JVM
 * already, else a moment later on a daemon thread of its own. The first use of JMX in a JVM, which
 * creates the platform MBean server, costs 110-165 ms of CPU on JDK 17 and 200 on JDK 25 (a 2-vCPU
 * guest): paid by the builder of the first pool, it came before the pool's first worker started (a
 * thread pool's first result 170-225 ms after its builder was called, 60-95 ms without), and paid
 * at once on another thread, it competed with the workers starting. A program that ends sooner than
 * the delay never pays it. Stateless.
 */
public final class JmxRegistration {
  /** How long a registration waits when JMX is not in use yet. */
  public static final long DELAY_MILLIS = 1_000;

  private JmxRegistration() {}

  /**
   * Whether this JVM's platform MBean server exists already: an agent, a monitoring library, or an
   * earlier registration made it. Creates nothing.
   */
  public static boolean inUse() {
    return !MBeanServerFactory.findMBeanServer(null).isEmpty();
  }

  /**
   * Runs {@code registration} now if JMX is {@linkplain #inUse() in use}, else {@link
   * #DELAY_MILLIS} later on a daemon thread named {@code threadName}. A registration must itself
   * check that what it registers still exists, and must not throw.
   */
  public static void soon(Runnable registration, String threadName) {
    if (inUse()) {
      registration.run();
      return;
    }
    Runnable later =
        () -> {
          try {
            Thread.sleep(DELAY_MILLIS);
          } catch (InterruptedException e) {
            return; // the JVM is going
          }
          registration.run();
        };
    try {
      Threads.newDaemonInRootGroup(later, threadName).start();
    } catch (OutOfMemoryError | RuntimeException e) {
      // Made here, not at class initialization: a fresh JVM's first logger costs tens of ms.
      System.getLogger("io.jfutures.impl")
          .log(System.Logger.Level.WARNING, "no thread to register an MXBean: " + threadName, e);
    }
  }
}
