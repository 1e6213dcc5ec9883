package io.jfutures.api;

import java.io.Serializable;

/**
 * A {@link java.util.function.Consumer} that is also {@link java.io.Serializable}.
 *
 * <p>Everything the lambda captures must be serializable too; the executor reports the first class
 * that is not, when the task is submitted.
 */
@FunctionalInterface
public interface SerializableConsumer<T> extends java.util.function.Consumer<T>, Serializable {}
