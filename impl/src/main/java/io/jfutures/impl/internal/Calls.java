package io.jfutures.impl.internal;

import io.jfutures.api.RetryOnWorkerLoss;
import io.jfutures.api.SerializableBiFunction;
import io.jfutures.api.SerializableFunction;
import io.jfutures.api.SerializableRunnable;
import java.io.Serializable;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;
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

  /**
   * Returns a callable for a thread pool's {@code execute}: it runs {@code command} and hands what
   * it throws to the uncaught-exception handler of the thread running it, as {@code
   * java.util.concurrent.ThreadPoolExecutor} does, then returns normally. Not serializable.
   */
  public static Callable<Void> execute(Runnable command) {
    return new Execute(command);
  }

  /**
   * Returns what {@code shutdownNow()} hands back for a task that never ran: the {@code Runnable}
   * the user gave, or one that calls {@code call}.
   */
  public static Runnable neverRan(Callable<?> call) {
    if (call instanceof Run) {
      return ((Run<?>) call).task;
    }
    if (call instanceof Execute) {
      return ((Execute) call).command;
    }
    return () -> {
      try {
        call.call();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new UndeclaredThrowableException(e);
      }
    };
  }

  /** Returns a callable that applies {@code fn} to each item, returning the results in order. */
  public static <T, R> Callable<List<R>> chunk(
      SerializableFunction<? super T, ? extends R> fn, List<T> items) {
    return new Chunk<>(fn, items);
  }

  /**
   * Returns a callable that applies {@code fn} to each pair of {@code keys} and {@code values} (of
   * one length), returning the results in order: a chunk of Python's {@code starmap}. Both lists
   * travel as a chunk's items do, numbers as primitive arrays.
   */
  public static <A, B, R> Callable<List<R>> starChunk(
      SerializableBiFunction<? super A, ? super B, ? extends R> fn, List<A> keys, List<B> values) {
    if (keys.size() != values.size()) {
      throw new IllegalArgumentException(keys.size() + " keys but " + values.size() + " values");
    }
    return new StarChunk<>(fn, keys, values);
  }

  /**
   * Returns what the user submitted inside {@code call}: the function, the runnable or the callable
   * itself. Messages name it, and a process pool checks that it can be serialized.
   */
  public static Object userTask(Callable<?> call) {
    if (call instanceof RetryOnWorkerLoss) {
      return unmarked(call);
    }
    if (call instanceof Apply) {
      Apply<?, ?> apply = (Apply<?, ?>) call;
      return runsItsArgument(apply.fn) && apply.arg != null ? apply.arg : apply.fn;
    }
    if (call instanceof Run) {
      return ((Run<?>) call).task;
    }
    if (call instanceof Chunk) {
      return ((Chunk<?, ?>) call).fn;
    }
    if (call instanceof StarChunk) {
      return ((StarChunk<?, ?, ?>) call).fn;
    }
    if (call instanceof Execute) {
      return ((Execute) call).command;
    }
    return call;
  }

  /**
   * Whether {@code fn} is jfutures' own function that runs its argument: {@code
   * Futures.supplyAsync} submits one with the user's supplier as the argument, so that a process
   * pool sends the supplier as a value (a lambda of the supplyAsync's caller), not captured in a
   * wrapper. The supplier is then the task that messages and metrics name.
   */
  private static boolean runsItsArgument(Object fn) {
    return fn.getClass().getName().startsWith("io.jfutures.api.Futures$$Lambda");
  }

  /** How a task is made of a function and a value: see {@link #parts}. */
  public enum Shape {
    /** The callable itself, with no value: {@code submit(callable)}. */
    CALL,
    /** A function and its argument: {@code submit(fn, arg)}. */
    APPLY,
    /** A runnable and the result to return: {@code submit(runnable, result)}. */
    RUN,
    /**
     * A function and a chunk of items to apply it to, one by one: a chunk of {@code map}. Its value
     * is the items' list; read from a worker's channel, a chunk of numbers' primitive array ({@link
     * #numbers}).
     */
    CHUNK,
    /**
     * A two-argument function and a chunk of pairs to apply it to, one by one: a chunk of {@code
     * starmap}. Its value is an {@code Object[2]}: the keys and the values, each a list or, read
     * from a worker's channel, a chunk of numbers' primitive array ({@link #numbers}).
     */
    STAR_CHUNK
  }

  /**
   * A task taken apart: its function (the callable, function or runnable the user gave) and its
   * value (the argument or the result given with it; null for {@link Shape#CALL}). A process pool
   * sends a function that holds no state once per worker, and then only the value with each task.
   */
  public record Parts(Shape shape, Object function, Object value) {
    /**
     * Builds the task again.
     *
     * @throws ClassCastException if the function is not of its shape's type
     */
    @SuppressWarnings("unchecked")
    public Callable<?> rebuild() {
      switch (shape) {
        case APPLY:
          return apply((SerializableFunction<Object, ?>) function, value);
        case RUN:
          return run((Runnable) function, value);
        case CHUNK:
          return chunk((SerializableFunction<Object, ?>) function, list(value));
        case STAR_CHUNK:
          Object[] pairs = (Object[]) value;
          return starChunk(
              (SerializableBiFunction<Object, Object, ?>) function, list(pairs[0]), list(pairs[1]));
        default:
          return (Callable<?>) function;
      }
    }

    /** A chunk's items as a list: as they are, or a view over their primitive array. */
    @SuppressWarnings("unchecked")
    private static List<Object> list(Object items) {
      return items instanceof List ? (List<Object>) items : view(items);
    }
  }

  /**
   * Returns {@code call} taken apart: a task of {@link #apply}, {@link #run}, {@link #chunk} or
   * {@link #starChunk} as its function and value, any other callable as itself.
   */
  public static Parts parts(Callable<?> call) {
    if (call instanceof Apply) {
      Apply<?, ?> apply = (Apply<?, ?>) call;
      return new Parts(Shape.APPLY, apply.fn, apply.arg);
    }
    if (call instanceof Run) {
      Run<?> run = (Run<?>) call;
      return new Parts(Shape.RUN, run.task, run.result);
    }
    if (call instanceof Chunk) {
      Chunk<?, ?> chunk = (Chunk<?, ?>) call;
      return new Parts(Shape.CHUNK, chunk.fn, chunk.items);
    }
    if (call instanceof StarChunk) {
      StarChunk<?, ?, ?> chunk = (StarChunk<?, ?, ?>) call;
      return new Parts(Shape.STAR_CHUNK, chunk.fn, new Object[] {chunk.keys, chunk.values});
    }
    return new Parts(Shape.CALL, call, null);
  }

  /**
   * Returns {@code items} as an {@code int[]}, {@code long[]} or {@code double[]} if they are all
   * Integers, all Longs or all Doubles (and there is one at least), else null: how a chunk of them
   * travels.
   */
  public static Object numbers(List<?> items) {
    return Packed.numbers(items);
  }

  /**
   * Whether {@code value} is a chunk's results ({@link #chunk}, {@link #starChunk}), or such a list
   * read back: a list that, if it holds {@link #numbers}, reads back as a {@link #view} over them
   * whichever way it travels.
   */
  public static boolean isChunkResults(Object value) {
    return value instanceof CompactList || value instanceof NumberList;
  }

  /**
   * A read-only list over {@code numbers}, an {@code int[]}, {@code long[]} or {@code double[]}:
   * how a chunk's items or results of {@link #numbers} are read back. It boxes an element each time
   * one is read.
   *
   * @throws ClassCastException if it is none of them
   */
  public static <E> List<E> view(Object numbers) {
    return Packed.view(numbers);
  }

  /**
   * Returns how many times {@code call} was marked to run again when its worker is lost ({@link
   * RetryOnWorkerLoss}), or 0.
   */
  public static int retriesMarked(Callable<?> call) {
    return call instanceof RetryOnWorkerLoss ? ((RetryOnWorkerLoss<?>) call).times() : 0;
  }

  /** Returns {@code call} without its {@link RetryOnWorkerLoss} mark, if it has one. */
  public static Callable<?> unmarked(Callable<?> call) {
    return call instanceof RetryOnWorkerLoss ? ((RetryOnWorkerLoss<?>) call).task() : call;
  }

  /**
   * Hands {@code failure}, thrown by a task given to {@code execute}, to the uncaught-exception
   * handler of the calling thread, where {@code java.util.concurrent}'s executors send it. A
   * handler that throws is ignored, as the JVM ignores it.
   */
  public static void reportUncaught(Throwable failure) {
    Thread thread = Thread.currentThread();
    try {
      thread.getUncaughtExceptionHandler().uncaughtException(thread, failure);
    } catch (Throwable ignored) {
      // as the JVM does with a handler that throws
    }
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
    public T call() throws Exception {
      if (task instanceof SerializableRunnable) {
        ((SerializableRunnable) task).runChecked(); // its checked exception, unwrapped
      } else {
        task.run();
      }
      return result;
    }
  }

  private static final class Execute implements Callable<Void> {
    private final Runnable command;

    Execute(Runnable command) {
      this.command = command;
    }

    @Override
    public Void call() {
      try {
        if (command instanceof SerializableRunnable) {
          ((SerializableRunnable) command).runChecked();
        } else {
          command.run();
        }
      } catch (Throwable t) {
        reportUncaught(t);
      }
      return null;
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
      int n = items.size();
      List<R> results = new CompactList<>(n);
      if (items instanceof RandomAccess) {
        for (int i = 0; i < n; i++) {
          results.add(fn.apply(items.get(i)));
        }
      } else {
        for (T item : items) {
          results.add(fn.apply(item));
        }
      }
      return results;
    }

    /** Travels with its items in compact form. */
    private Object writeReplace() {
      return new ChunkForm(fn, Packed.of(items));
    }
  }

  /** The serialized form of a {@link Chunk}. */
  private static final class ChunkForm implements Serializable {
    private static final long serialVersionUID = 1L;
    private final SerializableFunction<?, ?> fn;

    /** A {@link Packed} when written; the List it resolves to when read. */
    @SuppressWarnings("serial") // Packed when written
    private final Object items;

    ChunkForm(SerializableFunction<?, ?> fn, Packed items) {
      this.fn = fn;
      this.items = items;
    }

    @SuppressWarnings("unchecked") // a Chunk's function and items were of matching types
    private Object readResolve() {
      return new Chunk<>((SerializableFunction<Object, Object>) fn, (List<Object>) items);
    }
  }

  private static final class StarChunk<A, B, R> implements Callable<List<R>>, Serializable {
    private static final long serialVersionUID = 1L;
    private final SerializableBiFunction<? super A, ? super B, ? extends R> fn;

    @SuppressWarnings("serial") // the user's pairs; if they are not serializable, submit says so
    private final List<A> keys;

    @SuppressWarnings("serial")
    private final List<B> values;

    StarChunk(
        SerializableBiFunction<? super A, ? super B, ? extends R> fn,
        List<A> keys,
        List<B> values) {
      this.fn = fn;
      this.keys = keys;
      this.values = values;
    }

    @Override
    public List<R> call() {
      int n = keys.size();
      List<R> results = new CompactList<>(n);
      for (int i = 0; i < n; i++) {
        results.add(fn.apply(keys.get(i), values.get(i)));
      }
      return results;
    }

    /** Travels with its pairs in compact form. */
    private Object writeReplace() {
      return new StarChunkForm(fn, Packed.of(keys), Packed.of(values));
    }
  }

  /** The serialized form of a {@link StarChunk}. */
  private static final class StarChunkForm implements Serializable {
    private static final long serialVersionUID = 1L;
    private final SerializableBiFunction<?, ?, ?> fn;

    @SuppressWarnings("serial") // Packed when written, the List it resolves to when read
    private final Object keys;

    @SuppressWarnings("serial")
    private final Object values;

    StarChunkForm(SerializableBiFunction<?, ?, ?> fn, Packed keys, Packed values) {
      this.fn = fn;
      this.keys = keys;
      this.values = values;
    }

    @SuppressWarnings("unchecked") // a StarChunk's function and pairs were of matching types
    private Object readResolve() {
      return new StarChunk<>(
          (SerializableBiFunction<Object, Object, Object>) fn,
          (List<Object>) keys,
          (List<Object>) values);
    }
  }

  /** A chunk's results: an ArrayList that travels in compact form. */
  static final class CompactList<E> extends ArrayList<E> {
    private static final long serialVersionUID = 1L;

    CompactList(int capacity) {
      super(capacity);
    }

    private Object writeReplace() {
      return Packed.of(this);
    }
  }

  /**
   * A list on the wire: a primitive array when every element is an Integer, a Long or a Double (the
   * common case of {@code map} over numbers, where Java serialization costs hundreds of nanoseconds
   * per boxed element), otherwise the elements as they are. Read back as an ArrayList.
   */
  static final class Packed implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final byte OBJECTS = 0;
    private static final byte INTS = 1;
    private static final byte LONGS = 2;
    private static final byte DOUBLES = 3;

    private final byte kind;

    @SuppressWarnings("serial") // an array of primitives, or of the user's (serializable) items
    private final Object data;

    private Packed(byte kind, Object data) {
      this.kind = kind;
      this.data = data;
    }

    static Packed of(List<?> list) {
      Object numbers = numbers(list);
      if (numbers instanceof int[]) {
        return new Packed(INTS, numbers);
      }
      if (numbers instanceof long[]) {
        return new Packed(LONGS, numbers);
      }
      if (numbers instanceof double[]) {
        return new Packed(DOUBLES, numbers);
      }
      return new Packed(OBJECTS, list.toArray());
    }

    /**
     * Returns {@code list}'s elements as an {@code int[]}, {@code long[]} or {@code double[]} if
     * they are all Integers, all Longs or all Doubles (and there is one at least), else null.
     */
    static Object numbers(List<?> list) {
      if (list instanceof IntList) {
        return ((IntList) list).values;
      }
      if (list instanceof LongList) {
        return ((LongList) list).values;
      }
      if (list instanceof DoubleList) {
        return ((DoubleList) list).values;
      }
      int n = list.size();
      Class<?> common = n == 0 || list.get(0) == null ? null : list.get(0).getClass();
      if (common != Integer.class && common != Long.class && common != Double.class) {
        return null; // no need to look further
      }
      for (int i = 1; i < n && common != null; i++) {
        Object e = list.get(i);
        if (e == null || e.getClass() != common) {
          common = null;
        }
      }
      if (common == Integer.class) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
          a[i] = (Integer) list.get(i);
        }
        return a;
      }
      if (common == Long.class) {
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
          a[i] = (Long) list.get(i);
        }
        return a;
      }
      if (common == Double.class) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
          a[i] = (Double) list.get(i);
        }
        return a;
      }
      return null;
    }

    /**
     * A read-only view over {@code numbers}, an {@code int[]}, {@code long[]} or {@code double[]},
     * as {@link #toList} makes it.
     *
     * @throws ClassCastException if it is none of them
     */
    @SuppressWarnings("unchecked") // whoever packed a List<E> of numbers unpacks one
    static <E> List<E> view(Object numbers) {
      if (numbers instanceof int[]) {
        return (List<E>) new IntList((int[]) numbers);
      }
      if (numbers instanceof long[]) {
        return (List<E>) new LongList((long[]) numbers);
      }
      if (numbers instanceof double[]) {
        return (List<E>) new DoubleList((double[]) numbers);
      }
      throw new ClassCastException(
          "a chunk's numbers are an int[], long[] or double[], not " + numbers);
    }

    /**
     * The list read back: over a primitive array, a read-only view that boxes each element as it is
     * read ({@link NumberList}), so that a chunk of numbers does not become one object per element
     * before anybody asks for it (the receiver used to box a whole chunk of results, which the
     * consumer then read once); otherwise an ArrayList.
     */
    @SuppressWarnings("unchecked") // whoever packed a List<E> unpacks a List<E>
    <E> List<E> toList() {
      switch (kind) {
        case INTS:
          return (List<E>) new IntList((int[]) data);
        case LONGS:
          return (List<E>) new LongList((long[]) data);
        case DOUBLES:
          return (List<E>) new DoubleList((double[]) data);
        default:
          return (List<E>) new ArrayList<>(Arrays.asList((Object[]) data));
      }
    }

    private Object readResolve() {
      return toList();
    }
  }

  /**
   * Whether {@code list}'s slots hold objects that outlive their reading: a consumer that has read
   * an element may clear its slot (with {@code set(i, null)}) to let it go. A {@link NumberList}
   * holds primitives only, and is read-only.
   */
  public static boolean holdsObjects(List<?> list) {
    return !(list instanceof NumberList);
  }

  /**
   * A read-only list over a primitive array, as {@link Packed} reads one back: {@code get} boxes
   * the element each time it is called. Serializable, as the ArrayList it stands for: it travels
   * packed again.
   */
  abstract static class NumberList<E extends Number> extends AbstractList<E>
      implements RandomAccess, Serializable {
    private static final long serialVersionUID = 1L;

    private Object writeReplace() {
      return Packed.of(this);
    }
  }

  private static final class IntList extends NumberList<Integer> {
    private static final long serialVersionUID = 1L;
    private final int[] values;

    IntList(int[] values) {
      this.values = values;
    }

    @Override
    public Integer get(int index) {
      return values[index];
    }

    @Override
    public int size() {
      return values.length;
    }
  }

  private static final class LongList extends NumberList<Long> {
    private static final long serialVersionUID = 1L;
    private final long[] values;

    LongList(long[] values) {
      this.values = values;
    }

    @Override
    public Long get(int index) {
      return values[index];
    }

    @Override
    public int size() {
      return values.length;
    }
  }

  private static final class DoubleList extends NumberList<Double> {
    private static final long serialVersionUID = 1L;
    private final double[] values;

    DoubleList(double[] values) {
      this.values = values;
    }

    @Override
    public Double get(int index) {
      return values[index];
    }

    @Override
    public int size() {
      return values.length;
    }
  }
}
