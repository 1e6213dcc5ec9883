package io.jfutures.api;

import java.io.Serializable;
import java.lang.reflect.UndeclaredThrowableException;

/**
 * A {@link Runnable} that is also {@link Serializable}, so a lambda typed as one can be sent to a
 * child JVM, and whose body may throw a checked exception, as a {@link
 * java.util.concurrent.Callable}'s may: {@code pool.submit(() -> Thread.sleep(100))} compiles.
 *
 * <p>Its one abstract method is {@link #runChecked()}. An executor calls that, so a checked
 * exception reaches the task's future as it was thrown. Code that knows it only as a {@link
 * Runnable} calls {@link #run()}, which wraps a checked exception in an {@link
 * UndeclaredThrowableException}.
 *
 * <p>Everything the lambda captures must be serializable too; a process pool refuses, at the call
 * that submits it, a task that cannot be serialized, and names the first class that is not.
 */
@FunctionalInterface
public interface SerializableRunnable extends Runnable, Serializable {

  /**
   * Runs the task.
   *
   * @throws Exception whatever the task throws
   */
  void runChecked() throws Exception;

  /**
   * Runs the task through {@link #runChecked()}; a checked exception comes out wrapped in an {@link
   * UndeclaredThrowableException}, and an {@link InterruptedException} also sets this thread's
   * interrupt status again.
   */
  @Override
  default void run() {
    try {
      runChecked();
    } catch (RuntimeException e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UndeclaredThrowableException(e, "the task was interrupted: " + e);
    } catch (Exception e) {
      throw new UndeclaredThrowableException(e, "the task threw a checked exception: " + e);
    }
  }
}
