package io.jfutures.impl.internal;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The threads jfutures keeps for itself (timers, completers): daemons with names that say what they
 * do in a thread dump, which end once idle. A program whose launcher waits for every thread it
 * started to end, as {@code mvn exec:java} does, is not held up by a closed pool.
 */
public final class Threads {
  private Threads() {}

  /** Returns a factory of daemon threads, all named {@code name}. */
  public static ThreadFactory daemons(String name) {
    return daemons(n -> name);
  }

  /** Returns a factory of daemon threads named {@code prefix_0}, {@code prefix_1}, and so on. */
  public static ThreadFactory numberedDaemons(String prefix) {
    return daemons(n -> prefix + "_" + n);
  }

  /**
   * A factory of daemon threads of normal priority, in the thread group of the caller (as {@code
   * Executors.defaultThreadFactory()} makes them), the n-th (from 0) named {@code name.apply(n)}.
   * Not Guava's {@code ThreadFactoryBuilder}: it checks and applies its name format with {@code
   * String.format}, whose first use in a JVM (the formatter, its regular expressions) cost a thread
   * pool's builder 25 ms of CPU.
   */
  private static ThreadFactory daemons(java.util.function.LongFunction<String> name) {
    ThreadGroup group = Thread.currentThread().getThreadGroup();
    java.util.concurrent.atomic.AtomicLong count = new java.util.concurrent.atomic.AtomicLong();
    return body -> {
      Thread thread = new Thread(group, body, name.apply(count.getAndIncrement()));
      thread.setDaemon(true);
      if (thread.getPriority() != Thread.NORM_PRIORITY) {
        thread.setPriority(Thread.NORM_PRIORITY);
      }
      return thread;
    };
  }

  /**
   * Returns a new (unstarted) daemon thread in the root thread group, as the JDK's own cleaner
   * thread is: a launcher that waits for the threads of its program's group to end (as {@code mvn
   * exec:java} does, interrupting them and then waiting 15 s) does not wait for it. For threads
   * that live as long as something outside the program's control, such as a child process.
   */
  public static Thread newDaemonInRootGroup(Runnable body, String name) {
    ThreadGroup root = Thread.currentThread().getThreadGroup();
    while (root.getParent() != null) {
      root = root.getParent();
    }
    Thread thread = new Thread(root, body, name);
    thread.setDaemon(true);
    return thread;
  }

  /**
   * Returns a scheduler with one daemon thread named {@code name}: a cancelled task is removed at
   * once (it would otherwise keep what it refers to until its time comes), and the thread ends
   * after a second with nothing scheduled.
   */
  public static ScheduledThreadPoolExecutor newTimer(String name) {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemons(name));
    timer.setRemoveOnCancelPolicy(true);
    timer.setKeepAliveTime(1, TimeUnit.SECONDS);
    timer.allowCoreThreadTimeOut(true); // a thread stays while anything is scheduled
    return timer;
  }
}
