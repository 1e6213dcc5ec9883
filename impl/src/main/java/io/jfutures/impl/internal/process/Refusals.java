package io.jfutures.impl.internal.process;

import io.jfutures.api.TaskSerializationException;
import io.jfutures.impl.internal.TaskFuture;
import java.io.Serializable;
import java.util.concurrent.RejectedExecutionException;

/** How an executor refuses a task at its submit: the message names what is wrong and the fix. */
public final class Refusals {
  private Refusals() {}

  /**
   * The refusal of a task that cannot be serialized, naming the class at fault and the fix.
   *
   * @param where why it must be serialized, as {@code a process pool sends each task to a child
   *     JVM}
   */
  public static RejectedExecutionException cannotTravel(
      TaskFuture<?> future, Object userTask, Throwable e, String where) {
    String taskClass = userTask.getClass().getName();
    String fix;
    if (taskClass.startsWith("java.util.concurrent.")
        || taskClass.startsWith("com.google.common.util.concurrent.")) {
      fix =
          "It is the wrapper that CompletableFuture's *Async methods, ExecutorCompletionService or"
              + " a decorating executor hands to execute, and it holds objects of this JVM. In place"
              + " of CompletableFuture.supplyAsync or runAsync, use Futures.supplyAsync or"
              + " Futures.runAsync; submit the task itself to this pool; or run such code on a"
              + " ThreadPoolExecutor";
    } else if (!(userTask instanceof Serializable)) {
      fix =
          taskClass
              + " is not Serializable. Write the lambda in the call to submit or execute (it is then"
              + " a SerializableCallable or SerializableRunnable), or give it one of those types; or"
              + " run it on a ThreadPoolExecutor";
    } else {
      fix =
          "Make the task, its argument and everything the lambda captures Serializable, or"
              + " capture less";
    }
    return new RejectedExecutionException(
        "cannot submit "
            + future.description()
            + ": "
            + where
            + ", and it cannot be serialized: "
            + WorkerMain.describe(e)
            + ". "
            + fix,
        new TaskSerializationException(WorkerMain.describe(e), e));
  }
}
