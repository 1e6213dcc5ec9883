package io.jfutures.multiprocessing;

import java.util.Objects;

/**
 * Who a process is: what {@link JvmProcess#current()} and {@link JvmProcess#parent()} return,
 * Python's {@code current_process()} and {@code parent_process()}.
 *
 * @param name the process's name: {@code MainProcess} for a JVM that jfutures did not start, else
 *     the {@link JvmProcess#name() name} it was started with
 * @param pid its process id
 * @param daemon whether it is a daemon process (always false for {@code MainProcess}, and for a
 *     parent, as a child does not know)
 */
public record ProcessInfo(String name, long pid, boolean daemon) implements java.io.Serializable {

  /**
   * Checks the name.
   *
   * @param name the process's name
   * @param pid its process id
   * @param daemon whether it is a daemon
   * @throws NullPointerException if {@code name} is null
   */
  public ProcessInfo {
    Objects.requireNonNull(name, "name");
  }

  /**
   * Whether the process still runs.
   *
   * @return whether the process still runs
   */
  public boolean isAlive() {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
