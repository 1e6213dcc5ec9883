package io.jfutures.multiprocessing.internal;

import io.jfutures.multiprocessing.ProcessInfo;
import java.util.Optional;

/**
 * Which process this JVM is: {@code MainProcess} unless {@link ProcessMain} started it as a child,
 * in which case it also knows its parent. Set once, before the child's target runs.
 */
public final class Here {
  private static volatile ProcessInfo current;
  private static volatile ProcessInfo parent;

  private Here() {}

  /** Returns this process. */
  public static ProcessInfo current() {
    ProcessInfo c = current;
    return c != null ? c : new ProcessInfo("MainProcess", ProcessHandle.current().pid(), false);
  }

  /** Returns the process that started this one, if jfutures started it. */
  public static Optional<ProcessInfo> parent() {
    return Optional.ofNullable(parent);
  }

  /** Whether this JVM is a child that jfutures started for a process. */
  public static boolean isChild() {
    return current != null;
  }

  static void set(ProcessInfo self, ProcessInfo parentInfo) {
    current = self;
    parent = parentInfo;
  }
}
