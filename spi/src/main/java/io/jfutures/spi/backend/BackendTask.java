package io.jfutures.spi.backend;

import java.util.Objects;

/**
 * One task as the executor hands it to a backend. Immutable.
 *
 * @param id the task's number in its executor, unique there
 * @param description how messages name the task, as {@code task #12 (app.Main.lambda$main$0)}
 * @param payload what {@link ExecutorBackend#prepare} made of the task's callable
 * @param attempt 1 for the first run, 2 for the first retry after a worker's loss, and so on
 */
public record BackendTask(long id, String description, Object payload, int attempt) {

  /**
   * Checks the components.
   *
   * @throws NullPointerException if {@code description} or {@code payload} is null
   */
  public BackendTask {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(payload, "payload");
  }
}
