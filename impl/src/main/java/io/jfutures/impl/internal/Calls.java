package io.jfutures.impl.internal;

import io.jfutures.api.SerializableFunction;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The serializable callables the executors build around what users submit, so that every task,
 * whatever its shape, reaches a worker as one {@link Callable}.
 */
public final class Calls {
  private Calls() {}

  /** Returns a callable that applies {@code fn} to {@code arg}. */
  public static <T, R> Callable<R> apply(SerializableFunction<? super T, ? extends R> fn, T arg) {
    return new Apply<>(fn, arg);
  }

  /** Returns a callable that runs {@code task} and returns {@code result}. */
  public static <T> Callable<T> run(Runnable task, T result) {
    return new Run<>(task, result);
  }

  /** Returns a callable that applies {@code fn} to each item, returning the results in order. */
  public static <T, R> Callable<List<R>> chunk(
      SerializableFunction<? super T, ? extends R> fn, List<T> items) {
    return new Chunk<>(fn, items);
  }

  /** Returns the class that best names what the user submitted, for messages. */
  public static Class<?> userClass(Callable<?> call) {
    if (call instanceof Apply) {
      return ((Apply<?, ?>) call).fn.getClass();
    }
    if (call instanceof Run) {
      return ((Run<?>) call).task.getClass();
    }
    if (call instanceof Chunk) {
      return ((Chunk<?, ?>) call).fn.getClass();
    }
    return call.getClass();
  }

  private static final class Apply<T, R> implements Callable<R>, Serializable {
    private static final long serialVersionUID = 1L;
    private final SerializableFunction<? super T, ? extends R> fn;

    @SuppressWarnings(
        "serial") // what the user submitted; if it is not serializable, submit says so
    private final T arg;

    Apply(SerializableFunction<? super T, ? extends R> fn, T arg) {
      this.fn = fn;
      this.arg = arg;
    }

    @Override
    public R call() {
      return fn.apply(arg);
    }
  }

  private static final class Run<T> implements Callable<T>, Serializable {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings(
        "serial") // what the user submitted; if it is not serializable, submit says so
    private final Runnable task;

    @SuppressWarnings(
        "serial") // what the user submitted; if it is not serializable, submit says so
    private final T result;

    Run(Runnable task, T result) {
      this.task = task;
      this.result = result;
    }

    @Override
    public T call() {
      task.run();
      return result;
    }
  }

  private static final class Chunk<T, R> implements Callable<List<R>>, Serializable {
    private static final long serialVersionUID = 1L;
    private final SerializableFunction<? super T, ? extends R> fn;

    @SuppressWarnings(
        "serial") // what the user submitted; if it is not serializable, submit says so
    private final List<T> items;

    Chunk(SerializableFunction<? super T, ? extends R> fn, List<T> items) {
      this.fn = fn;
      this.items = items;
    }

    @Override
    public List<R> call() {
      List<R> results = new ArrayList<>(items.size());
      for (T item : items) {
        results.add(fn.apply(item));
      }
      return results;
    }
  }
}
