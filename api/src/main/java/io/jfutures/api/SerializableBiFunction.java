package io.jfutures.api;

import java.io.Serializable;

/**
 * A {@link java.util.function.BiFunction} that is also {@link java.io.Serializable}.
 *
 * <p>Everything the lambda captures must be serializable too; the executor reports the first class
 * that is not, when the task is submitted.
 */
@FunctionalInterface
public interface SerializableBiFunction<T, U, R>
    extends java.util.function.BiFunction<T, U, R>, Serializable {}
