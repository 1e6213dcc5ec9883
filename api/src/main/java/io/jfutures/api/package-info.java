/**
 * What callers compile against: every executor is an {@link io.jfutures.api.Executor}, a drop-in
 * {@link java.util.concurrent.ExecutorService} whose {@code submit} returns a {@link
 * java.util.concurrent.CompletableFuture}, with {@code map} and {@code shutdown(wait,
 * cancelFutures)} as Python's {@code concurrent.futures} has them; {@link io.jfutures.api.Futures}
 * holds {@code wait} and {@code asCompleted}.
 *
 * <p>Lambdas given to a process pool must be serializable; the {@code Serializable*} functional
 * interfaces here make the compiler produce serializable lambdas.
 */
package io.jfutures.api;
