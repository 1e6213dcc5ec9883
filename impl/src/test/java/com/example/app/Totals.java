package com.example.app;

import io.jfutures.api.SerializableFunction;
import java.io.Serializable;

/** A user's task and its result, in a package of the user's own: not java.base, not jfutures. */
public final class Totals {
  /** What the task returns. */
  public record Total(int of, long sum) implements Serializable {}

  /** A task as a user writes one: a lambda of this package. */
  public static final SerializableFunction<Integer, Total> SUM_TO =
      n -> new Total(n, (long) n * (n + 1) / 2);

  private Totals() {}
}
