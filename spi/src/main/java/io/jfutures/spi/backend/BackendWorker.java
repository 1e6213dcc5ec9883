package io.jfutures.spi.backend;

import java.util.Objects;

/**
 * A place where a backend runs tasks, and which can be lost as a whole: a child JVM, a cluster
 * member. Immutable; two workers are the same worker if their ids are equal.
 *
 * @param id what tells this worker from every other of its backend, for as long as the backend
 *     lives (a member's UUID, say); a worker that comes back after a loss gets a new id
 * @param name how messages name the worker, as {@code member 127.0.0.1:5702}
 * @param pid the process id of the JVM that runs the tasks, or -1 when unknown
 * @param slots how many tasks the worker runs at once, at least 1
 */
public record BackendWorker(String id, String name, long pid, int slots) {

  /**
   * Checks the components.
   *
   * @throws NullPointerException if {@code id} or {@code name} is null
   * @throws IllegalArgumentException if {@code slots} is less than 1
   */
  public BackendWorker {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    if (slots < 1) {
      throw new IllegalArgumentException("slots must be at least 1, was " + slots + " for " + name);
    }
  }

  @Override
  public String toString() {
    return pid < 0 ? name : name + " (pid " + pid + ")";
  }
}
