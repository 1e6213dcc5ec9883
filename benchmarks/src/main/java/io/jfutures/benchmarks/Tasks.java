package io.jfutures.benchmarks;

import io.jfutures.api.SerializableFunction;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Map;

/**
 * The task bodies of {@code python_peer.py}. Each is a field-less static nested class, so that it
 * crosses the process boundary as little more than a class id, as a Python function is pickled by
 * reference.
 */
final class Tasks {
  /** {@code noop(i) -> i}. */
  static final Noop NOOP = new Noop();

  /** {@code square(x) -> x * x}, as a long. */
  static final Square SQUARE = new Square();

  /** {@code sleep_then_getpid(s)}: sleeps {@code s} seconds, returns the worker's pid. */
  static final SleepThenGetPid SLEEP_THEN_GETPID = new SleepThenGetPid();

  /** {@code fib(n)}: naive recursion. */
  static final Fib FIB = new Fib();

  /** {@code echo(data) -> (len(data), data)}. */
  static final Echo ECHO = new Echo();

  /** {@code noop_pid(i) -> (i, worker pid)}. */
  static final NoopPid NOOP_PID = new NoopPid();

  /** The values of {@code fib(n)} the workloads check. */
  static final Map<Integer, Long> FIB_VALUES =
      Map.of(24, 46_368L, 27, 196_418L, 30, 832_040L, 34, 5_702_887L);

  private Tasks() {}

  /** Returns the process id of the JVM this runs in. */
  static long pid() {
    return ProcessHandle.current().pid();
  }

  /** Naive recursive Fibonacci: fib(0) = 0, fib(1) = 1. */
  static long fib(int n) {
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
  }

  static final class Noop implements SerializableFunction<Integer, Integer> {
    private static final long serialVersionUID = 1L;

    @Override
    public Integer apply(Integer i) {
      return i;
    }
  }

  static final class Square implements SerializableFunction<Integer, Long> {
    private static final long serialVersionUID = 1L;

    @Override
    public Long apply(Integer x) {
      return (long) x * x;
    }
  }

  static final class SleepThenGetPid implements SerializableFunction<Double, Long> {
    private static final long serialVersionUID = 1L;

    @Override
    public Long apply(Double seconds) {
      try {
        Thread.sleep(Math.round(seconds * 1000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted in sleep_then_getpid", e);
      }
      return pid();
    }
  }

  static final class Fib implements SerializableFunction<Integer, Long> {
    private static final long serialVersionUID = 1L;

    @Override
    public Long apply(Integer n) {
      return fib(n);
    }
  }

  static final class Echo implements SerializableFunction<byte[], Echoed> {
    private static final long serialVersionUID = 1L;

    @Override
    public Echoed apply(byte[] data) {
      return new Echoed(data.length, data);
    }
  }

  static final class NoopPid implements SerializableFunction<Integer, IndexAndPid> {
    private static final long serialVersionUID = 1L;

    @Override
    public IndexAndPid apply(Integer i) {
      return new IndexAndPid(i, pid());
    }
  }

  /**
   * What {@link Echo} returns: the length it saw and the data.
   *
   * @param length {@code data.length}, as the worker saw it
   * @param data the bytes received
   */
  record Echoed(int length, byte[] data) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Whether this is {@code (expected.length, expected)}. */
    boolean echoes(byte[] expected) {
      return length == expected.length && Arrays.equals(data, expected);
    }
  }

  /**
   * What {@link NoopPid} returns.
   *
   * @param index the argument
   * @param pid the worker's pid
   */
  record IndexAndPid(int index, long pid) implements Serializable {
    private static final long serialVersionUID = 1L;
  }
}
