package io.jfutures.api;

import java.io.Serializable;

/**
 * A {@link java.util.concurrent.Callable} that is also {@link java.io.Serializable}, so a lambda
 * typed as one can be sent to a child JVM.
 *
 * <p>Everything the lambda captures must be serializable too; the executor reports the first class
 * that is not, when the task is submitted.
 */
@FunctionalInterface
public interface SerializableCallable<V> extends java.util.concurrent.Callable<V>, Serializable {}
