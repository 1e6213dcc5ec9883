package io.jfutures.impl.internal;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
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
    return new ThreadFactoryBuilder()
        .setNameFormat(name.replace("%", "%%"))
        .setDaemon(true)
        .build();
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
